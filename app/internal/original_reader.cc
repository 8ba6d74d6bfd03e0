#include "app/internal/original_reader.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "app/cid.h"
#include "app/entities.h"
#include "app/internal/json_walk.h"
#include "engine/utf8.h"

namespace viewer::app_internal {
namespace {

using json = nlohmann::json;

constexpr size_t kIvBytes = 16;
constexpr size_t kMacBytes = 32;

std::string Sha256(absl::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(digest), size);
}

std::string HmacSha256(absl::string_view key, absl::string_view bytes) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), mac,
       &size);
  return std::string(reinterpret_cast<const char*>(mac), size);
}

// `data` XOR the keystream of `material` and `iv`.
std::string XorKeystream(absl::string_view material, absl::string_view iv,
                         absl::string_view data) {
  std::string out(data);
  for (size_t block = 0; block * 32 < out.size(); ++block) {
    const uint32_t counter = static_cast<uint32_t>(block);
    const char be[4] = {
        static_cast<char>(counter >> 24), static_cast<char>(counter >> 16),
        static_cast<char>(counter >> 8), static_cast<char>(counter)};
    const std::string stream =
        Sha256(absl::StrCat(material, iv, absl::string_view(be, 4)));
    for (size_t i = 0; i < 32 && block * 32 + i < out.size(); ++i) {
      out[block * 32 + i] ^= stream[i];
    }
  }
  return out;
}

// Base64url with or without padding (Python writes it padded).
bool UnBase64Url(absl::string_view text, std::string* out) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  return absl::WebSafeBase64Unescape(text, out);
}

// The CID a value names, as the original reads it: trimmed, without a
// leading '/' and without an extension.
std::string NormaliseCid(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  text = text.substr(0, text.find('.'));
  while (!text.empty() && text.front() == '/') text.remove_prefix(1);
  return std::string(text);
}

// The original's reading of an "enabled" flag: booleans, "true"/"false"
// words, numbers; absent or null is true.
std::optional<bool> EnabledFlag(const json* v) {
  if (v == nullptr || v->is_null()) return true;
  if (v->is_boolean()) return v->get<bool>();
  if (v->is_number()) return v->get<double>() != 0;
  if (v->is_string()) {
    const std::string word = absl::AsciiStrToLower(
        absl::StripAsciiWhitespace(v->get<std::string>()));
    if (word == "true" || word == "1" || word == "on" || word == "yes") {
      return true;
    }
    if (word == "false" || word == "0" || word == "off" || word == "no") {
      return false;
    }
  }
  return std::nullopt;
}

class Reader {
 public:
  Reader(const ReadOptions& options, ExportDocument& doc,
         std::vector<Problem>& problems)
      : options_(options), doc_(doc), problems_(problems) {}

  absl::Status Read(const json& root) {
    doc_.history_once = true;
    ReadCidValues(root);
    ReadNamed(root, EntityKind::kAlias);
    ReadNamed(root, EntityKind::kServer);
    ReadVariables(root);
    ReadSecrets(root);
    ReadHistory(root);
    for (const char* ignored :
         {"runtime", "project_files", "app_source", "metadata"}) {
      if (Member(root, ignored) != nullptr) {
        doc_.notes.push_back(absl::StrCat(
            "the section \"", ignored, "\" is not imported (viewer keeps no ",
            "source files or runtime of the original)"));
      }
    }
    return lookup_error_;
  }

 private:
  void Add(absl::string_view path, absl::string_view what) {
    problems_.emplace_back(std::string(path), std::string(what));
  }

  void ReadCidValues(const json& root) {
    const json* map = Member(root, "cid_values");
    if (map == nullptr || map->is_null()) return;
    if (!map->is_object()) {
      Add("cid_values", absl::StrCat("expected an object of CID -> content, "
                                     "got ",
                                     map->type_name()));
      return;
    }
    for (const auto& [key, value] : map->items()) {
      const std::string path = Path("cid_values", key);
      std::optional<std::string> bytes = CidValueBytes(value, path);
      if (!bytes) continue;
      const std::string cid = NormaliseCid(key);
      absl::StatusOr<ParsedCid> parsed = ParseCid(cid);
      if (!parsed.ok()) {
        Add(path, parsed.status().message());
        continue;
      }
      if (absl::Status match = CheckCidBytes(*parsed, *bytes); !match.ok()) {
        Add(path, absl::StrCat("the content does not match the CID: ",
                               match.message()));
        continue;
      }
      if (carried_.emplace(cid, *bytes).second) {
        doc_.cids.push_back({.cid = cid, .bytes = *std::move(bytes)});
      }
    }
  }

