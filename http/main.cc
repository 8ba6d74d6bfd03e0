// viewer: see http/launch.h for what the process does, and `viewer --help`.
#include "http/launch.h"

int main(int argc, char** argv) { return viewer::RunViewer(argc, argv); }
