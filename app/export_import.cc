#include "app/export_import.h"

#include <exception>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "app/cid.h"
#include "app/interactions.h"
#include "app/internal/export_reader.h"
#include "app/internal/rows.h"
#include "app/schemas.h"
#include "engine/status_macros.h"
#include "engine/utf8.h"
#include "nlohmann/json.hpp"

namespace viewer {
namespace {

using app_internal::Atomically;
using app_internal::ColumnIndex;
using app_internal::DocEntity;
using app_internal::ExportDocument;
using app_internal::TextOrNull;
using json = nlohmann::ordered_json;

// Rows of the cid table read per query (each may hold megabytes).
constexpr int64_t kCidRowsPerPage = 32;

json TextJson(const Value& v) {
  return v.kind() == ValueKind::kText ? json(v.text()) : json(nullptr);
}
json TimeJson(const Value& v) {
  return v.kind() == ValueKind::kTimestamp ? json(v.timestamp().ToString())
                                           : json(nullptr);
}

// The CIDs referenced by exported entities, in order of first appearance.
class CidSet {
 public:
  void Add(const std::string& cid) {
    if (seen_.insert(cid).second) order_.push_back(cid);
  }
  bool Contains(const std::string& cid) const { return seen_.contains(cid); }
  const std::vector<std::string>& order() const { return order_; }

