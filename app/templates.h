// Server templates: a server's definition is text with placeholders that a
// request fills in (docs/design.md, "Servers and aliases"). Running a
// server (gathering the inputs, storing the output) is app/server_runs.h.
//
//   TemplateInputs in;
//   in.variables = {{"greeting", "Hello"}};
//   in.secrets = {{"TOKEN", "s3cret"}};
//   in.request_path = "/hello";
//   in.query = {{"who", "Ada"}};
//   absl::StatusOr<std::string> out =
//       RenderTemplate("{{greeting}}, {{request.query.who}}!", in);
//   // "Hello, Ada!"
//
// Placeholders are "{{" KEY "}}", with spaces around KEY ignored:
//   {{NAME}}               the value of the enabled variable NAME
//   {{secret:NAME}}        the value of the enabled secret NAME
//   {{request.path}}       the request's path (decoded, without the query)
//   {{request.query.KEY}}  the first value of query parameter KEY; empty
//                          when the request has none (a query parameter is
//                          optional by nature)
//   {{input}}              the step's input: in a pipeline, the output of
//                          the server to its right, or the rest of the path
//                          (a CID's content when it names one); empty for a
//                          server run on its own (docs/pipelines.md). A
//                          variable named "input" is hidden by it.
//   {{request.rest}}       the path after the server names ("a/b" for
//                          /echo/a/b); {{request.rest.N}} its N-th segment
//                          from 1, empty when there is none
// A "{{" with no "}}" after it is literal text. Output is not escaped: it
// is stored as a CID and served with the MIME type of the CID's extension.
//
// Errors (all kInvalidArgument; the HTTP layer answers 422 with the
// message):
//   "unknown placeholder {{x}}: no enabled variable named 'x'"
//   "unknown placeholder {{secret:X}}: no enabled secret named 'X'"
//   "unknown placeholder {{request.x}}: use request.path, request.rest,
//    request.rest.N or request.query.KEY"
//   "template output is over N bytes"
//
// Thread safety: pure functions. Meant to be fuzzed: never throws, never
// recurses, runs in time linear in the input plus the output.
#ifndef VIEWER_APP_TEMPLATES_H_
#define VIEWER_APP_TEMPLATES_H_

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace viewer {

struct TemplateInputs {
  // Enabled variables, name -> value.
  std::map<std::string, std::string, std::less<>> variables;
  // Enabled secrets, name -> value.
  std::map<std::string, std::string, std::less<>> secrets;
  // The request's decoded path, e.g. "/hello".
  std::string request_path;
  // Query parameters in request order (a key may repeat).
  std::multimap<std::string, std::string, std::less<>> query;
  // {{input}}: the step's input (empty outside a pipeline).
  std::string input;
  // {{request.rest}}: the path after the server names, without a leading
  // '/' ("a/b"); empty when there is none.
  std::string rest;
  // Largest output allowed.
  size_t max_output_bytes = size_t{64} << 20;
};

absl::StatusOr<std::string> RenderTemplate(absl::string_view text,
                                           const TemplateInputs& inputs);

// The placeholder keys of `text` in order of appearance, trimmed, repeats
// kept ("{{ a }} {{secret:B}}" -> {"a", "secret:B"}).
std::vector<std::string> TemplatePlaceholders(absl::string_view text);

}  // namespace viewer

#endif  // VIEWER_APP_TEMPLATES_H_
