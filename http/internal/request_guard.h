// The checks every request passes before any handler runs
// (docs/security.md):
//
//   - Host: a request must name this viewer: the address it listens on,
//     a loopback name when it listens on loopback (or on every interface),
//     or a name given with --allowed-host. Anything else is a request made
//     through someone else's DNS name (DNS rebinding): 421.
//   - Cross-site: a request that can change something (any method but
//     GET, HEAD and OPTIONS) that a browser marks as coming from another
//     site is refused with 403: Sec-Fetch-Site "cross-site" or
//     "same-site", or, without Sec-Fetch-Site, an Origin that is not this
//     viewer's own. A request with neither header comes from a program
//     (curl, a script) and is allowed.
//
//   HostPolicy policy = HostPolicy::For("127.0.0.1", {"viewer.example"});
//   if (std::optional<Refusal> r = CheckRequest(policy, req)) {
//     answer r->status with r->message
//   }
//
// Thread safety: a HostPolicy is immutable after construction; the
// functions are pure.
#ifndef VIEWER_HTTP_INTERNAL_REQUEST_GUARD_H_
#define VIEWER_HTTP_INTERNAL_REQUEST_GUARD_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "httplib.h"

namespace viewer::http_internal {

class HostPolicy {
 public:
  // Accepts every Host (the default before Bind).
  HostPolicy() = default;
  // `listen_host`: the address viewer listens on ("127.0.0.1", "::1",
  // "0.0.0.0"); `allowed`: the --allowed-host names, each "name" (any
  // port) or "name:port" (that port only).
  static HostPolicy For(absl::string_view listen_host,
                        const std::vector<std::string>& allowed);

  // True when a request whose Host header is `host` ("name", "name:port",
  // "[::1]:port") is meant for this viewer. An absent Host (HTTP/1.0) is
  // accepted: no browser sends a request without one.
  bool Accepts(absl::string_view host) const;

 private:
  bool any_host_ = true;
  // Any IP literal (viewer listens on every interface).
  bool any_ip_ = false;
  // Lower-case names, any port.
  std::vector<std::string> names_;
  // Lower-case "name:port" entries.
  std::vector<std::string> names_with_port_;
};

// Why a request is refused before routing.
struct Refusal {
  int status;
  std::string message;
};

// The Host check, then the cross-site check; nullopt when the request may
// go on.
std::optional<Refusal> CheckRequest(const HostPolicy& policy,
                                    const httplib::Request& req);

// The cross-site check alone (see the top of this file).
std::optional<Refusal> CheckCrossSite(const httplib::Request& req);

}  // namespace viewer::http_internal

#endif  // VIEWER_HTTP_INTERNAL_REQUEST_GUARD_H_