 private:
  absl::flat_hash_set<std::string> seen_;
  std::vector<std::string> order_;
};

absl::Status NotUtf8(EntityKind kind, absl::string_view name,
                     absl::string_view field) {
  return absl::FailedPreconditionError(absl::StrCat(
      EntityDisplayName(kind), " '", absl::CHexEscape(name), "': its ", field,
      " is not valid UTF-8, so a JSON export cannot hold it"));
}

absl::StatusOr<json> ExportEntities(Transaction& txn, EntityKind kind,
                                    CidSet& refs) {
  VIEWER_ASSIGN_OR_RETURN(std::vector<Entity> entities,
                          ListEntities(txn, kind));
  json out = json::array();
  for (const Entity& e : entities) {
    if (!IsValidUtf8(e.name)) return NotUtf8(kind, e.name, "name");
    if (e.definition && !IsValidUtf8(*e.definition)) {
      return NotUtf8(kind, e.name, "definition");
    }
    json item = {{"name", e.name}};
    item["definition"] = e.definition ? json(*e.definition) : json(nullptr);
    if (e.definition_cid) {
      item["definition_cid"] = *e.definition_cid;
      refs.Add(*e.definition_cid);
    }
    item["enabled"] = e.enabled;
    item["created_at"] = e.created_at.ToString();
    item["updated_at"] = e.updated_at.ToString();
    if (e.definition) {
      for (std::string& cid : FindCidReferences(*e.definition)) refs.Add(cid);
    }
    out.push_back(std::move(item));
  }
  return out;
}

// Every row of `table` as a JSON object of the named columns, in id order.
absl::StatusOr<json> ExportRows(Transaction& txn, const char* table,
                                const std::vector<const char*>& texts,
                                const char* time_column) {
  VIEWER_ASSIGN_OR_RETURN(std::vector<Row> rows, txn.Select(table, Query{}));
  std::vector<size_t> text_index;
  for (const char* c : texts) text_index.push_back(ColumnIndex(table, c));
  const size_t time_index = ColumnIndex(table, time_column);
  json out = json::array();
  for (const Row& row : rows) {
    json item = json::object();
    for (size_t i = 0; i < texts.size(); ++i) {
      item[texts[i]] = TextJson(row[text_index[i]]);
    }
    item[time_column] = TimeJson(row[time_index]);
    out.push_back(std::move(item));
  }
  return out;
}

json CidJson(const std::string& cid, absl::string_view bytes) {
  return {{"cid", cid}, {"base64", absl::Base64Escape(bytes)}};
}

// Every row of the cid table whose path is "/" + the CID of its bytes.
absl::Status ExportAllCids(Transaction& txn, CidSet& done, json& out) {
  static const size_t kPath = ColumnIndex(kCidTable, "path");
  static const size_t kData = ColumnIndex(kCidTable, "file_data");
  int64_t last_id = 0;
  while (true) {
    Query q;
    q.where = {Filter::Gt("id", Value::Integer(last_id))};
    q.limit = kCidRowsPerPage;
    VIEWER_ASSIGN_OR_RETURN(std::vector<Row> rows, txn.Select(kCidTable, q));
    for (const Row& row : rows) {
      last_id = row.id();
      if (row[kPath].kind() != ValueKind::kText) continue;
      absl::string_view path = row[kPath].text();
      if (path.empty() || path[0] != '/') continue;
      std::string cid(path.substr(1));
      absl::StatusOr<ParsedCid> parsed = ParseCid(cid);
      if (done.Contains(cid) || !parsed.ok() ||
          !VerifyCid(*parsed, row[kData].bytes())) {
        continue;
      }
      out.push_back(CidJson(cid, row[kData].bytes()));
      done.Add(cid);
    }
    if (static_cast<int64_t>(rows.size()) < kCidRowsPerPage) break;
  }
  return absl::OkStatus();
}

absl::StatusOr<json> ExportCids(Transaction& txn, const CidRepository& cids,
                                const ExportOptions& options,
                                const CidSet& refs) {
  json out = json::array();
  CidSet done;
  if (options.cids) {
    for (const std::string& cid : refs.order()) {
      VIEWER_ASSIGN_OR_RETURN(bool exists, cids.Exists(txn, cid));
      if (!exists) continue;
      absl::StatusOr<std::shared_ptr<const std::string>> bytes =
          cids.Get(txn, cid);
      if (!bytes.ok()) {
        // A folder file found bad is never served, so never exported.
        if (bytes.status().code() == absl::StatusCode::kDataLoss) continue;
        return bytes.status();
      }
      out.push_back(CidJson(cid, **bytes));
      done.Add(cid);
    }
  }
  if (options.all_cids) VIEWER_RETURN_IF_ERROR(ExportAllCids(txn, done, out));
  return out;
}

// The note a document gives an entity, on the entity's history.
absl::Status RecordNote(Transaction& txn, EntityKind kind, const DocEntity& e) {
  if (!e.note) return absl::OkStatus();
  return RecordInteraction(txn,
                           {.entity_type = std::string(EntityDisplayName(kind)),
                            .entity_name = e.name,
                            .action = "import",
                            .message = *e.note,
                            .content = ""})
      .status();
}

// Writes one entity of the document; counts what happened.
absl::Status ImportEntity(Transaction& txn, EntityKind kind, const DocEntity& e,
                          ImportCounts& counts) {
  EntityInput input{
      .name = e.name, .definition = e.definition, .enabled = e.enabled};
  VIEWER_ASSIGN_OR_RETURN(bool exists, EntityExists(txn, kind, e.name));
  if (exists) {
    VIEWER_ASSIGN_OR_RETURN(Entity current, GetEntity(txn, kind, e.name));
    if (current.definition == e.definition && current.enabled == e.enabled) {
      ++counts.unchanged;
      return absl::OkStatus();
    }
    VIEWER_RETURN_IF_ERROR(UpdateEntity(txn, kind, e.name, input).status());
    VIEWER_RETURN_IF_ERROR(RecordNote(txn, kind, e));
    ++counts.updated;
    return absl::OkStatus();
  }
  VIEWER_ASSIGN_OR_RETURN(Entity created, CreateEntity(txn, kind, input));
  VIEWER_RETURN_IF_ERROR(RecordNote(txn, kind, e));
  ++counts.created;
  Assignments times;
  if (e.created_at) times.push_back({"created_at", Value::Time(*e.created_at)});
  if (e.updated_at) times.push_back({"updated_at", Value::Time(*e.updated_at)});
  if (times.empty()) return absl::OkStatus();
  return txn.Update(EntityTableName(kind), created.id, times);
}

// True when the store holds an interaction like `i` (same entity, action,
// message and time).
absl::StatusOr<bool> HoldsInteraction(
    Transaction& txn, const app_internal::DocInteraction& i,
    const std::optional<std::string>& message) {
  if (!i.created_at) return false;
  static const size_t kMessage = ColumnIndex(kInteractionTable, "message");
  Query q;
  q.where = {Filter::Eq("entity_type", Value::Text(i.entity_type)),
             Filter::Eq("entity_name", Value::Text(i.entity_name)),
             Filter::Eq("action", Value::Text(i.action)),
             Filter::Eq("created_at", Value::Time(*i.created_at))};
  VIEWER_ASSIGN_OR_RETURN(std::vector<Row> rows,
                          txn.Select(kInteractionTable, q));
  for (const Row& row : rows) {
    const Value& m = row[kMessage];
    const std::optional<std::string> stored =
        m.kind() == ValueKind::kText ? std::optional<std::string>(m.text())
                                     : std::nullopt;
    if (stored == message) return true;
  }
  return false;
}

absl::StatusOr<ImportResult> Apply(Transaction& txn,
                                   const ExportDocument& doc) {
  ImportResult result;
  result.skipped_secrets = doc.skipped_secrets;
  result.notes = doc.notes;
  const CidRepository table_only;  // the store's cid table, no folder
  // Saving a server stores its definition as a CID too: the rows added are
  // counted at the end, whatever added them.
  VIEWER_ASSIGN_OR_RETURN(const int64_t cids_before, txn.Count(kCidTable));
  for (const app_internal::DocCid& c : doc.cids) {
    VIEWER_ASSIGN_OR_RETURN(bool present, table_only.Exists(txn, c.cid));
    if (present) {
      ++result.cids_present;
      continue;
    }
    // Under the document's name: a short content may be named by the
    // hashed form (a server output holding a secret), which Create would
    // turn back into a literal name spelling the content.
    VIEWER_RETURN_IF_ERROR(table_only.CreateNamed(txn, c.cid, c.bytes));
  }
  for (const app_internal::DocPageView& v : doc.page_views) {
    Assignments row = {{"path", Value::Text(v.path)},
                       {"method", TextOrNull(v.method)},
                       {"user_agent", TextOrNull(v.user_agent)},
                       {"ip_address", TextOrNull(v.ip_address)}};
    if (v.viewed_at) row.push_back({"viewed_at", Value::Time(*v.viewed_at)});
    VIEWER_RETURN_IF_ERROR(txn.Insert(kPageViewTable, row).status());
    ++result.page_views;
  }
  for (const app_internal::DocInteraction& i : doc.interactions) {
    std::optional<std::string> message;
    if (i.message) {
      message = TruncateUtf8(*i.message, kMaxInteractionMessageChars);
    }
    if (doc.history_once) {
      VIEWER_ASSIGN_OR_RETURN(bool held, HoldsInteraction(txn, i, message));
      if (held) continue;
    }
    Assignments row = {
        {"entity_type", Value::Text(i.entity_type)},
        {"entity_name", Value::Text(i.entity_name)},
        {"action", Value::Text(i.action)},
        {"message", TextOrNull(message)},
        {"content", Value::Text(i.entity_type == "secret" ? kRedactedContent
                                                          : i.content)}};
    if (i.created_at) row.push_back({"created_at", Value::Time(*i.created_at)});
    VIEWER_RETURN_IF_ERROR(txn.Insert(kInteractionTable, row).status());
    ++result.interactions;
  }
  // After the history, so that the interactions these writes record come
  // after the older ones in id order too.
  for (EntityKind kind : kAllEntityKinds) {
    const auto& entities = doc.entities[static_cast<int>(kind)];
    if (!entities) continue;
    for (const DocEntity& e : *entities) {
      VIEWER_RETURN_IF_ERROR(ImportEntity(txn, kind, e, result.of(kind)));
    }
  }
  VIEWER_ASSIGN_OR_RETURN(const int64_t cids_after, txn.Count(kCidTable));
  result.cids_added = cids_after - cids_before;
  return result;
}

}  // namespace

const ImportCounts& ImportResult::of(EntityKind kind) const {
  switch (kind) {
    case EntityKind::kServer:
      return servers;
    case EntityKind::kAlias:
      return aliases;
    case EntityKind::kVariable:
      return variables;
    case EntityKind::kSecret:
      return secrets;
  }
  return servers;
}

ImportCounts& ImportResult::of(EntityKind kind) {
  return const_cast<ImportCounts&>(std::as_const(*this).of(kind));
}

std::string ImportResult::Summary() const {
  std::string out;
  for (EntityKind kind : kAllEntityKinds) {
    const ImportCounts& c = of(kind);
    absl::StrAppend(&out, EntityPluralName(kind), ": ", c.created, " created, ",
                    c.updated, " updated, ", c.unchanged, " unchanged; ");
  }
  absl::StrAppend(&out, "page views: ", page_views,
                  "; interactions: ", interactions, "; CIDs: ", cids_added,
                  " added, ", cids_present, " already present");
  if (!skipped_secrets.empty()) {
    absl::StrAppend(&out, "; secrets not imported (no key): ",
                    absl::StrJoin(skipped_secrets, ", "));
  }
  return out;
}

std::vector<std::string> FindCidReferences(absl::string_view text) {
  CidSet found;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '/') continue;
    size_t end = i + 1;
    while (end < text.size() && IsBase64UrlChar(text[end])) ++end;
    const size_t length = end - i - 1;
    if (length >= kCidPrefixChars && length <= kCidMaxChars) {
      std::string token(text.substr(i + 1, length));
      if (ParseCid(token).ok()) found.Add(token);
    }
    i = end - 1;
  }
  return found.order();
}

