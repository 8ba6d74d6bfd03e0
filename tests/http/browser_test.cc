// A real browser against the real viewer: headless Chromium, driven through
// chromedriver's WebDriver protocol (tests/http/webdriver.h), uses viewer
// in memory mode as a person would: the home page, the form that creates a
// server, the list, the upload form and the CID it leads to. A screenshot
// of each step goes to VIEWER_SCREENSHOT_DIR (build/screenshots/).
//
// ./test.sh installs Debian's chromium and chromium-driver; where they are
// missing the test is skipped, saying so. Chromium runs with a fresh
// profile and the flags that stop it from connecting anywhere but to
// viewer on 127.0.0.1.
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "app/cid.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/http/process.h"
#include "tests/http/viewer_fixture.h"
#include "tests/http/webdriver.h"
#include "tests/temp_dir.h"
#include "tests/testutil.h"

namespace viewer::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kChromium[] = "/usr/bin/chromium";
constexpr char kChromedriver[] = "/usr/bin/chromedriver";

// viewer --in-memory-db and chromedriver as child processes, and a
// WebDriver session; all ended by the destructor, in reverse order, even
// when the test fails half-way.
class BrowserSession {
 public:
  BrowserSession() {
    std::filesystem::create_directories(VIEWER_SCREENSHOT_DIR);
    viewer_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{VIEWER_BINARY, "--in-memory-db", "--port", "0",
                                 "--cids-dir", ProjectCidsDir()},
        ChildOptions{.cwd = work_.path(),
                     .logs = viewer_logs_.path(),
                     .env = {{"DATABASE_URL", std::nullopt}}});
    const int driver_port = FreePort();
    driver_process_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{kChromedriver,
                                 absl::StrCat("--port=", driver_port)},
        ChildOptions{.cwd = work_.path(), .logs = driver_logs_.path()});
    driver_ = std::make_unique<WebDriver>(driver_port);
  }

  ~BrowserSession() {
    if (driver_) {
      absl::Status deleted = driver_->DeleteSession();
      if (!deleted.ok()) ADD_FAILURE() << "deleting the session: " << deleted;
      driver_.reset();
    }
    driver_process_->Stop(SIGTERM);
    viewer_->Stop(SIGTERM);
    if (::testing::Test::HasFailure()) std::cerr << Logs();
  }

  // Waits for viewer to listen and chromedriver to be ready, then starts
  // Chromium.
  absl::Status Start() {
    std::optional<std::string> line = viewer_->WaitForLine("listening on ");
    if (!line) {
      return absl::UnavailableError(absl::StrCat(
          "viewer did not start: ", viewer_->Stdout(), viewer_->Stderr()));
    }
    base_url_ = line->substr(0, line->find(' '));  // "http://127.0.0.1:N"
    if (absl::Status s = driver_->WaitUntilReady(absl::Seconds(30)); !s.ok()) {
      return absl::UnavailableError(absl::StrCat(
          s.message(), "; chromedriver said: ", driver_process_->Stdout(),
          driver_process_->Stderr()));
    }
    return driver_->NewSession(
        ChromiumCapabilities(kChromium, profile_.path()));
  }

  WebDriver& driver() { return *driver_; }
  std::string Url(const std::string& path) const { return base_url_ + path; }
  std::string Logs() const {
    return absl::StrCat("viewer stdout:\n", viewer_->Stdout(),
                        "viewer stderr:\n", viewer_->Stderr(),
                        "chromedriver:\n", driver_process_->Stdout(),
                        driver_process_->Stderr());
  }

  // Saves a screenshot as VIEWER_SCREENSHOT_DIR/<name>.png.
  void Shot(const std::string& name) {
    const std::string path =
        absl::StrCat(VIEWER_SCREENSHOT_DIR, "/", name, ".png");
    absl::Status s = driver_->Screenshot(path);
    EXPECT_TRUE(s.ok()) << name << ": " << s;
  }

  // The text of the first element matching `css`, or "" (with a failure).
  std::string TextOf(const std::string& css) {
    absl::StatusOr<std::string> id = driver_->Find(css);
    if (!id.ok()) {
      ADD_FAILURE() << css << ": " << id.status();
      return "";
    }
    absl::StatusOr<std::string> text = driver_->Text(*id);
    EXPECT_TRUE(text.ok()) << css << ": " << text.status();
    return text.value_or("");
  }

 private:
  TempDir work_;  // viewer's and chromedriver's working directory
  TempDir viewer_logs_;
  TempDir driver_logs_;
  TempDir profile_;  // Chromium's --user-data-dir
  std::unique_ptr<ChildProcess> viewer_;
  std::unique_ptr<ChildProcess> driver_process_;
  std::unique_ptr<WebDriver> driver_;
  std::string base_url_;
};

