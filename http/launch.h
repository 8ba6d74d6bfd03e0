// The viewer process: command line -> store -> server -> signals -> exit. Only
// this file and session.h (and test fixtures) choose a backend (docs/design.md,
// "Layers").
//
//   int main(int argc, char** argv) { return viewer::RunViewer(argc, argv); }
//
// Output: in memory mode, first a warning on stderr; then start-up lines on
// stdout, each naming the mode ("viewer [memory] ..."): the database (and
// the file loaded with --load), the cids folder and its bad files, the
// seed, and "listening on http://HOST:PORT". SIGINT or SIGTERM stops
// accepting, lets requests in progress finish, and (memory mode) dumps the
// store to the --dump-db-on-exit file, or prints what is being discarded.
// Errors are one line on stderr, "viewer: error: ...".
//
// Exit codes: 0 after a signal, --help or --version; 2 for a bad command
// line or DATABASE_URL; 1 when the database, the file to load, the seed,
// the dump file's folder, the cids folder or the port cannot be used, or
// when the dump at exit failed (the file is then as it was).
#ifndef VIEWER_HTTP_LAUNCH_H_
#define VIEWER_HTTP_LAUNCH_H_

namespace viewer {

int RunViewer(int argc, char** argv);

}  // namespace viewer

#endif  // VIEWER_HTTP_LAUNCH_H_
