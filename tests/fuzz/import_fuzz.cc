// Fuzz target for the import document reader (app/export_import.h), for
// viewer's format and the original's version 6. The input is a document,
// applied to a fresh MemoryStore that already holds one entity of each
// kind, a CID and a page view. Properties:
//   - ApplyImport is all or nothing: on error every table holds exactly
//     what it held before, and the transaction still commits;
//   - its errors are kInvalidArgument (whose first line counts problems) or
//     kResourceExhausted, and ValidateExportDocument, which checks without
//     a store, gives the same verdict for a document;
//   - on success the counts are what the tables show (entities created,
//     CIDs and page views added, interactions beside one per entity
//     written and one per note on a server of the original's), a second import
//     of the same document changes no entity and adds no CID, and an export of
//     the result, applied to an empty store, gives the same entities, CIDs and
//     page views (that store exports the same document without history) and the
//     same interactions first.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "app/cid_repository.h"
#include "app/entities.h"
#include "app/export_import.h"
#include "app/schemas.h"
#include "engine/clock.h"
#include "engine/memory_store.h"
#include "tests/fuzz/fuzz_check.h"

namespace viewer {
namespace {

using Tables = std::map<std::string, std::vector<Row>>;

std::string Show(absl::string_view s) {
  return absl::CHexEscape(s.substr(0, 2000));
}

Tables ReadTables(Transaction& txn) {
  Tables tables;
  for (const TableSchema& table : AppCatalog().tables()) {
    absl::StatusOr<std::vector<Row>> rows = txn.Select(table.name(), Query{});
    FUZZ_CHECK(rows.ok(), rows.status());
    tables[table.name()] = *std::move(rows);
  }
  return tables;
}

int64_t Added(const Tables& before, const Tables& after,
              const std::string& table) {
  return static_cast<int64_t>(after.at(table).size()) -
         static_cast<int64_t>(before.at(table).size());
}

void Seed(Store& store) {
  auto txn = store.Begin(TransactionMode::kReadWrite);
  FUZZ_CHECK(txn.ok(), txn.status());
  Transaction& t = **txn;
  FUZZ_CHECK(CreateEntity(t, EntityKind::kServer,
                          {"hello", "Hello {{x}} /AAAAAAAFaGVsbG8"})
                 .ok(),
             "seed");
  FUZZ_CHECK(
      CreateEntity(t, EntityKind::kAlias, {"docs", "docs -> /hello"}).ok(),
      "seed");
  FUZZ_CHECK(CreateEntity(t, EntityKind::kVariable, {"x", "world"}).ok(),
             "seed");
  FUZZ_CHECK(CreateEntity(t, EntityKind::kSecret, {"TOKEN", "s3cret"}).ok(),
             "seed");
  FUZZ_CHECK(CidRepository().Create(t, std::string(100, 'c')).ok(), "seed");
  FUZZ_CHECK(t.Insert(kPageViewTable, {{"path", Value::Text("/hello")}}).ok(),
             "seed");
  FUZZ_CHECK(t.Commit().ok(), "seed");
}

void CheckCounts(const ImportResult& r, const Tables& before,
                 const Tables& after, absl::string_view doc) {
  int64_t written = 0;
  for (EntityKind kind : {EntityKind::kServer, EntityKind::kAlias,
                          EntityKind::kVariable, EntityKind::kSecret}) {
    const ImportCounts& c = r.of(kind);
    FUZZ_CHECK(
        Added(before, after, std::string(EntityTableName(kind))) == c.created,
        EntityTableName(kind) << ": " << r.Summary() << "\n"
                              << Show(doc));
    written += c.created + c.updated;
  }
  // An original's document notes each server it writes on its history.
  const bool noted = std::any_of(
      r.notes.begin(), r.notes.end(),
      [](const std::string& n) { return absl::StartsWith(n, "server \""); });
  if (noted) written += r.servers.created + r.servers.updated;
  FUZZ_CHECK(Added(before, after, kCidTable) == r.cids_added, r.Summary());
  FUZZ_CHECK(Added(before, after, kPageViewTable) == r.page_views, r.Summary());
  FUZZ_CHECK(
      Added(before, after, kInteractionTable) == r.interactions + written,
      r.Summary() << "\n"
                  << Show(doc));
}

// Rows without their ids (the first value).
std::vector<std::vector<Value>> WithoutIds(const std::vector<Row>& rows) {
  std::vector<std::vector<Value>> out;
  for (const Row& r : rows)
    out.emplace_back(r.values.begin() + 1, r.values.end());
  return out;
}

// Applies `exported` (an export of what `source` sees, history included)
// to an empty store on the same clock and compares.
void CheckExportApplies(Transaction& source, const std::string& exported,
                        ManualClock& clock, absl::string_view doc) {
  MemoryOptions options;
  options.catalog = AppCatalog();
  options.clock = &clock;
  absl::StatusOr<std::unique_ptr<MemoryStore>> fresh =
      MemoryStore::Open(std::move(options));
  FUZZ_CHECK(fresh.ok(), fresh.status());
  auto txn = (*fresh)->Begin(TransactionMode::kReadWrite);
  FUZZ_CHECK(txn.ok(), txn.status());
  absl::StatusOr<ImportResult> applied = ApplyImport(**txn, exported);
  FUZZ_CHECK(applied.ok(), "an export does not apply: " << applied.status()
                                                        << "\n"
                                                        << Show(doc));
  ExportOptions no_history;
  no_history.secrets = true;
  no_history.all_cids = true;
  absl::StatusOr<std::string> want =
      BuildExport(source, CidRepository(), no_history);
  absl::StatusOr<std::string> got =
      BuildExport(**txn, CidRepository(), no_history);
  FUZZ_CHECK(want.ok() && got.ok(), want.status() << " / " << got.status());
  FUZZ_CHECK(*want == *got, "the export applied to an empty store exports "
                                << Show(*got) << "\nnot " << Show(*want)
                                << "\nfor " << Show(doc));
  const Tables from = ReadTables(source);
  const Tables into = ReadTables(**txn);
  FUZZ_CHECK(WithoutIds(from.at(kPageViewTable)) ==
                 WithoutIds(into.at(kPageViewTable)),
             "page views differ after applying an export of " << Show(doc));
  const auto history = WithoutIds(from.at(kInteractionTable));
  const auto applied_history = WithoutIds(into.at(kInteractionTable));
  FUZZ_CHECK(
      applied_history.size() >= history.size() &&
          std::equal(history.begin(), history.end(), applied_history.begin()),
      "interactions differ after applying an export of " << Show(doc));
  FUZZ_CHECK((*txn)->Commit().ok(), "commit");
}

}  // namespace
}  // namespace viewer

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace viewer;
  const absl::string_view doc(reinterpret_cast<const char*>(data), size);
  ManualClock clock;
  MemoryOptions options;
  options.catalog = AppCatalog();
  options.clock = &clock;
  options.byte_limit = int64_t{256} << 20;
  absl::StatusOr<std::unique_ptr<MemoryStore>> store =
      MemoryStore::Open(std::move(options));
  FUZZ_CHECK(store.ok(), store.status());
  Seed(**store);

  auto txn = (*store)->Begin(TransactionMode::kReadWrite);
  FUZZ_CHECK(txn.ok(), txn.status());
  const Tables before = ReadTables(**txn);
  absl::StatusOr<ImportResult> result = ApplyImport(**txn, doc);
  const absl::Status validated = ValidateExportDocument(doc);
  if (!result.ok()) {
    const absl::StatusCode code = result.status().code();
    FUZZ_CHECK(code == absl::StatusCode::kInvalidArgument ||
                   code == absl::StatusCode::kResourceExhausted,
               result.status());
    FUZZ_CHECK(ReadTables(**txn) == before,
               "a failed import changed the store: " << result.status() << "\n"
                                                     << Show(doc));
    FUZZ_CHECK(code != absl::StatusCode::kInvalidArgument ||
                   validated == result.status(),
               "ValidateExportDocument says " << validated << "\nApplyImport "
                                              << result.status() << "\n"
                                              << Show(doc));
    FUZZ_CHECK((*txn)->Commit().ok(), "the transaction is unusable");
    return 0;
  }
  FUZZ_CHECK(validated.ok(),
             "ApplyImport took what ValidateExportDocument "
             "refuses: "
                 << validated << "\n"
                 << Show(doc));
  const Tables after = ReadTables(**txn);
  CheckCounts(*result, before, after, doc);

  absl::StatusOr<ImportResult> second = ApplyImport(**txn, doc);
  FUZZ_CHECK(second.ok(), second.status() << "\n" << Show(doc));
  for (EntityKind kind : {EntityKind::kServer, EntityKind::kAlias,
                          EntityKind::kVariable, EntityKind::kSecret}) {
    const ImportCounts& first = result->of(kind);
    const ImportCounts& again = second->of(kind);
    FUZZ_CHECK(
        again.created == 0 && again.updated == 0 &&
            again.unchanged == first.created + first.updated + first.unchanged,
        "second import: " << second->Summary()
                          << "\nfirst: " << result->Summary() << "\n"
                          << Show(doc));
  }
  // Nothing new the second time; the document's CIDs are all there now.
  // (The first import's added CIDs count the servers' definitions too, so
  // they bound the document's CIDs from above.)
  FUZZ_CHECK(second->cids_added == 0 &&
                 second->cids_present >= result->cids_present &&
                 second->cids_present <=
                     result->cids_added + result->cids_present,
             second->Summary() << "\nfirst: " << result->Summary());

  ExportOptions everything;
  everything.secrets = true;
  everything.history = true;
  everything.all_cids = true;
  absl::StatusOr<std::string> exported =
      BuildExport(**txn, CidRepository(), everything);
  FUZZ_CHECK(exported.ok(), exported.status() << "\n" << Show(doc));
  const absl::Status reimport = ValidateExportDocument(*exported);
  FUZZ_CHECK(reimport.ok(), "an export does not import: " << reimport << "\n"
                                                          << Show(doc));
  CheckExportApplies(**txn, *exported, clock, doc);
  FUZZ_CHECK((*txn)->Commit().ok(), "commit");
  return 0;
}
