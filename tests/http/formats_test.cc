// Response formats (http/internal/formats.h) and the router's format
// suffixes and rest-of-path captures.
#include "http/internal/formats.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "http/internal/router.h"

namespace viewer::http_internal {
namespace {

using ::testing::ElementsAre;
using json = nlohmann::json;

TEST(FormatsTest, Suffixes) {
  EXPECT_EQ(FormatFromSuffix("csv"), Format::kCsv);
  EXPECT_EQ(FormatFromSuffix("md"), Format::kMarkdown);
  EXPECT_EQ(FormatFromSuffix("txt"), Format::kText);
  EXPECT_EQ(FormatFromSuffix("xml"), Format::kXml);
  EXPECT_EQ(FormatFromSuffix("html"), Format::kHtml);
  EXPECT_EQ(FormatFromSuffix("json"), Format::kJson);
  EXPECT_EQ(FormatFromSuffix("CSV"), std::nullopt);
  EXPECT_EQ(FormatFromSuffix("png"), std::nullopt);
  EXPECT_EQ(FormatMimeType(Format::kCsv), "text/csv; charset=utf-8");
  EXPECT_EQ(FormatMimeType(Format::kMarkdown), "text/markdown; charset=utf-8");
}

TEST(FormatsTest, AcceptPicksTheHighestQuality) {
  // What browsers send: HTML first.
  EXPECT_EQ(FormatFromAccept("text/html,application/xhtml+xml,application/"
                             "xml;q=0.9,*/*;q=0.8",
                             Format::kJson),
            Format::kHtml);
  EXPECT_EQ(FormatFromAccept("text/csv", Format::kHtml), Format::kCsv);
  EXPECT_EQ(FormatFromAccept("Text/Markdown", Format::kHtml),
            Format::kMarkdown);
  EXPECT_EQ(FormatFromAccept("text/x-markdown", Format::kHtml),
            Format::kMarkdown);
  EXPECT_EQ(FormatFromAccept("text/xml", Format::kHtml), Format::kXml);
  EXPECT_EQ(FormatFromAccept("text/plain;q=0.4, text/csv;q=0.5", Format::kHtml),
            Format::kCsv);
  EXPECT_EQ(FormatFromAccept("text/plain;q=0.9, application/json;q=0.2",
                             Format::kHtml),
            Format::kText);
  // Equal quality: JSON before CSV before HTML before text.
  EXPECT_EQ(FormatFromAccept("text/plain, text/html", Format::kJson),
            Format::kHtml);
  EXPECT_EQ(FormatFromAccept("text/csv, application/json", Format::kHtml),
            Format::kJson);
  // q=0 refuses; wildcards and unknown types keep the fallback.
  EXPECT_EQ(FormatFromAccept("text/csv;q=0", Format::kHtml), Format::kHtml);
  EXPECT_EQ(FormatFromAccept("*/*", Format::kJson), Format::kJson);
  EXPECT_EQ(FormatFromAccept("image/png", Format::kHtml), Format::kHtml);
  EXPECT_EQ(FormatFromAccept("text/csv;q=abc", Format::kHtml), Format::kHtml);
  EXPECT_EQ(FormatFromAccept("", Format::kHtml), Format::kHtml);
}

const json kList = {
    {"servers",
     {{{"name", "echo"}, {"enabled", true}, {"definition", "say \"hi\", ok"}},
      {{"name", "b|c"}, {"enabled", false}, {"definition", "two\nlines"}}}}};

TEST(FormatsTest, CsvOfAListHasAHeaderAndOneRowEach) {
  EXPECT_EQ(RenderData(kList, Format::kCsv),
            "definition,enabled,name\r\n"
            "\"say \"\"hi\"\", ok\",true,echo\r\n"
            "\"two\nlines\",false,b|c\r\n");
  EXPECT_EQ(RenderData({{"servers", json::array()}}, Format::kCsv), "");
}

TEST(FormatsTest, CsvOfAnObjectIsOneRow) {
  EXPECT_EQ(RenderData({{"a", 1}, {"b", nullptr}, {"c", {1, 2}}}, Format::kCsv),
            "a,b,c\r\n1,,\"[1,2]\"\r\n");
  EXPECT_EQ(RenderData("x", Format::kCsv), "value\r\nx\r\n");
}

TEST(FormatsTest, TextAndMarkdown) {
  EXPECT_EQ(RenderData(kList, Format::kText), "echo\nb|c");
  EXPECT_EQ(RenderData({{"name", "a"}, {"size", 3}}, Format::kText),
            "name: a\nsize: 3");
  EXPECT_EQ(
      RenderData({{"cids", {{{"cid", "X"}, {"size", 1}}}}}, Format::kText),
      "cid: X\nsize: 1");
  // An entity with its history is one object, not the history's rows.
  EXPECT_EQ(RenderData({{"name", "a"}, {"interactions", {{{"id", 1}}}}},
                       Format::kText),
            "interactions: [{\"id\":1}]\nname: a");
  EXPECT_EQ(RenderData(kList, Format::kMarkdown),
            "| definition | enabled | name |\n| --- | --- | --- |\n"
            "| say \"hi\", ok | true | echo |\n"
            "| two lines | false | b\\|c |\n");
  EXPECT_EQ(RenderData({{"name", "a"}}, Format::kMarkdown), "- **name**: a");
  EXPECT_EQ(RenderData(json::array({1, "x"}), Format::kMarkdown), "- 1\n- x");
  EXPECT_EQ(RenderData(json::array({1, "x"}), Format::kText), "1\nx");
  EXPECT_EQ(RenderData(json::array({1, "x"}), Format::kCsv),
            "value\r\n1\r\nx\r\n");
}

TEST(FormatsTest, XmlEscapesTextAndNames) {
  EXPECT_EQ(RenderData({{"a b", "<x>&"}, {"1st", nullptr}, {"l", {1, "\x01"}}},
                       Format::kXml),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<response><_1st/><a_b>&lt;x&gt;&amp;</a_b>"
            "<l><item>1</item><item>\\x01</item></l></response>");
}

TEST(FormatsTest, HtmlAndJson) {
  EXPECT_EQ(RenderData({{"a", "<"}}, Format::kJson), "{\"a\":\"<\"}");
  EXPECT_EQ(RenderData({{"a", "<"}}, Format::kHtml),
            "<pre>{\n  &quot;a&quot;: &quot;&lt;&quot;\n}</pre>");
}

TEST(RouterFormatsTest, EverySuffixSelectsItsFormat) {
  Router r;
  r.Add("GET", "/servers/{}", kJsonSuffix, [](Ctx&) {});
  r.Add("GET", "/plain/{}", kNoFlags, [](Ctx&) {});
  for (Format f : kAllFormats) {
    Router::Match m = r.Find(
        "GET", std::string("/servers/echo.") + std::string(FormatSuffix(f)));
    ASSERT_EQ(m.kind, Router::Match::kFound);
    EXPECT_THAT(m.args, ElementsAre("echo"));
    EXPECT_EQ(m.format, f);
    EXPECT_EQ(m.json, f != Format::kHtml);
  }
  Router::Match other = r.Find("GET", "/servers/a.b.png");
  EXPECT_THAT(other.args, ElementsAre("a.b.png"));
  EXPECT_EQ(other.format, std::nullopt);
  // Only routes with the flag take suffixes.
  EXPECT_THAT(r.Find("GET", "/plain/x.csv").args, ElementsAre("x.csv"));
  EXPECT_EQ(r.Find("GET", "/plain/x.csv").format, std::nullopt);
}

TEST(RouterFormatsTest, RestCaptureTakesEverySegmentLeft) {
  Router r;
  r.Add("GET", "/meta/{*}", kNoFlags, [](Ctx&) {});
  EXPECT_THAT(r.Find("GET", "/meta/a/b.json/c").args,
              ElementsAre("a/b.json/c"));
  EXPECT_THAT(r.Find("GET", "/meta/").args, ElementsAre(""));
  EXPECT_EQ(r.Find("GET", "/meta").kind, Router::Match::kNone);
  EXPECT_EQ(r.Find("GET", "/other/a").kind, Router::Match::kNone);
  EXPECT_EQ(r.routes()[0].pattern, "/meta/{*}");
}

}  // namespace
}  // namespace viewer::http_internal
