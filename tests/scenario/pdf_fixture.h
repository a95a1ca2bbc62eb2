#pragma once
// Assets for pane 2 tests: PDFs whose pages are solid colours (drawn with Cairo's PDF
// surface), encrypted copies (qpdf), and solid-colour images (ffmpeg).

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace ssr::test {

// A PDF with one page per colour (0xrrggbb), each page filled with it. 16:9 by default.
void WriteColourPdf(const std::filesystem::path& path, const std::vector<uint32_t>& colours,
                    double width_pt = 640, double height_pt = 360);

// A copy of `in` encrypted with a user password (AES-256, qpdf). Throws if qpdf fails.
void WriteEncryptedPdf(const std::filesystem::path& in, const std::filesystem::path& out,
                       const std::string& password = "secret");

// An image (PNG, JPEG, WebP: by the extension) of one colour ("red", "0x00ff00"), by ffmpeg.
void WriteColourImage(const std::filesystem::path& path, const std::string& colour, int width,
                      int height);

} // namespace ssr::test
