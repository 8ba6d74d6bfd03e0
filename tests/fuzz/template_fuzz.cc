// Fuzz target for the server template renderer (app/templates.h). The input
// is a template, rendered against one fixed context whose values hold no
// braces. Properties:
//   - rendering is deterministic (same status, same output);
//   - on success every placeholder of the template resolves in the context
//     and the output holds no complete "{{...}}" marker;
//   - a template without placeholders renders as itself;
//   - on failure the code is kInvalidArgument and the message names the
//     first placeholder that does not resolve (or the output limit);
//   - the output limit is exact: the output's own size is enough, one byte
//     less fails with "template output is over".
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "app/templates.h"
#include "tests/fuzz/fuzz_check.h"

namespace viewer {
namespace {

const TemplateInputs& Context() {
  static const TemplateInputs* const inputs = [] {
    auto* in = new TemplateInputs;
    in->variables = {{"greeting", "Hello"},
                     {"a.b-c_d", "dotted"},
                     {"empty", ""},
                     {"x", "\xc3\xa9t\xc3\xa9 <b>&amp;</b>"}};
    in->secrets = {{"TOKEN", "s3cret"}, {"greeting", "not the variable"}};
    in->request_path = "/hello/w%C3%B6rld";
    in->query = {{"who", "Ada"}, {"who", "Bob"}, {"empty", ""}};
    return in;
  }();
  return *inputs;
}

// Whether `key` names something in `in`, by the rules of template.h.
bool Resolves(absl::string_view key, const TemplateInputs& in) {
  if (absl::ConsumePrefix(&key, "secret:")) return in.secrets.contains(key);
  if (key == "request.path" || key == "request.rest" || key == "input") {
    return true;
  }
  if (absl::ConsumePrefix(&key, "request.rest.")) {
    size_t n = 0;
    return absl::SimpleAtoi(key, &n) && n > 0;
  }
  if (absl::StartsWith(key, "request.query.")) {
    return key.size() > absl::string_view("request.query.").size();
  }
  if (absl::StartsWith(key, "request.")) return false;
  return in.variables.contains(key);
}

std::string Show(absl::string_view s) { return absl::CHexEscape(s); }

}  // namespace
}  // namespace viewer

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace viewer;
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  const TemplateInputs& in = Context();
  absl::StatusOr<std::string> out = RenderTemplate(text, in);
  absl::StatusOr<std::string> again = RenderTemplate(text, in);
  FUZZ_CHECK(out.status() == again.status() && (!out.ok() || *out == *again),
             "not deterministic: " << Show(text));

  const std::vector<std::string> keys = TemplatePlaceholders(text);
  const std::string* first_unresolved = nullptr;
  for (const std::string& key : keys) {
    if (!Resolves(key, in)) {
      first_unresolved = &key;
      break;
    }
  }
  if (!out.ok()) {
    FUZZ_CHECK(out.status().code() == absl::StatusCode::kInvalidArgument,
               out.status());
    FUZZ_CHECK(first_unresolved != nullptr,
               "failed although every "
               "placeholder resolves: "
                   << Show(text) << " -> " << out.status());
    const std::string expected =
        absl::StrCat("unknown placeholder {{", *first_unresolved, "}}: ");
    FUZZ_CHECK(
        absl::StartsWith(out.status().message(), expected),
        Show(text) << " -> " << out.status() << "; expected " << expected);
    return 0;
  }
  FUZZ_CHECK(first_unresolved == nullptr,
             "rendered although {{" << Show(*first_unresolved)
                                    << "}} does not resolve: " << Show(text));
  FUZZ_CHECK(TemplatePlaceholders(*out).empty(),
             "unresolved marker in the output of " << Show(text) << ": "
                                                   << Show(*out));
  if (keys.empty()) FUZZ_CHECK(*out == text, Show(text));

  TemplateInputs limited = in;
  limited.max_output_bytes = out->size();
  absl::StatusOr<std::string> exact = RenderTemplate(text, limited);
  FUZZ_CHECK(exact.ok() && *exact == *out, Show(text)
                                               << ": " << exact.status());
  if (!out->empty()) {
    limited.max_output_bytes = out->size() - 1;
    absl::StatusOr<std::string> over = RenderTemplate(text, limited);
    FUZZ_CHECK(!over.ok() && absl::StartsWith(over.status().message(),
                                              "template output is over"),
               Show(text) << ": " << over.status());
  }
  return 0;
}
