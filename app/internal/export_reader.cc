#include "app/internal/export_reader.h"

#include <cstdint>
#include <exception>
#include <new>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "app/cid.h"
#include "app/entities.h"
#include "app/export_import.h"
#include "app/interactions.h"
#include "app/internal/json_walk.h"
#include "app/internal/original_reader.h"
#include "engine/status_macros.h"
#include "engine/utf8.h"
#include "nlohmann/json.hpp"

namespace viewer::app_internal {
namespace {

using json = nlohmann::json;

// Longest problem line kept, in characters.
constexpr size_t kMaxProblemChars = 300;
// Characters of a rejected value quoted in a problem.
constexpr size_t kMaxQuotedChars = 40;

// Control characters as \xNN, so that every problem stays on its line;
// and, when the text is not valid UTF-8 (nlohmann quotes the bytes it read),
// every non-ASCII byte too, so that the message can go into JSON.
std::string OneLine(absl::string_view text) {
  const std::string cut = TruncateUtf8(text, kMaxProblemChars);
  const bool escape_high = !IsValidUtf8(cut);
  std::string out;
  for (char c : cut) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || (escape_high && u >= 0x80)) {
      absl::StrAppend(&out, "\\x", absl::Hex(u, absl::kZeroPad2));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string Quote(absl::string_view text) {
  std::string cut = TruncateUtf8(text, kMaxQuotedChars);
  return absl::StrCat("\"", cut, cut.size() < text.size() ? "...\"" : "\"");
}

class Problems {
 public:
  void Add(absl::string_view path, absl::string_view what) {
    ++total_;
    if (lines_.size() < kMaxListedProblems) {
      lines_.push_back(OneLine(absl::StrCat(path, ": ", what)));
    }
  }
  bool empty() const { return total_ == 0; }
  absl::Status ToStatus() const {
    std::string message = absl::StrCat("the import document has ", total_,
                                       total_ == 1 ? " problem" : " problems",
                                       "; nothing was imported:");
    for (const std::string& line : lines_)
      absl::StrAppend(&message, "\n", line);
    if (total_ > lines_.size()) {
      absl::StrAppend(&message, "\n... and ", total_ - lines_.size(), " more");
    }
    return absl::InvalidArgumentError(message);
  }

 private:
  size_t total_ = 0;
  std::vector<std::string> lines_;
};

// A required string member; nullopt (and a problem) when it is not one.
std::optional<std::string> RequiredString(const json& object,
                                          absl::string_view path,
                                          const char* key, Problems& p,
                                          absl::string_view why = "") {
  const json* v = Member(object, key);
  if (v == nullptr || !v->is_string()) {
    std::string what =
        v == nullptr ? std::string("missing")
                     : absl::StrCat("expected a string, got ", v->type_name());
    if (!why.empty()) absl::StrAppend(&what, " (", why, ")");
    p.Add(path.empty() ? std::string(key) : Path(path, key), what);
    return std::nullopt;
  }
  return v->get_ref<const std::string&>();
}

// An optional string member: absent or null leave `out` empty.
void OptionalString(const json& object, absl::string_view path, const char* key,
                    Problems& p, std::optional<std::string>* out) {
  const json* v = Member(object, key);
  if (v == nullptr || v->is_null()) return;
  if (!v->is_string()) {
    p.Add(Path(path, key),
          absl::StrCat("expected a string or null, got ", v->type_name()));
    return;
  }
  *out = v->get_ref<const std::string&>();
}

void OptionalTime(const json& object, absl::string_view path, const char* key,
                  Problems& p, std::optional<Timestamp>* out) {
  const json* v = Member(object, key);
  if (v == nullptr || v->is_null()) return;
  constexpr char kWant[] =
      "expected a UTC timestamp \"YYYY-MM-DD HH:MM:SS.ffffff\", got ";
  if (!v->is_string()) {
    p.Add(Path(path, key), absl::StrCat(kWant, v->type_name()));
    return;
  }
  const std::string& text = v->get_ref<const std::string&>();
  absl::StatusOr<Timestamp> t = Timestamp::Parse(text);
  if (!t.ok() || !t->InRange()) {
    p.Add(Path(path, key), absl::StrCat(kWant, Quote(text)));
    return;
  }
  *out = *t;
}

// The array member `key` of the root, or null (with a problem when it is
// present but no array).
const json* ArrayMember(const json& object, absl::string_view path,
                        const char* key, Problems& p) {
  const json* v = Member(object, key);
  if (v == nullptr) return nullptr;
  if (!v->is_array()) {
    p.Add(path.empty() ? std::string(key) : Path(path, key),
          absl::StrCat("expected an array, got ", v->type_name()));
    return nullptr;
  }
  return v;
}

// Calls on_item(i, path, item) for each item of `array` that is an object
// (`path` is "name[i]"); any other item is a problem.
template <typename OnItem>
void ForEachObject(const json& array, absl::string_view name, Problems& p,
                   OnItem on_item) {
  for (size_t i = 0; i < array.size(); ++i) {
    const std::string path = Item(name, i);
    const json& item = array[i];
    if (!item.is_object()) {
      p.Add(path, absl::StrCat("expected an object, got ", item.type_name()));
      continue;
    }
    on_item(i, path, item);
  }
}

// The names of one kind read so far, each with the index it was first
// read at: names must be valid, and unique within their kind.
class EntityNames {
 public:
  explicit EntityNames(absl::string_view plural) : plural_(plural) {}

  void Check(const std::string& name, size_t i, absl::string_view path,
             Problems& p) {
    absl::Status valid = ValidateEntityName(name);
    auto [it, inserted] = first_index_.try_emplace(name, i);
    if (!valid.ok()) {
      p.Add(Path(path, "name"), valid.message());
    } else if (!inserted) {
      p.Add(Path(path, "name"),
            absl::StrCat("duplicate name \"", name, "\" (also ",
                         Item(plural_, it->second), ")"));
    }
  }

 private:
  const std::string plural_;
  absl::flat_hash_map<std::string, size_t> first_index_;
};

DocEntity ReadEntity(const json& e, EntityKind kind, size_t i,
                     absl::string_view path, EntityNames& names, Problems& p) {
  DocEntity d;
  if (std::optional<std::string> name = RequiredString(e, path, "name", p)) {
    names.Check(*name, i, path, p);
    d.name = *std::move(name);
  }
  if (EntityNeedsDefinition(kind)) {
    d.definition = RequiredString(
        e, path, "definition", p,
        absl::StrCat("a ", EntityDisplayName(kind), " needs a definition"));
  } else {
    OptionalString(e, path, "definition", p, &d.definition);
  }
  // The same check as the forms' (an alias definition must parse).
  if (absl::Status s = ValidateEntityDefinition(kind, d.definition); !s.ok()) {
    p.Add(Path(path, "definition"), s.message());
  }
  if (const json* enabled = Member(e, "enabled")) {
    if (enabled->is_boolean()) {
      d.enabled = enabled->get<bool>();
    } else {
      p.Add(Path(path, "enabled"),
            absl::StrCat("expected true or false, got ", enabled->type_name()));
    }
  }
  OptionalTime(e, path, "created_at", p, &d.created_at);
  OptionalTime(e, path, "updated_at", p, &d.updated_at);
  return d;
}

void ReadEntities(const json& root, EntityKind kind, Problems& p,
                  ExportDocument& doc) {
  const std::string plural(EntityPluralName(kind));
  const json* array = ArrayMember(root, "", plural.c_str(), p);
  if (array == nullptr) return;
  std::vector<DocEntity> out;
  EntityNames names(plural);
  ForEachObject(*array, plural, p,
                [&](size_t i, const std::string& path, const json& e) {
                  out.push_back(ReadEntity(e, kind, i, path, names, p));
                });
  doc.entities[static_cast<int>(kind)] = std::move(out);
}

DocPageView ReadPageView(const json& v, absl::string_view path, Problems& p) {
  DocPageView d;
  d.path = RequiredString(v, path, "path", p).value_or("");
  if (Member(v, "method") == nullptr) d.method = "GET";
  OptionalString(v, path, "method", p, &d.method);
  OptionalString(v, path, "user_agent", p, &d.user_agent);
  OptionalString(v, path, "ip_address", p, &d.ip_address);
  OptionalTime(v, path, "viewed_at", p, &d.viewed_at);
  return d;
}

DocInteraction ReadInteraction(const json& v, absl::string_view path,
                               Problems& p) {
  DocInteraction d;
  d.entity_type = RequiredString(v, path, "entity_type", p).value_or("");
  d.entity_name = RequiredString(v, path, "entity_name", p).value_or("");
  d.action = RequiredString(v, path, "action", p).value_or("");
  OptionalString(v, path, "message", p, &d.message);
  d.content = RequiredString(v, path, "content", p).value_or("");
  OptionalTime(v, path, "created_at", p, &d.created_at);
  return d;
}

void ReadHistory(const json& root, Problems& p, ExportDocument& doc) {
  const json* history = Member(root, "history");
  if (history == nullptr || history->is_null()) return;
  if (!history->is_object()) {
    p.Add("history",
          absl::StrCat("expected an object, got ", history->type_name()));
    return;
  }
  if (const json* views = ArrayMember(*history, "history", "page_views", p)) {
    ForEachObject(*views, "history.page_views", p,
                  [&](size_t, const std::string& path, const json& v) {
                    doc.page_views.push_back(ReadPageView(v, path, p));
                  });
  }
  if (const json* list = ArrayMember(*history, "history", "interactions", p)) {
    ForEachObject(*list, "history.interactions", p,
                  [&](size_t, const std::string& path, const json& v) {
                    doc.interactions.push_back(ReadInteraction(v, path, p));
                  });
  }
}

// One item of "cids", when its CID is valid and its bytes match it.
std::optional<DocCid> ReadCid(const json& c, absl::string_view path,
                              Problems& p) {
  std::optional<std::string> cid = RequiredString(c, path, "cid", p);
  std::optional<std::string> base64 = RequiredString(c, path, "base64", p);
  absl::StatusOr<ParsedCid> parsed =
      cid ? ParseCid(*cid) : absl::InvalidArgumentError("");
  if (cid && !parsed.ok()) p.Add(Path(path, "cid"), parsed.status().message());
  DocCid d;
  if (base64 && !absl::Base64Unescape(*base64, &d.bytes)) {
    p.Add(Path(path, "base64"), "not valid base64");
    return std::nullopt;
  }
  if (!parsed.ok() || !base64) return std::nullopt;
  absl::Status match = CheckCidBytes(*parsed, d.bytes);
  if (!match.ok()) {
    p.Add(Path(path, "base64"),
          absl::StrCat("the bytes do not match the CID: ", match.message()));
    return std::nullopt;
  }
  d.cid = *std::move(cid);
  return d;
}

void ReadCids(const json& root, Problems& p, ExportDocument& doc) {
  const json* array = ArrayMember(root, "", "cids", p);
  if (array == nullptr) return;
  ForEachObject(*array, "cids", p,
                [&](size_t, const std::string& path, const json& c) {
                  std::optional<DocCid> d = ReadCid(c, path, p);
                  if (d) doc.cids.push_back(*std::move(d));
                });
}

void ReadHeader(const json& root, Problems& p) {
  if (std::optional<std::string> format =
          RequiredString(root, "", "format", p)) {
    if (*format != kExportFormat) {
      p.Add("format", absl::StrCat("expected \"", kExportFormat, "\", got ",
                                   Quote(*format)));
    }
  }
  const json* version = Member(root, "version");
  if (version == nullptr) {
    p.Add("version", "missing");
  } else if (!version->is_number_integer()) {
    p.Add("version", absl::StrCat("expected the integer ", kExportVersion,
                                  ", got ", version->type_name()));
  } else if (*version != kExportVersion) {
    p.Add("version",
          absl::StrCat("unsupported version ", version->dump(),
                       " (this viewer reads version ", kExportVersion,
                       ", and the original application's version ",
                       kOriginalExportVersion, " without \"format\")"));
  }
}

}  // namespace

std::optional<size_t> TooDeepAt(absl::string_view text, int max) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

absl::StatusOr<ExportDocument> ReadExportDocument(absl::string_view text,
                                                  const ReadOptions& options) {
  Problems p;
  if (std::optional<size_t> at = TooDeepAt(text, kMaxExportNesting)) {
    p.Add("document",
          absl::StrCat("arrays and objects nest deeper than ",
                       kMaxExportNesting, " levels (at byte ", *at, ")"));
    return p.ToStatus();
  }
  try {
    json root = json::parse(text.begin(), text.end());
    if (!root.is_object()) {
      p.Add("document",
            absl::StrCat("expected a JSON object, got ", root.type_name()));
      return p.ToStatus();
    }
    ExportDocument doc;
    if (IsOriginalDocument(root)) {
      std::vector<Problem> problems;
      VIEWER_RETURN_IF_ERROR(
          ReadOriginalDocument(root, options, doc, problems));
      for (const auto& [path, what] : problems) p.Add(path, what);
      if (!p.empty()) return p.ToStatus();
      return doc;
    }
    ReadHeader(root, p);
    for (EntityKind kind : kAllEntityKinds) ReadEntities(root, kind, p, doc);
    ReadHistory(root, p, doc);
    ReadCids(root, p, doc);
    if (!p.empty()) return p.ToStatus();
    return doc;
  } catch (const json::parse_error& e) {
    // e.what() is "[json.exception.parse_error.101] parse error at ...".
    absl::string_view what = e.what();
    size_t end_of_tag = what.find("] ");
    if (end_of_tag != absl::string_view::npos)
      what.remove_prefix(end_of_tag + 2);
    p.Add("document", absl::StrCat("not valid JSON: ", what));
    return p.ToStatus();
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError(
        "out of memory reading the import document");
  } catch (const std::exception& e) {
    p.Add("document", absl::StrCat("cannot be read: ", e.what()));
    return p.ToStatus();
  }
}

}  // namespace viewer::app_internal
