#include "tests/busy_session.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "app/cid.h"
#include "app/schemas.h"
#include "engine/status_macros.h"

namespace viewer {

absl::Status FillBusySession(Transaction& txn, int rows) {
  const int views = rows / 2, interactions = rows * 3 / 10,
            cids = rows / 20;  // and as many invocations
  const int each_entity = (rows - views - interactions - 2 * cids) / 4;
  const int extra = rows - views - interactions - 2 * cids - 4 * each_entity;
  auto insert = [&](const char* table, const Assignments& values) {
    return txn.Insert(table, values).status();
  };
  for (int i = 0; i < views + extra; ++i) {
    VIEWER_RETURN_IF_ERROR(
        insert(kPageViewTable,
               {{"path", Value::Text(absl::StrCat("/servers/srv-", i % 977))},
                {"user_agent", Value::Text("Mozilla/5.0 (X11; Linux x86_64)")},
                {"ip_address", Value::Text("127.0.0.1")}}));
  }
  for (int i = 0; i < interactions; ++i) {
    VIEWER_RETURN_IF_ERROR(insert(
        kInteractionTable,
        {{"entity_type", Value::Text("server")},
         {"entity_name", Value::Text(absl::StrCat("e-", i % 2500))},
         {"action", Value::Text("update")},
         {"message", Value::Text("updated server")},
         {"content", Value::Text(absl::StrCat("Hello {{greeting}} ", i))}}));
  }
  for (int i = 0; i < cids; ++i) {
    std::string bytes(1024, static_cast<char>('a' + i % 26));
    absl::StrAppend(&bytes, i);
    const std::string cid = ComputeCid(bytes);
    VIEWER_RETURN_IF_ERROR(
        insert(kCidTable, {{"path", Value::Text("/" + cid)},
                           {"file_data", Value::Blob(bytes)},
                           {"file_size", Value::Integer(bytes.size())}}));
    VIEWER_RETURN_IF_ERROR(
        insert(kInvocationTable,
               {{"server_name", Value::Text(absl::StrCat("e-", i % 2500))},
                {"result_cid", Value::Text(cid)}}));
  }
  for (const char* table :
       {kServerTable, kAliasTable, kVariableTable, kSecretTable}) {
    for (int i = 0; i < each_entity; ++i) {
      const std::string def = absl::StrCat("Hello from ", i, " {{greeting}}");
      Assignments values = {{"name", Value::Text(absl::StrCat("e-", i))},
                            {"definition", Value::Text(def)}};
      if (std::string(table) == kServerTable) {
        values.push_back({"definition_cid", Value::Text(ComputeCid(def))});
      }
      VIEWER_RETURN_IF_ERROR(insert(table, values));
    }
  }
  return absl::OkStatus();
}

}  // namespace viewer
