// `viewer copy FROM_URL TO_URL`: copies a whole store from one database to
// another (a SQLite file and a PostgreSQL database, either way, or two of
// the same kind), for users who move their data (docs/postgres.md).
//
//   viewer copy sqlite:///secureapp.db postgresql://me:pw@db/viewer
//
// FROM is only read (one snapshot: a viewer may keep running on it); TO is
// created when it is a missing SQLite file, gets viewer's tables when it
// is an empty PostgreSQL database, and must hold no rows (else nothing is
// written and the message says which table holds what). The copy is one
// transaction: TO holds all of it or nothing. While it runs, a progress
// line per table goes to stderr; at the end one line on stdout gives the
// rows copied per table. Passwords are never printed.
//
// Exit codes: 0 when copied, 1 when either database cannot be used or the
// copy failed (one line on stderr, "viewer: error: ...").
#ifndef VIEWER_HTTP_COPY_COMMAND_H_
#define VIEWER_HTTP_COPY_COMMAND_H_

#include <string>

namespace viewer {

int RunCopyCommand(const std::string& from_url, const std::string& to_url);

}  // namespace viewer

#endif  // VIEWER_HTTP_COPY_COMMAND_H_
