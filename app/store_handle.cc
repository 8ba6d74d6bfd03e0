#include "app/store_handle.h"

namespace viewer {

absl::string_view StoreModeName(StoreMode mode) {
  return mode == StoreMode::kMemory ? "memory" : "disk";
}

}  // namespace viewer
