// How a property failure tells the reader what failed and how to run it
// again: the replay command (set once by main), and, should the process
// crash instead of failing cleanly, a report of the step it was running
// and that command, printed from the fatal signal's handler.
//
//   SetReplayCommand("property_tests --rc-seed=1 --rc-max-success=500");
//   InstallCrashReport();
//   ...
//   SetActivity("storage step 12: Insert server {...}");
#ifndef VIEWER_PROPERTY_TESTS_REPLAY_H_
#define VIEWER_PROPERTY_TESTS_REPLAY_H_

#include <string>

namespace viewer::property {

void SetReplayCommand(const std::string& command);
const std::string& ReplayCommand();

// What the properties are doing now; the crash report prints it. Call from
// the thread that drives a property.
void SetActivity(const std::string& what);

// On SIGSEGV, SIGILL, SIGABRT, SIGBUS or SIGFPE (only the last three
// under a sanitizer, whose own report of a bad access says more): prints the
// activity and the replay command to stderr, then dies of the same signal.
void InstallCrashReport();

}  // namespace viewer::property

#endif  // VIEWER_PROPERTY_TESTS_REPLAY_H_
