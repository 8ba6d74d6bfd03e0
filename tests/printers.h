// GoogleTest printers for the storage contract's types, so failures show
// values rather than bytes.
#ifndef VIEWER_TESTS_PRINTERS_H_
#define VIEWER_TESTS_PRINTERS_H_

#include <ostream>

#include "engine/query.h"
#include "engine/value.h"

namespace viewer {

inline void PrintTo(const Value& v, std::ostream* os) { *os << v.DebugString(); }
inline void PrintTo(const Row& r, std::ostream* os) { *os << r.DebugString(); }
inline void PrintTo(const GroupCount& g, std::ostream* os) {
  *os << "{" << g.key.DebugString() << ": " << g.count << "}";
}

}  // namespace viewer

#endif  // VIEWER_TESTS_PRINTERS_H_
