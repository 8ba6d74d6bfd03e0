// The tables of the application (docs/design.md, "Tables"), shared by every
// backend. Table and column names are the original application's, so the
// SQLite backend's file is the original `secureapp.db` layout.
//
//   MemoryOptions options;
//   options.catalog = AppCatalog();
//   std::array<int64_t, kAppTableCount> rows_per_table;  // catalog order
//
// The tables are listed once, in kAppTables; AppCatalog() holds exactly
// those, in that order (it aborts at its first use otherwise), so code that
// needs their number uses kAppTableCount and never writes it by hand.
#ifndef VIEWER_APP_SCHEMAS_H_
#define VIEWER_APP_SCHEMAS_H_

#include <cstddef>
#include <iterator>

#include "engine/schema.h"

namespace viewer {

// Table names.
inline constexpr char kCidTable[] = "cid";
inline constexpr char kPageViewTable[] = "page_view";
inline constexpr char kServerTable[] = "server";
inline constexpr char kAliasTable[] = "alias";
inline constexpr char kInteractionTable[] = "entity_interactions";
inline constexpr char kVariableTable[] = "variable";
inline constexpr char kSecretTable[] = "secret";
inline constexpr char kInvocationTable[] = "server_invocation";
inline constexpr char kExportTable[] = "export";

// Every table, in catalog order (the original application's).
inline constexpr const char* kAppTables[] = {
    kCidTable,    kPageViewTable,    kServerTable,
    kAliasTable,  kInteractionTable, kVariableTable,
    kSecretTable, kInvocationTable,  kExportTable};
inline constexpr size_t kAppTableCount = std::size(kAppTables);

// The catalog of the kAppTables, in that order.
const Catalog& AppCatalog();

}  // namespace viewer

#endif  // VIEWER_APP_SCHEMAS_H_
