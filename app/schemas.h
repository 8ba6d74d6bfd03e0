// The nine tables of the application (DESIGN.md section 5), shared by both
// backends. Table and column names are the original application's, so the
// SQLite backend's file is the original `secureapp.db` layout.
//
//   MemoryOptions options;
//   options.catalog = AppCatalog();
#ifndef VIEWER_APP_SCHEMAS_H_
#define VIEWER_APP_SCHEMAS_H_

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

// The catalog of all nine tables, in the order of DESIGN.md section 4.
const Catalog& AppCatalog();

}  // namespace viewer

#endif  // VIEWER_APP_SCHEMAS_H_
