// FUZZ_CHECK: the property check of the fuzz targets in this folder. A
// violated property prints what failed (and the detail the caller gives)
// and traps, so libFuzzer records the input as a crash.
//
//   FUZZ_CHECK(parsed.ok(), "ComputeCid(x) does not parse: " << cid);
#ifndef VIEWER_TESTS_FUZZ_FUZZ_CHECK_H_
#define VIEWER_TESTS_FUZZ_FUZZ_CHECK_H_

#include <iostream>

#define FUZZ_CHECK(cond, detail)                                  \
  do {                                                            \
    if (!(cond)) {                                                \
      std::cerr << __FILE__ << ":" << __LINE__                    \
                << ": property violated: " #cond "\n  " << detail \
                << std::endl;                                     \
      __builtin_trap();                                           \
    }                                                             \
  } while (0)

#endif  // VIEWER_TESTS_FUZZ_FUZZ_CHECK_H_
