#include "app/demo_seed.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "app/cid.h"
#include "app/cid_repository.h"
#include "app/export_import.h"
#include "app/internal/rows.h"
#include "engine/status_macros.h"

namespace viewer {
namespace {

// Files of the project's cids/ folder the demo links to, with their working
// names in docs/cids.md.
struct FolderFile {
  const char* cid;
  const char* name;
};
// CIDs stay whole, so that they can be searched for.
// clang-format off
constexpr FolderFile kWelcomeHtml = {
    "AAAAAAyvfrHCFrDkPQnr5C3Ea-Q7N6kEQ0hHj5RHoq0ZQivZoDCWczxFUfXwxqya5TwP7SYrwgJ4JTDlnicFQWYbEoo7XA",
    "welcome.html"};
constexpr FolderFile kStyleCss = {
    "AAAAAAgOcNz4qXWpfM3xHepsuTpUGy-fMNuv1F7OlmfRRTmQsWOVChmnUDP0dS4G6zJL2qW9qdU4qcQRRUSv0TZrg_I_ig",
    "style.css"};
constexpr FolderFile kLogoSvg = {
    "AAAAAAJkyzbrU3DzzKwpXwgHGknAZdLICzk7NZAl96pxzQ4iZcBvDtmxOfgHSsfW_L7A_5-siXgTDSCELPENIa1p0kqyJw",
    "logo.svg"};
constexpr FolderFile kLogoPng = {
    "AAAAAAFto-yozSLk5GX5LJKZw8OYSs-bejq33mPRTo7k_m4T29RIG0szdrN1qCbVEidRdn8FJaspwDCpi_GtZju-MM2xXQ",
    "logo-64.png"};
constexpr FolderFile kFaviconPng = {
    "AAAAAACKRUfHKUycicsc4BN1WZwbm5qYzRQ0htwA9jHF_VBO5DTtjMFMkwiryfIjIWMZaDiVbMv2byLVM9q7N_f-dC2LEA",
    "favicon-16.png"};
constexpr FolderFile kUserGuide = {
    "AAAAAC0ClnAAG91GFMeAhqBpO-jzyf2QMcPy9HinJgoAovnNj5zx60PD-sM2SAwU2vA18GcSOoexALM7wFbdF2eD1FR3uw",
    "user-guide.md"};
constexpr FolderFile kChangelog = {
    "AAAAAAXeLcIvhyimP__bjsxwl1oTgyBgw4HPAC27EG809WODxIQY3inLtmwv1045zTT35Eaeo_gwivGw_jf2siGnH_CFZw",
    "CHANGELOG.md"};
constexpr FolderFile kHaiku = {
    "AAAAAAD3AGdxFMg0ysvCrdY8QuNXZ65KPFDV5WBsY5Wf-o5tXwCEZxGk7fcbKE0nIXAOImFRIlqkyxTfHX8hvEy01bIEhg",
    "haiku.txt"};
constexpr FolderFile kPalette = {
    "AAAAAAKS6fdeHlu6Pdj3PYFni_hKfopcSZvaPNU6QKEvh1FEVtyrlP1R0xqgGYwh88yynh_3iCraOJWWpYYNwIngc8QX9g",
    "palette.json"};
constexpr FolderFile kWorkspace = {
    "AAAAAAPx5zpmaSKanwSNU_8RNnXWBcEvJ_zp2-R7n1Zp0n41EN8nSWGot-GrtDGK-WpNyWAxMm4oGp0mRw_FV7BGvH1pXQ",
    "workspace-example.json"};
// clang-format on
constexpr FolderFile kFolderFiles[] = {
    kWelcomeHtml, kStyleCss,  kLogoSvg, kLogoPng, kFaviconPng,
    kUserGuide,   kChangelog, kHaiku,   kPalette, kWorkspace};

// "/CID.ext"
std::string Link(const FolderFile& f, absl::string_view ext) {
  return absl::StrCat("/", f.cid, ".", ext);
}

DemoEntity Make(EntityKind kind, std::string name,
                std::optional<std::string> definition, bool enabled = true) {
  return {kind, EntityInput{.name = std::move(name),
                            .definition = std::move(definition),
                            .enabled = enabled}};
}

std::vector<DemoEntity> Build() {
  using K = EntityKind;
  std::vector<DemoEntity> out;
  out.push_back(Make(K::kVariable, "greeting", "Hello"));
  out.push_back(Make(K::kVariable, "site_name", "the viewer demo"));
  out.push_back(Make(K::kVariable, "motto", "Name the bytes, not the place."));
  out.push_back(Make(K::kVariable, "greeting_fr", "Bonjour", false));
  out.push_back(Make(K::kSecret, "API_TOKEN", "demo-0000-not-a-real-token"));
  out.push_back(Make(K::kSecret, "OLD_API_TOKEN", "demo-expired-token", false));

  out.push_back(Make(
      K::kServer, "hello",
      "{{greeting}} from {{site_name}}!\n"
      "\n"
      "You asked for {{request.path}}; the name in your query is "
      "\"{{request.query.name}}\".\n"
      "Try /hello?name=Ada, or the alias /greet/Ada, which redirects here.\n"
      "\n"
      "{{motto}}\n"));
  out.push_back(Make(
      K::kServer, "api-request",
      "A preview of the request this server would send (it sends nothing):\n"
      "\n"
      "GET https://api.example.com/v1/status\n"
      "Authorization: Bearer {{secret:API_TOKEN}}\n"
      "User-Agent: {{site_name}}\n"
      "\n"
      "API_TOKEN is a demo secret with a made-up value. A secret's value\n"
      "appears only where a template asks for it, as this one does, and on\n"
      "the secret's own page: never in lists, logs or search results.\n"));
  out.push_back(
      Make(K::kServer, "tour",
           absl::StrCat(
               "A tour of {{site_name}}\n"
               "\n"
               "Aliases:    /home  /docs  /docs/changelog  /greet/Ada  /haiku  "
               "/logo\n"
               "Servers:    /hello?name=Ada  /api-request  /tour\n"
               "Content, by CID, from the cids/ folder:\n"
               "  welcome page   ",
               Link(kWelcomeHtml, "html"), "\n", "  style sheet    ",
               Link(kStyleCss, "css"), "\n", "  logo           ",
               Link(kLogoSvg, "svg"), "\n", "  logo as PNG    ",
               Link(kLogoPng, "png"), "\n", "  palette        ",
               Link(kPalette, "json"), "\n", "  an export      ",
               Link(kWorkspace, "json"), "\n",
               "\n"
               "You are at {{request.path}}. {{motto}}\n")));
  out.push_back(Make(K::kServer, "draft",
                     "{{greeting}}! This server is disabled, so /draft is "
                     "not routed until someone enables it.\n",
                     false));

  out.push_back(Make(K::kAlias, "home",
                     absl::StrCat("# The welcome page, from the cids/ folder\n"
                                  "/home -> ",
                                  Link(kWelcomeHtml, "html"), "\n")));
  out.push_back(
      Make(K::kAlias, "logo",
           absl::StrCat("logo -> ", Link(kLogoSvg, "svg"), "\n", "logo.png -> ",
                        Link(kLogoPng, "png"), "\n",
                        "# browsers ask for this one by themselves\n",
                        "favicon.ico -> ", Link(kFaviconPng, "png"), "\n")));
  out.push_back(
      Make(K::kAlias, "docs",
           absl::StrCat("# The user guide and the changelog\n", "docs -> ",
                        Link(kUserGuide, "md"), "\n", "docs/changelog -> ",
                        Link(kChangelog, "md"), "\n", "docs/* -> ",
                        Link(kUserGuide, "md"), " [glob]\n")));
  out.push_back(
      Make(K::kAlias, "greet",
           "# /greet/Ada runs the hello server with ?name=Ada\n"
           "[regex] [ignore-case] ^/greet/([a-z]+)$ -> /hello?name=$1\n"));
  out.push_back(Make(K::kAlias, "haiku",
                     absl::StrCat("haiku -> ", Link(kHaiku, "txt"), "\n")));
  out.push_back(Make(K::kAlias, "old-index",
                     "# the old front page; enable to send it home\n"
                     "/index.html -> /home\n",
                     false));
  return out;
}

absl::Status CheckFolder(const CidDirectory& cids) {
  for (const DemoEntity& e : DemoEntities()) {
    if (!e.input.definition) continue;
    for (const std::string& cid : FindCidReferences(*e.input.definition)) {
      absl::StatusOr<ParsedCid> parsed = ParseCid(cid);
      if (!parsed.ok() || parsed->is_literal || cids.Contains(cid)) continue;
      absl::string_view name = "a demo file";
      for (const FolderFile& f : kFolderFiles) {
        if (cid == f.cid) name = f.name;
      }
      return absl::FailedPreconditionError(
          absl::StrCat("the demo links to ", name, " (CID ", cid,
                       "), which the cids "
                       "folder ",
                       cids.path(),
                       " does not hold; run viewer with the "
                       "project's cids/ folder (--cids-dir)"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::string_view DemoNote() {
  return "A note uploaded by the demo seed.\n"
         "\n"
         "Content here is named by its CID: the SHA-512 of these bytes,\n"
         "or the bytes themselves when they are short. Upload your own with\n"
         "the form at /upload (not in a read-only demo).\n";
}

const std::vector<DemoEntity>& DemoEntities() {
  static const auto* entities = new std::vector<DemoEntity>(Build());
  return *entities;
}

absl::Status SeedDemo(Transaction& txn, const CidDirectory* cids) {
  if (cids != nullptr) VIEWER_RETURN_IF_ERROR(CheckFolder(*cids));
  return app_internal::Atomically(txn, [&]() -> absl::Status {
    for (const DemoEntity& e : DemoEntities()) {
      VIEWER_ASSIGN_OR_RETURN(bool exists,
                              EntityExists(txn, e.kind, e.input.name));
      if (exists) continue;
      VIEWER_RETURN_IF_ERROR(CreateEntity(txn, e.kind, e.input).status());
    }
    // One upload of the session's own, so that "Recent CIDs" on the home
    // page shows something (a read-only demo cannot upload).
    return CidRepository().Create(txn, DemoNote()).status();
  });
}

}  // namespace viewer
