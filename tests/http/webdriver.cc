#include "tests/http/webdriver.h"

#include <fstream>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace viewer::testing {
namespace {

using json = nlohmann::json;

// The key under which WebDriver returns an element reference.
constexpr char kElementKey[] = "element-6066-11e4-a52e-4f735466cecf";

absl::Status FromWebDriverError(const json& value, int http_status) {
  std::string error = "unknown error";
  std::string message;
  if (value.is_object()) {
    if (value.contains("error") && value["error"].is_string()) {
      error = value["error"].get<std::string>();
    }
    if (value.contains("message") && value["message"].is_string()) {
      message = value["message"].get<std::string>();
      // chromedriver appends a long stack trace after the first line.
      message = message.substr(0, message.find('\n'));
    }
  }
  std::string text =
      absl::StrCat(error, " (HTTP ", http_status, "): ", message);
  if (error == "no such element") return absl::NotFoundError(text);
  return absl::InternalError(text);
}

}  // namespace

json ChromiumCapabilities(const std::string& binary,
                          const std::string& user_data_dir) {
  json args = json::array({"--headless=new", "--no-sandbox", "--disable-gpu",
                           "--disable-dev-shm-usage", "--disable-quic",
                           "--no-first-run", "--disable-background-networking",
                           "--disable-component-update", "--disable-sync",
                           "--window-size=1200,900",
                           absl::StrCat("--user-data-dir=", user_data_dir)});
  return {{"capabilities",
           {{"alwaysMatch",
             {{"browserName", "chrome"},
              {"pageLoadStrategy", "normal"},
              {"goog:chromeOptions", {{"binary", binary}, {"args", args}}}}}}}};
}

WebDriver::WebDriver(int port)
    : client_(std::make_unique<httplib::Client>("127.0.0.1", port)) {
  client_->set_connection_timeout(5, 0);
  // Starting Chromium on a busy machine can take a while.
  client_->set_read_timeout(90, 0);
  client_->set_write_timeout(10, 0);
}

WebDriver::~WebDriver() { DeleteSession().IgnoreError(); }

absl::StatusOr<json> WebDriver::Command(const std::string& method,
                                        const std::string& path,
                                        const json& body) {
  httplib::Result r = method == "GET"      ? client_->Get(path)
                      : method == "DELETE" ? client_->Delete(path)
                                           : client_->Post(path, body.dump(),
                                                           "application/json");
  if (!r) {
    return absl::UnavailableError(absl::StrCat(
        method, " ", path,
        ": chromedriver did not answer: ", httplib::to_string(r.error())));
  }
  json reply = json::parse(r->body, nullptr, false);
  if (reply.is_discarded() || !reply.is_object() || !reply.contains("value")) {
    return absl::InternalError(
        absl::StrCat(method, " ", path, ": HTTP ", r->status,
                     ", not WebDriver JSON: ", r->body.substr(0, 200)));
  }
  if (r->status != 200) return FromWebDriverError(reply["value"], r->status);
  return reply["value"];
}

std::string WebDriver::SessionPath(const std::string& rest) const {
  return absl::StrCat("/session/", session_, rest);
}

absl::Status WebDriver::WaitUntilReady(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  std::string last = "no answer";
  while (absl::Now() < deadline) {
    absl::StatusOr<json> status = Command("GET", "/status", nullptr);
    if (status.ok() && status->value("ready", false)) return absl::OkStatus();
    last = status.ok() ? status->dump() : status.status().ToString();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return absl::DeadlineExceededError(
      absl::StrCat("chromedriver not ready: ", last));
}

absl::Status WebDriver::NewSession(const json& capabilities) {
  absl::StatusOr<json> value = Command("POST", "/session", capabilities);
  if (!value.ok()) return value.status();
  if (!value->contains("sessionId") || !(*value)["sessionId"].is_string()) {
    return absl::InternalError(
        absl::StrCat("no session id in ", value->dump()));
  }
  session_ = (*value)["sessionId"].get<std::string>();
  return absl::OkStatus();
}

absl::Status WebDriver::DeleteSession() {
  if (session_.empty()) return absl::OkStatus();
  absl::StatusOr<json> value = Command("DELETE", SessionPath(""), nullptr);
  session_.clear();
  return value.status();
}

absl::Status WebDriver::Navigate(const std::string& url) {
  return Command("POST", SessionPath("/url"), {{"url", url}}).status();
}

absl::StatusOr<std::string> WebDriver::CurrentUrl() {
  absl::StatusOr<json> value = Command("GET", SessionPath("/url"), nullptr);
  if (!value.ok()) return value.status();
  return value->is_string() ? value->get<std::string>() : value->dump();
}

absl::StatusOr<std::string> WebDriver::Title() {
  absl::StatusOr<json> value = Command("GET", SessionPath("/title"), nullptr);
  if (!value.ok()) return value.status();
  return value->is_string() ? value->get<std::string>() : value->dump();
}

absl::StatusOr<std::string> WebDriver::WaitForUrl(
    const std::function<bool(const std::string&)>& done,
    absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  std::string url;
  while (true) {
    absl::StatusOr<std::string> current = CurrentUrl();
    if (!current.ok()) return current.status();
    url = *current;
    if (done(url)) return url;
    if (absl::Now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return absl::DeadlineExceededError(
      absl::StrCat("the browser stayed at ", url));
}

absl::StatusOr<std::string> WebDriver::Find(const std::string& css) {
  absl::StatusOr<json> value =
      Command("POST", SessionPath("/element"),
              {{"using", "css selector"}, {"value", css}});
  if (!value.ok()) return value.status();
  if (!value->contains(kElementKey)) {
    return absl::InternalError(absl::StrCat("no element in ", value->dump()));
  }
  return (*value)[kElementKey].get<std::string>();
}

absl::StatusOr<std::string> WebDriver::Text(const std::string& element) {
  absl::StatusOr<json> value = Command(
      "GET", SessionPath(absl::StrCat("/element/", element, "/text")), nullptr);
  if (!value.ok()) return value.status();
  return value->is_string() ? value->get<std::string>() : value->dump();
}

absl::Status WebDriver::Click(const std::string& element) {
  return Command("POST",
                 SessionPath(absl::StrCat("/element/", element, "/click")),
                 json::object())
      .status();
}

absl::Status WebDriver::Type(const std::string& element,
                             const std::string& text) {
  return Command("POST",
                 SessionPath(absl::StrCat("/element/", element, "/value")),
                 {{"text", text}})
      .status();
}

absl::Status WebDriver::Screenshot(const std::string& path) {
  absl::StatusOr<json> value =
      Command("GET", SessionPath("/screenshot"), nullptr);
  if (!value.ok()) return value.status();
  std::string png;
  if (!value->is_string() ||
      !absl::Base64Unescape(value->get<std::string>(), &png)) {
    return absl::InternalError("the screenshot is not base64");
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(png.data(), static_cast<std::streamsize>(png.size()));
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

}  // namespace viewer::testing
