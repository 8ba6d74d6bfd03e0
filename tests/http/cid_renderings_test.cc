// Markdown and QR renderings of CIDs (http/internal/cid_renderings.h). The
// PNG is decoded with libpng, an independent reader, and compared with the
// code's modules pixel by pixel.
#include "http/internal/cid_renderings.h"

#include <png.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testutil.h"

namespace viewer::http_internal {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(MarkdownTest, RendersCommonMark) {
  EXPECT_EQ(MarkdownToSafeHtml("# Title\n\nSome *text* and `code`.\n"),
            "<h1>Title</h1>\n<p>Some <em>text</em> and <code>code</code>."
            "</p>\n");
  EXPECT_EQ(MarkdownToSafeHtml("- a\n- b\n"),
            "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n");
}

TEST(MarkdownTest, LeavesOutRawHtmlAndUnsafeLinks) {
  const std::string html = MarkdownToSafeHtml(
      "<script>alert(1)</script>\n\nhi <img src=x onerror=alert(1)>\n\n"
      "[x](javascript:alert(1)) ![y](data:text/html,boom)\n");
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<img src=\"x\"")));
  EXPECT_THAT(html, Not(HasSubstr("onerror")));
  EXPECT_THAT(html, Not(HasSubstr("javascript:")));
  EXPECT_THAT(html, Not(HasSubstr("data:text/html")));
  EXPECT_THAT(html, HasSubstr("raw HTML omitted"));
  EXPECT_THAT(html, HasSubstr("<a href=\"\">x</a>"));
}

TEST(MarkdownTest, InvalidUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(MarkdownToSafeHtml("a\xff"), "<p>a\xEF\xBF\xBD</p>\n");
}

// The PNG decoded to 8-bit grey pixels, row by row.
struct Image {
  int width = 0, height = 0;
  std::vector<unsigned char> pixels;
};

Image DecodePng(const std::string& png) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  Image out;
  if (!png_image_begin_read_from_memory(&image, png.data(), png.size())) {
    ADD_FAILURE() << "libpng cannot read it: " << image.message;
    return out;
  }
  image.format = PNG_FORMAT_GRAY;
  out.width = static_cast<int>(image.width);
  out.height = static_cast<int>(image.height);
  out.pixels.resize(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, out.pixels.data(), 0, nullptr)) {
    ADD_FAILURE() << "libpng cannot decode it: " << image.message;
  }
  return out;
}

TEST(QrTest, PngHasTheCodesModulesAndAQuietZone) {
  ASSERT_OK_AND_ASSIGN(QrCode code,
                       EncodeQr("http://localhost/AAAAAAAFaGVsbG8"));
  ASSERT_GE(code.width, 21);  // version 1 or more
  EXPECT_EQ((code.width - 17) % 4, 0);
  // The three finder patterns: dark corners, with a light ring inside.
  EXPECT_TRUE(code.At(0, 0));
  EXPECT_TRUE(code.At(code.width - 1, 0));
  EXPECT_TRUE(code.At(0, code.width - 1));
  EXPECT_FALSE(code.At(1, 1));
  EXPECT_TRUE(code.At(3, 3));
  const int scale = 3;
  Image image = DecodePng(QrPng(code, scale));
  const int side = (code.width + 2 * kQrQuietZone) * scale;
  ASSERT_EQ(image.width, side);
  ASSERT_EQ(image.height, side);
  int wrong = 0;
  for (int py = 0; py < side; ++py) {
    for (int px = 0; px < side; ++px) {
      const int x = px / scale - kQrQuietZone, y = py / scale - kQrQuietZone;
      const bool dark =
          x >= 0 && y >= 0 && x < code.width && y < code.width && code.At(x, y);
      if (image.pixels[static_cast<size_t>(py) * side + px] !=
          (dark ? 0 : 255)) {
        ++wrong;
      }
    }
  }
  EXPECT_EQ(wrong, 0);
}

TEST(QrTest, DifferentTextsGiveDifferentCodes) {
  ASSERT_OK_AND_ASSIGN(QrCode a, EncodeQr("http://localhost/AAAAAAAA"));
  ASSERT_OK_AND_ASSIGN(QrCode b, EncodeQr("http://localhost/AAAAAAAB"));
  EXPECT_NE(a.dark, b.dark);
}

TEST(QrTest, SvgHasOneSquarePerDarkModule) {
  ASSERT_OK_AND_ASSIGN(QrCode code, EncodeQr("hello"));
  const std::string svg = QrSvg(code);
  int dark = 0;
  for (bool d : code.dark) dark += d ? 1 : 0;
  int squares = 0;
  for (size_t at = 0; (at = svg.find("h1v1h-1z", at)) != std::string::npos;
       ++at) {
    ++squares;
  }
  EXPECT_EQ(squares, dark);
  const int size = code.width + 2 * kQrQuietZone;
  EXPECT_THAT(svg, HasSubstr(absl::StrCat("viewBox=\"0 0 ", size, " ", size)));
  // The first finder pattern's corner, shifted by the quiet zone.
  EXPECT_THAT(svg, HasSubstr(absl::StrCat("M", kQrQuietZone, " ", kQrQuietZone,
                                          "h1v1h-1z")));
}

TEST(QrTest, TooLongIsAClearError) {
  absl::Status status = EncodeQr(std::string(5000, 'x')).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("cannot hold 5000 bytes"));
}

}  // namespace
}  // namespace viewer::http_internal