  // A cid_values entry: a string (UTF-8 text) or {"encoding", "value"}.
  std::optional<std::string> CidValueBytes(const json& value,
                                           absl::string_view path) {
    std::string encoding = "utf-8";
    const json* text = &value;
    if (value.is_object()) {
      const json* e = Member(value, "encoding");
      if (e != nullptr && e->is_string()) {
        encoding = absl::AsciiStrToLower(
            absl::StripAsciiWhitespace(e->get<std::string>()));
      }
      text = Member(value, "value");
    }
    if (text == nullptr || !text->is_string()) {
      Add(path, "expected a string, or an object with a string \"value\"");
      return std::nullopt;
    }
    const std::string& s = text->get_ref<const std::string&>();
    if (encoding == "utf-8" || encoding == "utf8" || encoding == "text") {
      return s;
    }
    std::string bytes;
    if (encoding == "base64" && absl::Base64Unescape(s, &bytes)) return bytes;
    Add(path, encoding == "base64"
                  ? std::string("not valid base64")
                  : absl::StrCat("unsupported encoding \"", encoding,
                                 "\" (utf-8 or base64)"));
    return std::nullopt;
  }

  // The content `cid` names: carried by the document, spelled by a literal
  // CID, or found by the lookup. A problem at `path` when none has it.
  std::optional<std::string> Content(absl::string_view raw,
                                     absl::string_view path) {
    const std::string cid = NormaliseCid(raw);
    if (auto it = carried_.find(cid); it != carried_.end()) return it->second;
    absl::StatusOr<ParsedCid> parsed = ParseCid(cid);
    if (!parsed.ok()) {
      Add(path, parsed.status().message());
      return std::nullopt;
    }
    if (parsed->is_literal) return parsed->literal_bytes;
    if (options_.lookup) {
      absl::StatusOr<std::optional<std::string>> found = options_.lookup(cid);
      if (!found.ok()) {
        if (lookup_error_.ok()) lookup_error_ = found.status();
        return std::nullopt;
      }
      if (*found) return *std::move(*found);
    }
    Add(path, absl::StrCat("the content of CID ", cid,
                           " is neither in \"cid_values\" nor stored here"));
    return std::nullopt;
  }

  std::optional<std::string> Utf8Content(absl::string_view cid,
                                         absl::string_view path) {
    std::optional<std::string> bytes = Content(cid, path);
    if (bytes && !IsValidUtf8(*bytes)) {
      Add(path, absl::StrCat("the content of CID ", NormaliseCid(cid),
                             " is not UTF-8 text"));
      return std::nullopt;
    }
    return bytes;
  }

