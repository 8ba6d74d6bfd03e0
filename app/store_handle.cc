#include "app/store_handle.h"

namespace viewer {

absl::string_view StoreModeName(StoreMode mode) {
  switch (mode) {
    case StoreMode::kMemory:
      return "memory";
    case StoreMode::kPostgres:
      return "postgresql";
    case StoreMode::kDisk:
      break;
  }
  return "disk";
}

}  // namespace viewer
