// Content by CID over HTTP: upload, API, serving with MIME types, ETags,
// HEAD and 304, the cids folder, listing and prefix search.
#include <string>

#include "absl/strings/str_cat.h"
#include "app/cid.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/http/viewer_fixture.h"

namespace viewer::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

class CidsTest : public ::testing::TestWithParam<BackendKind> {};

TEST_P(CidsTest, ApiStoresAndServesBytes) {
  ViewerFixture v(GetParam());
  const std::string bytes(1000, 'z');  // a hashed CID
  const std::string cid = ComputeCid(bytes);
  httplib::Result r = v.PostRaw("/api/cids", bytes, "application/octet-stream");
  ASSERT_EQ(Status(r), 201) << Body(r);
  json j = ViewerFixture::Json(r);
  EXPECT_EQ(j["cid"], cid);
  EXPECT_EQ(j["path"], "/" + cid);
  EXPECT_EQ(j["size"], 1000);
  EXPECT_EQ(r->get_header_value("Location"), "/" + cid);

  httplib::Result got = v.Get("/" + cid);
  ASSERT_EQ(Status(got), 200);
  EXPECT_EQ(Body(got), bytes);
  EXPECT_EQ(got->get_header_value("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(got->get_header_value("ETag"), "\"" + cid + "\"");
  EXPECT_EQ(got->get_header_value("Cache-Control"),
            "public, max-age=31536000, immutable");

  EXPECT_EQ(v.Get("/" + cid + ".png")->get_header_value("Content-Type"),
            "image/png");
  EXPECT_EQ(v.Get("/" + cid + ".txt")->get_header_value("Content-Type"),
            "text/plain; charset=utf-8");

  httplib::Result head = v.Head("/" + cid);
  ASSERT_EQ(Status(head), 200);
  EXPECT_EQ(Body(head), "");
  EXPECT_EQ(head->get_header_value("Content-Length"), "1000");

  httplib::Result cached =
      v.Get("/" + cid, {{"If-None-Match", "W/\"x\", \"" + cid + "\""}});
  EXPECT_EQ(Status(cached), 304);
  EXPECT_EQ(Body(cached), "");
  EXPECT_EQ(Status(v.Get("/" + cid, {{"If-None-Match", "\"other\""}})), 200);

  // Storing the same bytes again is fine and changes nothing.
  EXPECT_EQ(Status(v.PostRaw("/api/cids", bytes, "text/plain")), 201);
  EXPECT_EQ(ViewerFixture::Json(v.Get("/uploads.json"))["total"], 1);
}

TEST_P(CidsTest, BinaryWithoutExtensionIsOctetStream) {
  ViewerFixture v(GetParam());
  const std::string bytes("\x00\xff\xfe binary", 10);
  httplib::Result r = v.PostRaw("/api/cids", bytes, "application/octet-stream");
  ASSERT_EQ(Status(r), 201);
  httplib::Result got = v.Get(ViewerFixture::Json(r)["path"].get<std::string>());
  EXPECT_EQ(Body(got), bytes);
  EXPECT_EQ(got->get_header_value("Content-Type"), "application/octet-stream");
}

TEST_P(CidsTest, UploadFormFileAndText) {
  ViewerFixture v(GetParam());
  EXPECT_THAT(Body(v.Get("/upload")),
              HasSubstr("enctype=\"multipart/form-data\""));
  httplib::MultipartFormDataItems file = {
      {"file", "\x89PNG fake", "picture.PNG", "image/png"}};
  httplib::Result up = v.client().Post("/upload", file);
  ASSERT_EQ(Status(up), 303) << Body(up);
  const std::string cid = ComputeCid("\x89PNG fake");
  EXPECT_EQ(up->get_header_value("Location"), "/" + cid + ".png");
  EXPECT_EQ(v.Get("/" + cid + ".png")->get_header_value("Content-Type"),
            "image/png");

  httplib::MultipartFormDataItems text = {{"text", "typed text", "", ""}};
  httplib::Result t = v.client().Post("/upload", text);
  ASSERT_EQ(Status(t), 303);
  EXPECT_EQ(t->get_header_value("Location"), "/" + ComputeCid("typed text"));

  httplib::Result form = v.PostForm("/upload", {{"text", "form text"}});
  ASSERT_EQ(Status(form), 303);
  EXPECT_EQ(form->get_header_value("Location"), "/" + ComputeCid("form text"));

  httplib::Result none = v.client().Post(
      "/upload", httplib::MultipartFormDataItems{{"text", "", "", ""}});
  EXPECT_EQ(Status(none), 400);
  EXPECT_THAT(Body(none), HasSubstr("Choose a file or type some text"));

  json uploads = ViewerFixture::Json(v.Get("/uploads.json"));
  EXPECT_EQ(uploads["total"], 3);
  EXPECT_THAT(Body(v.Get("/uploads")), HasSubstr(cid));
}

TEST_P(CidsTest, ServesTheCidsFolderAndLiteralCids) {
  ViewerFixture v(GetParam());
  ASSERT_NE(v.cids(), nullptr);
  std::vector<std::string> names = v.cids()->Names();
  ASSERT_FALSE(names.empty());
  httplib::Result r = v.Get("/" + names[0]);
  ASSERT_EQ(Status(r), 200) << Body(r);
  EXPECT_EQ(ComputeCid(Body(r)), names[0]);
  // A literal CID names its own bytes, stored or not.
  httplib::Result literal = v.Get("/AAAAAAAFaGVsbG8.txt");
  ASSERT_EQ(Status(literal), 200);
  EXPECT_EQ(Body(literal), "hello");
}

TEST_P(CidsTest, PrefixSearchCoversStoreAndFolder) {
  ViewerFixture v(GetParam());
  ASSERT_EQ(Status(v.PostRaw("/api/cids", "hello", "text/plain")), 201);
  json j = ViewerFixture::Json(v.Get("/cids.json?prefix=AAAAAAAF"));
  EXPECT_EQ(j["prefix"], "AAAAAAAF");
  bool found = false;
  for (const auto& c : j["cids"]) found |= c == "AAAAAAAFaGVsbG8";
  EXPECT_TRUE(found) << j.dump();
  json all = ViewerFixture::Json(v.Get("/cids.json?limit=1000"));
  const size_t extra = v.cids()->Contains("AAAAAAAFaGVsbG8") ? 0 : 1;
  EXPECT_EQ(all["cids"].size(), v.cids()->file_count() + extra);
  EXPECT_EQ(ViewerFixture::Json(v.Get("/cids.json?prefix=zzzz"))["cids"].size(),
            0u);
  EXPECT_EQ(ViewerFixture::Json(v.Get("/cids.json?limit=2"))["cids"].size(), 2u);
}

TEST_P(CidsTest, UnknownAndMalformedCidsAre404WithAMessage) {
  ViewerFixture v(GetParam());
  const std::string unknown = ComputeCid(std::string(100, 'q'));
  for (const std::string& path :
       {"/" + unknown, "/" + unknown + ".txt", std::string("/AAAA!"),
        std::string("/AAAAAAAFaGVsbG9x"), std::string("/AAAAAAAFaGVsbG8.")}) {
    httplib::Result r = v.Get(path);
    EXPECT_EQ(Status(r), 404) << path;
    EXPECT_THAT(Body(r), HasSubstr("nothing at")) << path;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, CidsTest, AllBackends(), BackendParamName);

}  // namespace
}  // namespace viewer::testing