absl::StatusOr<std::string> BuildExport(Transaction& txn,
                                        const CidRepository& cids,
                                        const ExportOptions& options) {
  json doc = {{"format", kExportFormat}, {"version", kExportVersion}};
  CidSet refs;
  const bool chosen[] = {options.servers, options.aliases, options.variables,
                         options.secrets};
  for (EntityKind kind : kAllEntityKinds) {
    if (!chosen[static_cast<int>(kind)]) continue;
    VIEWER_ASSIGN_OR_RETURN(json entities, ExportEntities(txn, kind, refs));
    doc[std::string(EntityPluralName(kind))] = std::move(entities);
  }
  if (options.history) {
    VIEWER_ASSIGN_OR_RETURN(
        json views, ExportRows(txn, kPageViewTable,
                               {"path", "method", "user_agent", "ip_address"},
                               "viewed_at"));
    VIEWER_ASSIGN_OR_RETURN(json interactions,
                            ExportRows(txn, kInteractionTable,
                                       {"entity_type", "entity_name", "action",
                                        "message", "content"},
                                       "created_at"));
    doc["history"] = {{"page_views", std::move(views)},
                      {"interactions", std::move(interactions)}};
  }
  if (options.cids || options.all_cids) {
    VIEWER_ASSIGN_OR_RETURN(doc["cids"], ExportCids(txn, cids, options, refs));
  }
  try {
    return doc.dump(2, ' ', false, json::error_handler_t::replace);
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError("out of memory writing the export");
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("writing the export: ", e.what()));
  }
}

