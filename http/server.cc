#include "http/server.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <limits>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "http/internal/site.h"
#include "http/internal/context.h"
#include "http/internal/front_end.h"
#include "http/internal/job_stream.h"
#include "http/internal/request_guard.h"
#include "http/render.h"
#include "http/status_map.h"
#include "httplib.h"

namespace viewer {

using http_internal::Site;
using http_internal::Ctx;
using http_internal::HostPolicy;
using http_internal::RequestBody;

namespace {

// httplib's request handling without its sockets: the front end reads
// each request whole and a worker hands it to process_request.
class RequestCore : public httplib::Server {
 public:
  using httplib::Server::process_request;
};

// The request the current worker is answering, when the front end already
// refused it (413, 400): the pre-routing handler answers that.
thread_local const http_internal::Job* refused_job = nullptr;

// Reads the body through httplib's content reader: multipart parts into
// files/form, anything else into bytes (and form, when urlencoded). False
// when reading failed; httplib has then set the status (413, 400).
bool ReadBody(const httplib::Request& req,
              const httplib::ContentReader& reader, RequestBody& body) {
  if (req.is_multipart_form_data()) {
    httplib::MultipartFormData current;
    std::vector<httplib::MultipartFormData> parts;
    bool ok = reader(
        [&](const httplib::MultipartFormData& header) {
          parts.push_back(header);
          return true;
        },
        [&](const char* data, size_t length) {
          if (!parts.empty()) parts.back().content.append(data, length);
          return true;
        });
    if (!ok) return false;
    for (httplib::MultipartFormData& part : parts) {
      if (part.filename.empty()) {
        body.form.emplace(part.name, std::move(part.content));
      } else {
        body.files.emplace(part.name, std::move(part));
      }
    }
    return true;
  }
  if (!reader([&](const char* data, size_t length) {
        body.bytes.append(data, length);
        return true;
      })) {
    return false;
  }
  if (req.get_header_value("Content-Type")
          .rfind("application/x-www-form-urlencoded", 0) == 0) {
    httplib::detail::parse_query_text(body.bytes, body.form);
  }
  return true;
}

// The largest body accepted: --max-body, or the memory store's whole
// limit when that is smaller (such a body could never be stored: 413, not
// 507).
uint64_t BodyLimit(uint64_t max_body, int64_t byte_limit) {
  if (byte_limit > 0 && static_cast<uint64_t>(byte_limit) < max_body) {
    return static_cast<uint64_t>(byte_limit);
  }
  return max_body;
}

std::string TooLargeMessage(uint64_t max_body, int64_t byte_limit) {
  const uint64_t limit = BodyLimit(max_body, byte_limit);
  if (limit == max_body) {
    return absl::StrCat("the request body is over the limit of ", limit,
                        " bytes (--max-body)");
  }
  return absl::StrCat(
      "the request body is over the limit of ", limit,
      " bytes: larger than the whole memory store (--max-memory ",
      HumanBytes(byte_limit),
      "), so it could never be stored; restart viewer with a larger "
      "--max-memory");
}

// True for the 400 httplib gives a well-formed request line whose method
// it does not know (PROPFIND, PURGE): it stops before any handler runs, so
// the pre-routing handler's 405 never happens.
bool UnknownMethod(const httplib::Request& req, int status) {
  if (status != 400 || req.method.empty() || req.target.empty() ||
      (req.version != "HTTP/1.1" && req.version != "HTTP/1.0")) {
    return false;
  }
  static constexpr absl::string_view kHttplibMethods[] = {
      "GET",     "HEAD",    "POST",  "PUT",   "DELETE",
      "CONNECT", "OPTIONS", "TRACE", "PATCH", "PRI"};
  for (absl::string_view m : kHttplibMethods) {
    if (req.method == m) return false;
  }
  // An RFC 9110 token.
  return std::all_of(req.method.begin(), req.method.end(), [](char c) {
    return absl::ascii_isalnum(c) ||
           absl::string_view("!#$%&'*+-.^_`|~").find(c) !=
               absl::string_view::npos;
  });
}

// True when the request says a body follows.
bool HasBody(const httplib::Request& req) {
  return req.get_header_value<uint64_t>("Content-Length") > 0 ||
         req.has_header("Transfer-Encoding");
}

// The connection closes after the answer (a body that was not read would
// otherwise be taken for the next request).
void CloseAfterAnswer(httplib::Request& req) {
  req.headers.erase("Connection");
  req.set_header("Connection", "close");
}

std::string DefaultErrorMessage(int status, uint64_t max_body,
                                int64_t byte_limit) {
  switch (status) {
    case 400: return "the request could not be parsed";
    case 404: return "no such page";
    case 413:
      return TooLargeMessage(max_body, byte_limit);
    case 414: return "the request path is too long";
    case 431: return "the request headers are too large";
    default: return std::string(HttpReason(status));
  }
}

}  // namespace

class ViewerServer::Impl {
 public:
  explicit Impl(ViewerOptions options) : site_(std::move(options)) {
    const ViewerOptions& o = site_.options();
    const uint64_t body_limit = BodyLimit(o.max_body_bytes, site_.byte_limit());
    server_.set_payload_max_length(body_limit);
    server_.set_keep_alive_max_count(1000);
    server_.set_keep_alive_timeout(
        absl::ToInt64Seconds(o.idle_timeout) > 0
            ? absl::ToInt64Seconds(o.idle_timeout) : 1);
    http_internal::FrontEnd::Options front{
        .threads = WorkerThreads(o.threads),
        .limits = {.max_body = body_limit},
        .max_connections = o.max_connections,
        .max_connections_per_client = o.max_connections_per_client,
        .request_timeout = o.request_timeout,
        .idle_timeout = o.idle_timeout};
    // Room for two requests of the largest size allowed.
    constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
    front.max_buffered =
        o.max_buffered_bytes > 0
            ? o.max_buffered_bytes
            : std::max(uint64_t{256} << 20,
                       body_limit > kMax / 2 ? kMax : 2 * body_limit);
    if (o.read_only) {
      // A demo refuses changes by method alone, before reading any body.
      front.answer_before_body = [](const std::string& method) {
        return method != "GET" && method != "HEAD";
      };
    }
    front_ = std::make_unique<http_internal::FrontEnd>(
        std::move(front),
        [this](const http_internal::Job& job) { return Answer(job); });
    server_.set_pre_routing_handler(
        [this](const httplib::Request& req, httplib::Response& res) {
          return PreRoute(req, res);
        });
    auto plain = [this](const httplib::Request& req, httplib::Response& res) {
      Serve(req, res, nullptr);
    };
    auto with_body = [this](const httplib::Request& req,
                            httplib::Response& res,
                            const httplib::ContentReader& reader) {
      Serve(req, res, &reader);
    };
    // Every path, newlines included ("." alone would not match a path
    // with %0a in it, which would then skip routing and the log).
    const std::string any = "[\\s\\S]*";
    server_.Get(any, plain);
    server_.Options(any, plain);
    server_.Post(any, with_body);
    server_.Put(any, with_body);
    server_.Patch(any, with_body);
    server_.Delete(any, with_body);
    server_.Post(any, plain);
    server_.Put(any, plain);
    server_.Patch(any, plain);
    server_.Delete(any, plain);
    server_.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request& req, httplib::Response& res) {
          // Answers viewer wrote itself already say what went wrong.
          if (!res.body.empty()) {
            return httplib::Server::HandlerResponse::Unhandled;
          }
          if (UnknownMethod(req, res.status)) {
            // httplib refused the request line before reading the headers
            // or running any handler; the path is all there is to go on.
            auto& mutable_req = const_cast<httplib::Request&>(req);
            mutable_req.path = req.target.substr(0, req.target.find('?'));
            mutable_req.set_header("Connection", "close");
            RefuseMethod(req, res);
            return httplib::Server::HandlerResponse::Handled;
          }
          http_internal::AddSecurityHeaders(res);
          Ctx ctx(req, res, chrome_);
          ctx.json = http_internal::WantsJson(req);
          ctx.Error(res.status, DefaultErrorMessage(
                                    res.status, site_.options().max_body_bytes,
                                    site_.byte_limit()));
          return httplib::Server::HandlerResponse::Handled;
        }));
    server_.set_exception_handler([this](const httplib::Request& req,
                                         httplib::Response& res,
                                         std::exception_ptr ep) {
      std::string what = "unknown exception";
      try {
        if (ep) std::rethrow_exception(ep);
      } catch (const std::exception& e) {
        what = e.what();
      } catch (...) {
      }
      site_.Log(absl::StrCat("error: ", req.method, " ",
                            absl::CHexEscape(req.path), ": ", what));
      Ctx ctx(req, res, chrome_);
      ctx.json = http_internal::WantsJson(req);
      ctx.Error(500, "internal error; see the server log");
    });
  }

  absl::Status Bind(const std::string& host, int port) {
    if (absl::Status s = front_->Listen(host, port); !s.ok()) return s;
    host_ = host;
    port_ = front_->port();
    host_policy_ = HostPolicy::For(host, site_.options().allowed_hosts);
    return absl::OkStatus();
  }

  absl::Status Run() {
    if (port_ == 0) return absl::FailedPreconditionError("Bind first");
    front_->Run();
    return absl::OkStatus();
  }

  absl::Status Start() {
    if (port_ == 0) return absl::FailedPreconditionError("Bind first");
    thread_ = std::thread([this] {
      front_->Run();
      listen_returned_ = true;
    });
    while (!front_->running() && !listen_returned_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (listen_returned_) {
      thread_.join();
      return absl::InternalError("the server could not start listening");
    }
    return absl::OkStatus();
  }

  void Stop() {
    front_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  int port() const { return port_; }
  std::string url() const {
    const bool v6 = host_.find(':') != std::string::npos;
    return absl::StrCat("http://", v6 ? "[" : "", host_, v6 ? "]" : "", ":",
                        port_);
  }

 private:
  // Methods httplib would answer with a bare 400 get a proper 405.
  //
  // Responses are never compressed: cpp-httplib compresses with brotli at
  // quality 11 whenever the client accepts it, which costs more per
  // request than the whole rest of serving it (a keep-alive connection
  // drops from ~20,000 to ~7,000 requests a second) and saves little on
  // the local connections viewer is for; a reverse proxy can compress.
  // httplib owns the (non-const) Request; the handler only sees it const.
  httplib::Server::HandlerResponse PreRoute(const httplib::Request& req,
                                            httplib::Response& res) {
    auto& mutable_req = const_cast<httplib::Request&>(req);
    mutable_req.headers.erase("Accept-Encoding");
    if (refused_job != nullptr) {
      // Only the head was handed over; the connection closes after this.
      CloseAfterAnswer(mutable_req);
      http_internal::AddSecurityHeaders(res);
      Ctx ctx(req, res, chrome_);
      ctx.json = http_internal::WantsJson(req);
      const auto& [status, message] = *refused_job->refusal;
      ctx.Error(status,
                message.empty() ? DefaultErrorMessage(
                                      status, site_.options().max_body_bytes,
                                      site_.byte_limit())
                                : message);
      return httplib::Server::HandlerResponse::Handled;
    }
    // httplib never reads the body of a GET, HEAD or OPTIONS; the unread
    // bytes would be taken for the next request on the connection. Such a
    // request is answered (its body ignored) and the connection closed.
    if ((req.method == "GET" || req.method == "HEAD" ||
         req.method == "OPTIONS") &&
        (req.get_header_value<uint64_t>("Content-Length") > 0 ||
         req.has_header("Transfer-Encoding"))) {
      CloseAfterAnswer(mutable_req);
    }
    // A request for another host name, or a change a browser made on
    // behalf of another site, is refused before its body is read.
    if (std::optional<http_internal::Refusal> refusal =
            http_internal::CheckRequest(host_policy_, req)) {
      if (HasBody(req)) CloseAfterAnswer(mutable_req);
      http_internal::AddSecurityHeaders(res);
      Ctx ctx(req, res, chrome_);
      ctx.json = http_internal::WantsJson(req);
      ctx.Error(refusal->status, refusal->message);
      return httplib::Server::HandlerResponse::Handled;
    }
    // A demo refuses changes by method alone, before reading any body
    // (which is then left unread: the connection closes after the answer).
    if (site_.options().read_only && req.method != "GET" &&
        req.method != "HEAD") {
      if (HasBody(req)) CloseAfterAnswer(mutable_req);
      RefuseMethod(req, res);
      return httplib::Server::HandlerResponse::Handled;
    }
    static constexpr absl::string_view kKnown[] = {
        "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
    for (absl::string_view m : kKnown) {
      if (req.method == m) return httplib::Server::HandlerResponse::Unhandled;
    }
    RefuseMethod(req, res);
    return httplib::Server::HandlerResponse::Handled;
  }

  // The 405 for a method viewer does not serve: in a read-only demo every
  // method but GET and HEAD, otherwise any method it has no routes for.
  void RefuseMethod(const httplib::Request& req, httplib::Response& res) {
    http_internal::AddSecurityHeaders(res);
    Ctx ctx(req, res, chrome_);
    ctx.json = http_internal::WantsJson(req);
    if (site_.options().read_only) {
      res.set_header("Allow", "GET, HEAD");
      ctx.Error(405,
                absl::StrCat("this is a read-only demo: ", req.method,
                             " is refused because it could change something; "
                             "only GET and HEAD are served. Run viewer without "
                             "--read-only to make changes"));
      return;
    }
    res.set_header("Allow", "GET, HEAD, POST, PUT, DELETE, OPTIONS");
    ctx.Error(405, absl::StrCat(req.method, " is not a method viewer serves"));
  }

  // One request the front end read whole; true: the connection may carry
  // another.
  bool Answer(const http_internal::Job& job) {
    http_internal::JobStream stream(job);
    refused_job = job.refusal ? &job : nullptr;
    bool closed = false;
    const bool ok = server_.process_request(
        stream, /*close_connection=*/job.refusal.has_value(), closed, nullptr);
    refused_job = nullptr;
    return ok && !closed && !stream.failed() && !stream.answer_closes();
  }

  void Serve(const httplib::Request& req, httplib::Response& res,
             const httplib::ContentReader* reader) {
    const absl::Time start = absl::Now();
    Ctx ctx(req, res, chrome_);
    ctx.json = http_internal::WantsJson(req);
    // A request with neither Content-Length nor chunked encoding has no
    // body (RFC 9112 6.3); httplib would instead wait for the connection
    // to close.
    const bool has_body =
        req.has_header("Content-Length") ||
        req.get_header_value("Transfer-Encoding").find("chunked") !=
            std::string::npos;
    if (reader != nullptr && has_body && !ReadBody(req, *reader, ctx.body)) {
      // httplib set the status (413 or 400); the error handler words it.
      if (res.status < 400) res.status = 400;
      return;
    }
    site_.Handle(ctx);
    http_internal::AddSecurityHeaders(res);
    if (site_.options().log_requests) {
      site_.Log(absl::StrCat(
          req.method, " ", absl::CHexEscape(req.path), " ", res.status, " ",
          absl::ToDoubleMilliseconds(absl::Now() - start), "ms"));
    }
  }

  Site site_;
  const PageChrome chrome_{
      .memory_mode = site_.store_mode() == StoreMode::kMemory,
      .read_only = site_.options().read_only,
      .dumped = site_.store_mode() == StoreMode::kMemory &&
                !site_.options().dump_path.empty()};
  RequestCore server_;
  std::unique_ptr<http_internal::FrontEnd> front_;
  std::thread thread_;
  std::atomic<bool> listen_returned_{false};
  std::string host_;
  int port_ = 0;
  // Set by Bind, before any request.
  HostPolicy host_policy_;
};

ViewerServer::ViewerServer(ViewerOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

ViewerServer::~ViewerServer() { impl_->Stop(); }

absl::Status ViewerServer::Bind(const std::string& host, int port) {
  return impl_->Bind(host, port);
}
int ViewerServer::port() const { return impl_->port(); }
std::string ViewerServer::url() const { return impl_->url(); }
absl::Status ViewerServer::Run() { return impl_->Run(); }
absl::Status ViewerServer::Start() { return impl_->Start(); }
void ViewerServer::Stop() { impl_->Stop(); }

int WorkerThreads(int requested) {
  if (requested > 0) return requested;
  return static_cast<int>(std::max(8u, std::thread::hardware_concurrency()));
}

}  // namespace viewer