  // A section: its JSON, parsed from the CID it names when it is a string.
  std::optional<json> Section(const json& root, const char* key) {
    const json* v = Member(root, key);
    if (v == nullptr || v->is_null()) return std::nullopt;
    if (!v->is_string()) return *v;
    std::optional<std::string> text = Utf8Content(v->get<std::string>(), key);
    if (!text) return std::nullopt;
    if (TooDeepAt(*text, kMaxExportNesting)) {
      Add(key, absl::StrCat("its JSON nests deeper than ", kMaxExportNesting,
                            " levels"));
      return std::nullopt;
    }
    json parsed = json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) {
      Add(key, absl::StrCat("the CID ", NormaliseCid(v->get<std::string>()),
                            " does not hold valid JSON"));
      return std::nullopt;
    }
    return parsed;
  }

  // The items of a list section, each an object; problems for the rest.
  template <typename OnItem>
  void Items(const json& list, absl::string_view name, OnItem on_item) {
    if (!list.is_array()) {
      Add(name, absl::StrCat("expected an array, got ", list.type_name()));
      return;
    }
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string path = Item(name, i);
      if (!list[i].is_object()) {
        Add(path,
            absl::StrCat("expected an object, got ", list[i].type_name()));
        continue;
      }
      on_item(path, list[i]);
    }
  }

  // The entity's name, checked as the forms check it, unique in its kind.
  std::optional<std::string> Name(const json& item, absl::string_view path,
                                  absl::flat_hash_set<std::string>& seen) {
    const json* v = Member(item, "name");
    const std::string at = Path(path, "name");
    if (v == nullptr || !v->is_string()) {
      Add(at, "expected a string");
      return std::nullopt;
    }
    std::string name = v->get<std::string>();
    if (absl::Status s = ValidateEntityName(name); !s.ok()) {
      Add(at, s.message());
      return std::nullopt;
    }
    if (!seen.insert(name).second) {
      Add(at, absl::StrCat("duplicate name \"", name, "\""));
      return std::nullopt;
    }
    return name;
  }

  bool Enabled(const json& item, absl::string_view path) {
    std::optional<bool> enabled = EnabledFlag(Member(item, "enabled"));
    if (!enabled) Add(Path(path, "enabled"), "expected true or false");
    return enabled.value_or(true);
  }

  // Aliases and servers: "definition" text, or "definition_cid".
  void ReadNamed(const json& root, EntityKind kind) {
    const std::string plural(EntityPluralName(kind));
    std::optional<json> section = Section(root, plural.c_str());
    if (!section) return;
    std::vector<DocEntity> out;
    absl::flat_hash_set<std::string> seen;
    Items(*section, plural, [&](const std::string& path, const json& item) {
      DocEntity e;
      std::optional<std::string> name = Name(item, path, seen);
      e.enabled = Enabled(item, path);
      const json* text = Member(item, "definition");
      const json* cid = Member(item, "definition_cid");
      if (text != nullptr && text->is_string()) {
        e.definition = text->get<std::string>();
      } else if (cid != nullptr && cid->is_string()) {
        e.definition = Utf8Content(cid->get<std::string>(),
                                   Path(path, "definition_cid"));
        if (!e.definition) return;
      } else {
        Add(path, "needs a text \"definition\" or a \"definition_cid\"");
        return;
      }
      if (absl::Status s = ValidateEntityDefinition(kind, e.definition);
          !s.ok()) {
        Add(Path(path, "definition"), s.message());
      }
      if (!name) return;
      e.name = *std::move(name);
      if (kind == EntityKind::kServer) {
        e.note = absl::StrCat(
            "imported disabled: the original application ran this server's "
            "definition as code (",
            e.enabled ? "enabled" : "disabled",
            " there); viewer only fills in templates and never runs code");
        e.enabled = false;
        doc_.notes.push_back(
            absl::StrCat("server \"", e.name, "\": ", *e.note));
      }
      out.push_back(std::move(e));
    });
    doc_.entities[static_cast<int>(kind)] = std::move(out);
  }

  void ReadVariables(const json& root) {
    std::optional<json> section = Section(root, "variables");
    if (!section) return;
    std::vector<DocEntity> out;
    absl::flat_hash_set<std::string> seen;
    Items(
        *section, "variables", [&](const std::string& path, const json& item) {
          std::optional<std::string> name = Name(item, path, seen);
          const json* text = Member(item, "definition");
          if (text == nullptr || !text->is_string()) {
            Add(Path(path, "definition"), "expected a string");
            return;
          }
          DocEntity e{.definition = text->get<std::string>(),
                      .enabled = Enabled(item, path)};
          if (absl::Status s =
                  ValidateEntityDefinition(EntityKind::kVariable, e.definition);
              !s.ok()) {
            Add(Path(path, "definition"), s.message());
          }
          if (!name) return;
          e.name = *std::move(name);
          out.push_back(std::move(e));
        });
    doc_.entities[static_cast<int>(EntityKind::kVariable)] = std::move(out);
  }

  void ReadSecrets(const json& root) {
    std::optional<json> section = Section(root, "secrets");
    if (!section) return;
    const json* items = &*section;
    if (section->is_object()) {
      const json* scheme = Member(*section, "encryption");
      if (scheme != nullptr &&
          (!scheme->is_string() || *scheme != kOriginalSecretScheme)) {
        Add("secrets.encryption",
            absl::StrCat("unknown scheme ", scheme->dump(), " (viewer reads \"",
                         kOriginalSecretScheme, "\")"));
        return;
      }
      items = Member(*section, "items");
      if (items == nullptr) {
        Add("secrets.items", "missing");
        return;
      }
    }
    std::vector<DocEntity> out;
    absl::flat_hash_set<std::string> seen;
    Items(*items, "secrets.items",
          [&](const std::string& path, const json& item) {
            std::optional<std::string> name = Name(item, path, seen);
            const json* token = Member(item, "ciphertext");
            if (token == nullptr) token = Member(item, "definition");
            if (token == nullptr || !token->is_string()) {
              Add(Path(path, "ciphertext"), "expected a string");
              return;
            }
            const bool enabled = Enabled(item, path);
            if (!name) return;
            if (options_.secret_key.empty()) {
              doc_.skipped_secrets.push_back(*name);
              return;
            }
            absl::StatusOr<std::string> plain = DecryptOriginalSecret(
                token->get<std::string>(), options_.secret_key);
            if (!plain.ok()) {
              Add(Path(path, "ciphertext"), plain.status().message());
              return;
            }
            out.push_back({.name = *std::move(name),
                           .definition = *std::move(plain),
                           .enabled = enabled});
          });
    if (options_.secret_key.empty() && out.empty()) return;
    doc_.entities[static_cast<int>(EntityKind::kSecret)] = std::move(out);
  }

  void ReadHistory(const json& root) {
    std::optional<json> section = Section(root, "change_history");
    if (!section) return;
    if (!section->is_object()) {
      Add("change_history", "expected an object of kinds");
      return;
    }
    for (EntityKind kind : kAllEntityKinds) {
      const std::string plural(EntityPluralName(kind));
      const json* names = Member(*section, plural.c_str());
      if (names == nullptr || names->is_null()) continue;
      const std::string at = Path("change_history", plural);
      if (!names->is_object()) {
        Add(at, "expected an object of name -> events");
        continue;
      }
      for (const auto& item : names->items()) {
        const std::string& name = item.key();
        Items(item.value(), Path(at, name),
              [&](const std::string& path, const json& event) {
                ReadEvent(kind, name, path, event);
              });
      }
    }
  }

  void ReadEvent(EntityKind kind, const std::string& name,
                 absl::string_view path, const json& event) {
    const json* when = Member(event, "timestamp");
    absl::Time t;
    std::string error;
    if (when == nullptr || !when->is_string() ||
        !absl::ParseTime(absl::RFC3339_full, when->get<std::string>(), &t,
                         &error) ||
        !Timestamp::FromAbsl(t).InRange()) {
      Add(Path(path, "timestamp"),
          "expected an ISO 8601 time with its offset, e.g. "
          "\"2024-05-01T12:00:00+00:00\"");
      return;
    }
    auto text = [&](const char* key) {
      const json* v = Member(event, key);
      return v != nullptr && v->is_string()
                 ? std::string(
                       absl::StripAsciiWhitespace(v->get<std::string>()))
                 : std::string();
    };
    std::string action = text("action");
    if (action.empty()) action = "save";
    doc_.interactions.push_back(
        {.entity_type = std::string(EntityDisplayName(kind)),
         .entity_name = name,
         .action = std::move(action),
         .message = text("message"),
         .content = "",
         .created_at = Timestamp::FromAbsl(t)});
  }

  const ReadOptions& options_;
  ExportDocument& doc_;
  std::vector<Problem>& problems_;
  absl::flat_hash_map<std::string, std::string> carried_;
  absl::Status lookup_error_;
};

}  // namespace