absl::StatusOr<ExportRecord> StoreExport(Transaction& txn,
                                         const CidRepository& cids,
                                         absl::string_view document) {
  VIEWER_ASSIGN_OR_RETURN(std::string cid, cids.Create(txn, document));
  return RecordExport(txn, cid);
}

absl::StatusOr<ImportResult> ApplyImport(Transaction& txn,
                                         absl::string_view document) {
  return ApplyImport(txn, document, ImportOptions{});
}

absl::StatusOr<ImportResult> ApplyImport(Transaction& txn,
                                         absl::string_view document,
                                         const ImportOptions& options) {
  app_internal::ReadOptions read{.secret_key = options.secret_key};
  if (const CidRepository* cids = options.cids) {
    read.lookup = [&txn, cids](absl::string_view cid)
        -> absl::StatusOr<std::optional<std::string>> {
      VIEWER_ASSIGN_OR_RETURN(bool exists, cids->Exists(txn, cid));
      if (!exists) return std::optional<std::string>();
      VIEWER_ASSIGN_OR_RETURN(std::shared_ptr<const std::string> bytes,
                              cids->Get(txn, cid));
      return std::optional<std::string>(*bytes);
    };
  }
  VIEWER_ASSIGN_OR_RETURN(ExportDocument doc,
                          app_internal::ReadExportDocument(document, read));
  return Atomically(txn, [&] { return Apply(txn, doc); });
}

absl::Status ValidateExportDocument(absl::string_view document,
                                    const ImportOptions& options) {
  return app_internal::ReadExportDocument(document,
                                          {.secret_key = options.secret_key})
      .status();
}

}  // namespace viewer