bool Installed(const char* path) { return access(path, X_OK) == 0; }

// Starts `b`; an error saying why when Chromium or its driver is missing
// (the test then fails: ./test.sh installs both).
absl::Status StartBrowser(BrowserSession& b) {
  if (!Installed(kChromium) || !Installed(kChromedriver)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "needs ", kChromium, " and ", kChromedriver,
        " (Debian packages chromium and chromium-driver; ./test.sh installs "
        "them)"));
  }
  return b.Start();
}

TEST(BrowserTest, CreateAServerAndUploadTextInHeadlessChromium) {
  BrowserSession b;
  ASSERT_OK(StartBrowser(b));
  WebDriver& d = b.driver();

  // 1. Home: the navigation bar and the memory banner.
  ASSERT_OK(d.Navigate(b.Url("/")));
  b.Shot("01-home");
  const std::string nav = b.TextOf("nav.top");
  for (const char* item : {"Home", "Servers", "Aliases", "Variables", "Secrets",
                           "CIDs", "Upload", "History", "Search", "Status"}) {
    EXPECT_THAT(nav, HasSubstr(item));
  }
  EXPECT_THAT(b.TextOf(".banner"), HasSubstr("In-memory database"));
  EXPECT_THAT(b.TextOf("main h1"), HasSubstr("viewer"));

  // 2. The new-server form, filled in and submitted.
  ASSERT_OK(d.Navigate(b.Url("/servers/new")));
  ASSERT_OK_AND_ASSIGN(std::string name_field, d.Find("#name"));
  ASSERT_OK_AND_ASSIGN(std::string definition_field, d.Find("#definition"));
  ASSERT_OK(d.Type(name_field, "greeter"));
  ASSERT_OK(d.Type(definition_field, "Hello from {{request.path}}!"));
  b.Shot("02-new-server-form");
  ASSERT_OK_AND_ASSIGN(std::string create,
                       d.Find("form.stack button[type=submit]"));
  ASSERT_OK(d.Click(create));
  absl::StatusOr<std::string> view = d.WaitForUrl(
      [](const std::string& url) {
        return absl::EndsWith(url, "/servers/greeter");
      },
      absl::Seconds(10));
  ASSERT_TRUE(view.ok()) << view.status();
  b.Shot("03-server-created");
  EXPECT_THAT(b.TextOf("main h1"), HasSubstr("greeter"));
  EXPECT_THAT(b.TextOf("main"), HasSubstr("Hello from {{request.path}}!"));

  // 3. Listed on /servers.
  ASSERT_OK(d.Navigate(b.Url("/servers")));
  b.Shot("04-servers-list");
  EXPECT_THAT(b.TextOf("main table"), HasSubstr("greeter"));
  ASSERT_OK_AND_ASSIGN(std::string link,
                       d.Find("main table a[href='/servers/greeter']"));
  EXPECT_EQ(d.Text(link).value_or(""), "greeter");

  // 4. Invoked: the browser follows the redirect to the output's CID.
  const std::string output = "Hello from /greeter!";
  ASSERT_OK(d.Navigate(b.Url("/greeter")));
  ASSERT_OK_AND_ASSIGN(std::string invoked, d.CurrentUrl());
  EXPECT_EQ(invoked, b.Url("/" + ComputeCid(output)));
  EXPECT_EQ(b.TextOf("body"), output);
  b.Shot("05-server-output");

  // 5. Text through the upload form, landing on its CID.
  const std::string text = "Uploaded through the form by headless Chromium.";
  ASSERT_OK(d.Navigate(b.Url("/upload")));
  ASSERT_OK_AND_ASSIGN(std::string text_field, d.Find("textarea#text"));
  ASSERT_OK(d.Type(text_field, text));
  b.Shot("06-upload-form");
  ASSERT_OK_AND_ASSIGN(std::string upload,
                       d.Find("form.stack button[type=submit]"));
  ASSERT_OK(d.Click(upload));
  const std::string cid_url = b.Url("/" + ComputeCid(text));
  absl::StatusOr<std::string> landed =
      d.WaitForUrl([&](const std::string& url) { return url == cid_url; },
                   absl::Seconds(10));
  ASSERT_TRUE(landed.ok()) << landed.status() << " (expected " << cid_url
                           << ")";
  EXPECT_EQ(b.TextOf("body"), text);
  b.Shot("07-uploaded-cid");

  // 6. Home again: the counts and the recent CIDs.
  ASSERT_OK(d.Navigate(b.Url("/")));
  EXPECT_THAT(b.TextOf("main"), HasSubstr(ComputeCid(text)));
  b.Shot("08-home-after");

  // 7. A Markdown CID rendered as HTML, its raw HTML left out (the
  // script would have renamed the page).
  ASSERT_OK(d.Navigate(b.Url("/upload")));
  ASSERT_OK_AND_ASSIGN(std::string md_field, d.Find("textarea#text"));
  ASSERT_OK(d.Type(md_field,
                   "# Release notes\n\n- *fast* formats\n- `qr` codes\n\n"
                   "<script>document.title='owned'</script>\n"));
  ASSERT_OK_AND_ASSIGN(std::string md_upload,
                       d.Find("form.stack button[type=submit]"));
  ASSERT_OK(d.Click(md_upload));
  absl::StatusOr<std::string> md_cid_url = d.WaitForUrl(
      [&](const std::string& url) {
        return url != b.Url("/upload") && absl::StartsWith(url, b.Url("/"));
      },
      absl::Seconds(10));
  ASSERT_TRUE(md_cid_url.ok()) << md_cid_url.status();
  ASSERT_OK(d.Navigate(*md_cid_url + ".md.html"));
  b.Shot("09-markdown-cid");
  EXPECT_EQ(b.TextOf("main article.markdown h1"), "Release notes");
  EXPECT_THAT(b.TextOf("main article.markdown ul"), HasSubstr("fast formats"));
  EXPECT_EQ(d.Find("main article.markdown em").ok(), true);
  EXPECT_EQ(d.Find("main article.markdown script").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_THAT(d.Title().value_or(""), Not(HasSubstr("owned")));

  // 8. A chained server: /shout/greeter runs greeter, then shout on its
  // output ({{input}}), and lands on the final output's CID.
  ASSERT_OK(d.Navigate(b.Url("/servers/new")));
  ASSERT_OK_AND_ASSIGN(name_field, d.Find("#name"));
  ASSERT_OK_AND_ASSIGN(definition_field, d.Find("#definition"));
  ASSERT_OK(d.Type(name_field, "shout"));
  ASSERT_OK(d.Type(definition_field, "<<{{input}}>>"));
  ASSERT_OK_AND_ASSIGN(create, d.Find("form.stack button[type=submit]"));
  ASSERT_OK(d.Click(create));
  ASSERT_TRUE(d.WaitForUrl(
                   [](const std::string& url) {
                     return absl::EndsWith(url, "/servers/shout");
                   },
                   absl::Seconds(10))
                  .ok());
  const std::string chained = "<<Hello from /shout/greeter!>>";
  ASSERT_OK(d.Navigate(b.Url("/shout/greeter")));
  ASSERT_OK_AND_ASSIGN(std::string chained_url, d.CurrentUrl());
  EXPECT_EQ(chained_url, b.Url("/" + ComputeCid(chained)));
  EXPECT_EQ(b.TextOf("body"), chained);
  b.Shot("10-chained-output");

  // 9. ?debug=1 shows each step: server, input CID, output CID.
  ASSERT_OK(d.Navigate(b.Url("/shout/greeter?debug=1")));
  EXPECT_THAT(b.TextOf("main h1"), HasSubstr("Pipeline"));
  const std::string steps = b.TextOf("main table");
  EXPECT_THAT(steps, HasSubstr("greeter"));
  EXPECT_THAT(steps, HasSubstr("shout"));
  EXPECT_THAT(steps, HasSubstr(ComputeCid("Hello from /shout/greeter!")));
  b.Shot("11-pipeline-debug");

  // 10. The server page lists its definition by CID and its runs.
  ASSERT_OK(d.Navigate(b.Url("/servers/shout")));
  EXPECT_THAT(b.TextOf("main"), HasSubstr("Definition history"));
  EXPECT_THAT(b.TextOf("main"), HasSubstr("Runs"));
  b.Shot("12-server-runs");

  // 11. An alias made through its form, then the match preview: which rule
  // of which alias a path meets, and where it leads.
  ASSERT_OK(d.Navigate(b.Url("/aliases/new")));
  ASSERT_OK_AND_ASSIGN(name_field, d.Find("#name"));
  ASSERT_OK_AND_ASSIGN(definition_field, d.Find("#definition"));
  ASSERT_OK(d.Type(name_field, "docs"));
  ASSERT_OK(d.Type(definition_field,
                   "# the manual\n[glob] /docs/* -> /shout/*\n"));
  ASSERT_OK_AND_ASSIGN(create, d.Find("form.stack button[type=submit]"));
  ASSERT_OK(d.Click(create));
  ASSERT_TRUE(d.WaitForUrl(
                   [](const std::string& url) {
                     return absl::EndsWith(url, "/aliases/docs");
                   },
                   absl::Seconds(10))
                  .ok());
  ASSERT_OK(d.Navigate(b.Url("/aliases/match-preview?path=/docs/intro")));
  const std::string preview = b.TextOf("main .result");
  EXPECT_THAT(preview, HasSubstr("meets line 2 of alias docs"));
  EXPECT_THAT(preview, HasSubstr("/shout/intro"));
  b.Shot("13-alias-preview");
}

// An uploaded HTML page is served from viewer's own origin; its script
// must not run (docs/security.md: CIDs are sandboxed), so it cannot read a
// secret. The script would change the page's title if it ran at all, and
// put the secret in it if it could read it.
TEST(BrowserTest, AnUploadedPageCannotRunScriptOrReadSecrets) {
  BrowserSession b;
  ASSERT_OK(StartBrowser(b));
  WebDriver& d = b.driver();
  httplib::Client client(b.Url(""));
  ASSERT_EQ(Status(client.Post("/secrets",
                               R"({"name": "x", "definition": "hunter2"})",
                               "application/json")),
            201);
  const std::string page =
      "<!DOCTYPE html><html><head><title>untouched</title></head><body>"
      "<p id=\"p\">an uploaded page</p><script>"
      "document.title = 'script ran';"
      "fetch('/secrets/x.json').then(r => r.text())"
      ".then(t => { document.title = 'read: ' + t; })"
      ".catch(e => { document.title = 'fetch failed: ' + e; });"
      "</script></body></html>";
  httplib::Result up = client.Post("/api/cids", page, "text/html");
  ASSERT_EQ(Status(up), 201) << Body(up);
  const std::string path =
      nlohmann::json::parse(up->body)["path"].get<std::string>();
  ASSERT_OK(d.Navigate(b.Url(path + ".html")));
  EXPECT_EQ(b.TextOf("#p"), "an uploaded page");  // it is shown as HTML
  // Give a script that did run time to finish its fetch.
  absl::SleepFor(absl::Seconds(1));
  b.Shot("09-sandboxed-upload");
  ASSERT_OK_AND_ASSIGN(std::string title, d.Title());
  EXPECT_EQ(title, "untouched");
  EXPECT_THAT(title, ::testing::Not(HasSubstr("hunter2")));
  // The application's own pages still work under their policy: the
  // stylesheet applies (the navigation bar is laid out by it).
  ASSERT_OK(d.Navigate(b.Url("/")));
  EXPECT_THAT(b.TextOf("nav.top"), HasSubstr("Servers"));
}

}  // namespace
}  // namespace viewer::testing