bool IsOriginalDocument(const json& root) {
  if (!root.is_object() || root.contains("format")) return false;
  const json* version = Member(root, "version");
  return version != nullptr && version->is_number_integer() &&
         *version == kOriginalExportVersion;
}

absl::Status ReadOriginalDocument(const json& root, const ReadOptions& options,
                                  ExportDocument& doc,
                                  std::vector<Problem>& problems) {
  return Reader(options, doc, problems).Read(root);
}

absl::StatusOr<std::string> DecryptOriginalSecret(absl::string_view token,
                                                  absl::string_view key) {
  std::string raw;
  if (!UnBase64Url(token, &raw) || raw.size() < kIvBytes + kMacBytes) {
    return absl::InvalidArgumentError(
        "not an encrypted secret of the original (base64url of IV, value, "
        "MAC)");
  }
  const std::string material = Sha256(key);
  const absl::string_view iv = absl::string_view(raw).substr(0, kIvBytes);
  const absl::string_view body = absl::string_view(raw).substr(
      kIvBytes, raw.size() - kIvBytes - kMacBytes);
  const std::string mac = HmacSha256(material, absl::StrCat(iv, body));
  if (CRYPTO_memcmp(mac.data(), raw.data() + raw.size() - kMacBytes,
                    kMacBytes) != 0) {
    return absl::InvalidArgumentError(
        "the key does not decrypt this secret (a wrong key, or an altered "
        "value)");
  }
  std::string plain = XorKeystream(material, iv, body);
  if (!IsValidUtf8(plain)) {
    return absl::InvalidArgumentError("the decrypted secret is not UTF-8");
  }
  return plain;
}

std::string EncryptOriginalSecret(absl::string_view plaintext,
                                  absl::string_view key, absl::string_view iv) {
  const std::string material = Sha256(key);
  const std::string body = XorKeystream(material, iv, plaintext);
  const std::string mac = HmacSha256(material, absl::StrCat(iv, body));
  return absl::WebSafeBase64Escape(absl::StrCat(iv, body, mac));
}

}  // namespace viewer::app_internal
