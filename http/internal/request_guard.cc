#include "http/internal/request_guard.h"

#include <arpa/inet.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace viewer::http_internal {
namespace {

struct HostPort {
  std::string name;  // lower case, IPv6 without brackets
  std::string port;  // "" when none was given
};

HostPort SplitHost(absl::string_view host) {
  HostPort out;
  if (absl::StartsWith(host, "[")) {
    const size_t close = host.find(']');
    if (close == absl::string_view::npos) {
      out.name = std::string(host);
    } else {
      out.name = std::string(host.substr(1, close - 1));
      absl::string_view rest = host.substr(close + 1);
      if (absl::StartsWith(rest, ":")) out.port = std::string(rest.substr(1));
    }
  } else {
    const size_t colon = host.rfind(':');
    // More than one colon: a bare IPv6 address, no port.
    if (colon != absl::string_view::npos && host.find(':') == colon) {
      out.name = std::string(host.substr(0, colon));
      out.port = std::string(host.substr(colon + 1));
    } else {
      out.name = std::string(host);
    }
  }
  absl::AsciiStrToLower(&out.name);
  return out;
}

bool IsIpLiteral(const std::string& name) {
  unsigned char buf[16];
  return inet_pton(AF_INET, name.c_str(), buf) == 1 ||
         inet_pton(AF_INET6, name.c_str(), buf) == 1;
}

bool IsLoopback(const std::string& name) {
  return name == "localhost" || name == "::1" ||
         absl::StartsWith(name, "127.");
}

bool IsWildcard(const std::string& name) {
  return name.empty() || name == "0.0.0.0" || name == "::";
}

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

bool IsSafeMethod(const std::string& method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

}  // namespace

HostPolicy HostPolicy::For(absl::string_view listen_host,
                           const std::vector<std::string>& allowed) {
  HostPolicy policy;
  policy.any_host_ = false;
  const std::string listen = SplitHost(listen_host).name;
  if (IsWildcard(listen)) {
    policy.any_ip_ = true;
  } else {
    policy.names_.push_back(listen);
  }
  if (IsWildcard(listen) || IsLoopback(listen)) {
    for (const char* name : {"localhost", "127.0.0.1", "::1"}) {
      policy.names_.push_back(name);
    }
  }
  for (const std::string& entry : allowed) {
    HostPort hp = SplitHost(entry);
    if (hp.port.empty()) {
      policy.names_.push_back(hp.name);
    } else {
      policy.names_with_port_.push_back(absl::StrCat(hp.name, ":", hp.port));
    }
  }
  return policy;
}

bool HostPolicy::Accepts(absl::string_view host) const {
  if (any_host_) return true;
  const HostPort hp = SplitHost(host);
  if (hp.name.empty()) return false;
  if (Contains(names_, hp.name)) return true;
  if (!hp.port.empty() &&
      Contains(names_with_port_, absl::StrCat(hp.name, ":", hp.port))) {
    return true;
  }
  return any_ip_ && IsIpLiteral(hp.name);
}

std::optional<Refusal> CheckCrossSite(const httplib::Request& req) {
  if (IsSafeMethod(req.method)) return std::nullopt;
  if (req.has_header("Sec-Fetch-Site")) {
    const std::string site =
        absl::AsciiStrToLower(req.get_header_value("Sec-Fetch-Site"));
    if (site == "same-origin" || site == "none") return std::nullopt;
    return Refusal{
        403, absl::StrCat("cross-site request refused: the browser says this ",
                          req.method, " came from another site (Sec-Fetch-Site: ",
                          site, "); only pages of this viewer may change it")};
  }
  if (!req.has_header("Origin")) return std::nullopt;
  const std::string origin = req.get_header_value("Origin");
  absl::string_view authority = origin;
  if (!absl::ConsumePrefix(&authority, "http://")) {
    absl::ConsumePrefix(&authority, "https://");
  }
  if (req.has_header("Host") &&
      absl::EqualsIgnoreCase(authority, req.get_header_value("Host"))) {
    return std::nullopt;
  }
  return Refusal{
      403, absl::StrCat("cross-origin request refused: this ", req.method,
                        " came from a page of ", origin,
                        ", not of this viewer; only pages of this viewer may "
                        "change it")};
}

std::optional<Refusal> CheckRequest(const HostPolicy& policy,
                                    const httplib::Request& req) {
  if (req.has_header("Host") &&
      !policy.Accepts(req.get_header_value("Host"))) {
    return Refusal{
        421, absl::StrCat("this viewer does not answer to the host name '",
                          req.get_header_value("Host"),
                          "'; start it with --allowed-host NAME to allow a "
                          "name other than the address it listens on")};
  }
  return CheckCrossSite(req);
}

}  // namespace viewer::http_internal
