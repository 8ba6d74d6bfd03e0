// A minimal W3C WebDriver client (https://www.w3.org/TR/webdriver2/) over
// cpp-httplib and nlohmann JSON, enough to drive headless Chromium through
// chromedriver in tests: open a session, load pages, find elements, type,
// click, read text and take screenshots.
//
//   WebDriver driver(9515);                       // chromedriver's port
//   ASSERT_OK(driver.WaitUntilReady(absl::Seconds(20)));
//   ASSERT_OK(driver.NewSession(
//       ChromiumCapabilities("/usr/bin/chromium", profile_dir)));
//   ASSERT_OK(driver.Navigate("http://127.0.0.1:5000/"));
//   ASSERT_OK_AND_ASSIGN(std::string id, driver.Find("nav.top"));
//   ASSERT_OK_AND_ASSIGN(std::string text, driver.Text(id));
//   driver.DeleteSession();                       // also done by ~WebDriver
//
// Every call returns the WebDriver error ("no such element: ...") as a
// Status: kNotFound for a missing element, kUnavailable when chromedriver
// does not answer, kInternal otherwise.
//
// Thread safety: one thread at a time.
#ifndef VIEWER_TESTS_HTTP_WEBDRIVER_H_
#define VIEWER_TESTS_HTTP_WEBDRIVER_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "httplib.h"
#include "nlohmann/json.hpp"

namespace viewer::testing {

// Capabilities for headless Chromium at `binary` with a fresh profile in
// `user_data_dir`, making no connection of its own (only the pages it is
// sent to).
nlohmann::json ChromiumCapabilities(const std::string& binary,
                                    const std::string& user_data_dir);

class WebDriver {
 public:
  explicit WebDriver(int port);
  ~WebDriver();  // Deletes the session, if one is open.
  WebDriver(const WebDriver&) = delete;
  WebDriver& operator=(const WebDriver&) = delete;

  // Polls GET /status until chromedriver says it is ready.
  absl::Status WaitUntilReady(absl::Duration timeout);
  absl::Status NewSession(const nlohmann::json& capabilities);
  // Ends the session (and Chromium with it); OK when none is open.
  absl::Status DeleteSession();

  absl::Status Navigate(const std::string& url);
  absl::StatusOr<std::string> CurrentUrl();
  absl::StatusOr<std::string> Title();
  // Waits (polling) until the current URL satisfies `done`.
  absl::StatusOr<std::string> WaitForUrl(
      const std::function<bool(const std::string&)>& done,
      absl::Duration timeout);

  // The first element matching a CSS selector (its WebDriver id).
  absl::StatusOr<std::string> Find(const std::string& css);
  absl::StatusOr<std::string> Text(const std::string& element);
  absl::Status Click(const std::string& element);
  absl::Status Type(const std::string& element, const std::string& text);

  // Writes a PNG of the viewport to `path`.
  absl::Status Screenshot(const std::string& path);

 private:
  // Sends a command; returns its "value", or the WebDriver error.
  absl::StatusOr<nlohmann::json> Command(const std::string& method,
                                         const std::string& path,
                                         const nlohmann::json& body);
  std::string SessionPath(const std::string& rest) const;

  std::unique_ptr<httplib::Client> client_;
  std::string session_;
};

}  // namespace viewer::testing

#endif  // VIEWER_TESTS_HTTP_WEBDRIVER_H_
