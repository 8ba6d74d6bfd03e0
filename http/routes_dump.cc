// The dump route of a memory session:
//
//   POST /api/dump               memory mode: writes the whole store to the
//                                --dump-db-on-exit file (the only path a
//                                dump goes to; a request naming one is
//                                400) -> 200 {"path", "bytes",
//                                "milliseconds"}; 409 on disk or when no
//                                file was named
#include <sys/stat.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "http/internal/site.h"

namespace viewer::http_internal {
namespace {

void Dump(const Site& site, Ctx& ctx) {
  const bool has_parameters =
      !ctx.req.params.empty() || !ctx.body.form.empty() ||
      !ctx.body.files.empty() ||
      (!ctx.body.bytes.empty() && ctx.body.bytes != "{}");
  if (has_parameters) {
    return ctx.Fail(absl::InvalidArgumentError(
        "POST /api/dump takes no parameters: a dump goes only to the file "
        "named at start with --dump-db-on-exit; a request cannot choose "
        "where viewer writes"));
  }
  if (site.store_mode() != StoreMode::kMemory) {
    return ctx.Fail(absl::FailedPreconditionError(
        absl::StrCat("the database is already a file on disk (",
                     site.store().Describe(), "); there is nothing to dump")));
  }
  if (!site.options().dump) {
    return ctx.Fail(absl::FailedPreconditionError(
        "no dump file was named: start viewer with --in-memory-db "
        "--dump-db-on-exit FILE to dump on demand and at exit"));
  }
  const absl::Time start = absl::Now();
  HTTP_RETURN_IF_ERROR(ctx, site.options().dump());
  const double ms = absl::ToDoubleMilliseconds(absl::Now() - start);
  struct stat st;
  const int64_t bytes = stat(site.options().dump_path.c_str(), &st) == 0
                            ? static_cast<int64_t>(st.st_size)
                            : -1;
  site.Log(absl::StrCat("dumped the in-memory database to ",
                        site.options().dump_path, " (", bytes, " bytes, ", ms,
                        " ms)"));
  ctx.Json(200, {{"path", site.options().dump_path},
                 {"bytes", bytes},
                 {"milliseconds", ms}});
}

}  // namespace

void AddDumpRoutes(Site& site, Router& r) {
  const Site* s = &site;
  r.Add("POST", "/api/dump", kJsonOnly, [s](Ctx& c) { Dump(*s, c); });
}

}  // namespace viewer::http_internal
