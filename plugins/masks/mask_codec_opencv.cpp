// SPDX-License-Identifier: Apache-2.0
// The mask plugin's OpenCV companion (ea_masks_opencv.so): image decoding and connected
// components, behind the plain types of mask_codec.hpp.
#include <algorithm>
#include <array>
#include <fstream>
#include <optional>

#include <zlib.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "mask_codec.hpp"

namespace {

using ea::masks::MaskImage;
using ea::masks::PixelLayout;

// What a PNG's header chunks say that OpenCV's decoder hides: the colour type, the gray bit
// depth, and the palette that OpenCV expands into colours.
struct PngHeader {
  int colour_type = -1;
  int bit_depth = 0;
  std::vector<std::array<std::uint8_t, 3>> palette;  // RGB per index
};

std::uint32_t big_endian(const std::uint8_t* bytes) {
  return std::uint32_t{bytes[0]} << 24 | std::uint32_t{bytes[1]} << 16 |
         std::uint32_t{bytes[2]} << 8 | bytes[3];
}

bool is_png(const std::vector<std::uint8_t>& file) {
  static constexpr std::uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  return file.size() >= 8 && std::equal(kSignature, kSignature + 8, file.begin());
}

// Walks every chunk, checking its length and checksum, so that a truncated or corrupt PNG is
// refused here with a reason instead of reaching libpng, which prints to stderr.
std::optional<PngHeader> read_png_header(const std::vector<std::uint8_t>& file,
                                         std::string& error) {
  PngHeader header;
  std::size_t at = 8;
  for (int index = 0;; ++index) {
    if (file.size() - at < 12) {
      error = "it is a truncated PNG (it ends before its IEND chunk)";
      return std::nullopt;
    }
    const std::uint32_t length = big_endian(file.data() + at);
    const std::uint8_t* type = file.data() + at + 4;
    if (length > file.size() - at - 12) {
      error = "it is a truncated PNG (it ends inside chunk " + std::to_string(index) + ")";
      return std::nullopt;
    }
    const std::uint8_t* data = type + 4;
    const auto crc = static_cast<std::uint32_t>(crc32(0, type, length + 4));
    if (crc != big_endian(data + length)) {
      error = "it is a corrupt PNG (the checksum of chunk " + std::to_string(index) + ", " +
              std::string(reinterpret_cast<const char*>(type), 4) + ", does not match)";
      return std::nullopt;
    }
    const std::string_view name(reinterpret_cast<const char*>(type), 4);
    if (name == "IHDR" && length >= 10) {
      header.bit_depth = data[8];
      header.colour_type = data[9];
    } else if (name == "PLTE") {
      for (std::uint32_t i = 0; i + 2 < length; i += 3)
        header.palette.push_back({data[i], data[i + 1], data[i + 2]});
    } else if (name == "IEND") {
      return header;
    }
    at += 12 + length;
  }
}

std::optional<std::vector<std::uint8_t>> read_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary | std::ios::ate);
  if (!in)
    return std::nullopt;
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(in.tellg()));
  in.seekg(0);
  if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size())))
    return std::nullopt;
  return bytes;
}

// OpenCV expands palette images into colours; the indices come back through the palette.
bool palette_indices(const cv::Mat& colours, const PngHeader& header, MaskImage& image,
                     std::string& error) {
  std::vector<std::pair<std::uint32_t, int>> by_colour;  // BGR key → index, or -1 if repeated
  for (std::size_t index = 0; index < header.palette.size(); ++index) {
    const auto& [r, g, b] = header.palette[index];
    const std::uint32_t key = b | std::uint32_t{g} << 8 | std::uint32_t{r} << 16;
    const auto same = std::find_if(by_colour.begin(), by_colour.end(),
                                   [key](const auto& entry) { return entry.first == key; });
    if (same == by_colour.end())
      by_colour.emplace_back(key, static_cast<int>(index));
    else
      same->second = -1;
  }
  std::sort(by_colour.begin(), by_colour.end());
  const int channels = colours.channels();
  for (int y = 0; y < colours.rows; ++y) {
    const std::uint8_t* row = colours.ptr<std::uint8_t>(y);
    for (int x = 0; x < colours.cols; ++x) {
      const std::uint8_t* pixel = row + x * channels;
      const std::uint32_t key =
          pixel[0] | std::uint32_t{pixel[1]} << 8 | std::uint32_t{pixel[2]} << 16;
      const auto found = std::lower_bound(by_colour.begin(), by_colour.end(),
                                          std::pair<std::uint32_t, int>(key, -2));
      if (found == by_colour.end() || found->first != key || found->second < 0) {
        error = "its palette repeats a colour at (" + std::to_string(x) + ", " + std::to_string(y) +
                "), so the index there cannot be told";
        return false;
      }
      image.values[static_cast<std::size_t>(y) * colours.cols + x] =
          static_cast<std::uint32_t>(found->second);
    }
  }
  return true;
}

// Widens gray values to 32 bits with OpenCV's vectorised conversion; `divisor` undoes libpng's
// scaling of 1-, 2- and 4-bit gray.
void copy_gray(const cv::Mat& mat, std::uint32_t divisor, MaskImage& image) {
  cv::Mat out(mat.rows, mat.cols, CV_32SC1, image.values.data());
  mat.convertTo(out, CV_32S);
  if (divisor != 1)
    out /= static_cast<int>(divisor);
}

void copy_rgb(const cv::Mat& mat, MaskImage& image) {
  for (int y = 0; y < mat.rows; ++y) {
    const cv::Vec3b* row = mat.ptr<cv::Vec3b>(y);
    std::uint32_t* out = image.values.data() + static_cast<std::size_t>(y) * mat.cols;
    for (int x = 0; x < mat.cols; ++x)  // OpenCV holds BGR
      out[x] = row[x][2] | std::uint32_t{row[x][1]} << 8 | std::uint32_t{row[x][0]} << 16;
  }
}

}  // namespace

extern "C" __attribute__((visibility("default"))) bool ea_masks_decode(
    const std::filesystem::path& file, MaskImage& image, std::string& error) noexcept {
  try {
    const std::optional<std::vector<std::uint8_t>> bytes = read_bytes(file);
    if (!bytes) {
      error = "it cannot be read";
      return false;
    }
    std::optional<PngHeader> png;
    if (is_png(*bytes)) {
      png = read_png_header(*bytes, error);
      if (!png)
        return false;
    }
    const cv::Mat mat = cv::imdecode(*bytes, cv::IMREAD_UNCHANGED);
    if (mat.empty()) {
      error = "it is not an image OpenCV can decode (corrupt, truncated or of an unknown type)";
      return false;
    }
    image.width = static_cast<std::uint32_t>(mat.cols);
    image.height = static_cast<std::uint32_t>(mat.rows);
    image.values.resize(static_cast<std::size_t>(mat.cols) * mat.rows);
    if (png && png->colour_type == 3 && mat.depth() == CV_8U && mat.channels() >= 3) {
      image.layout = PixelLayout::palette;
      return palette_indices(mat, *png, image, error);
    }
    if (mat.type() == CV_8UC1) {
      // libpng widens 1-, 2- and 4-bit gray to 8 bits by scaling; undo it to keep the values.
      const int depth = png && png->colour_type == 0 ? png->bit_depth : 8;
      image.layout = PixelLayout::gray8;
      copy_gray(mat, depth < 8 ? 255u / ((1u << depth) - 1) : 1u, image);
    } else if (mat.type() == CV_16UC1) {
      image.layout = PixelLayout::gray16;
      copy_gray(mat, 1, image);
    } else if (mat.type() == CV_8UC3) {
      image.layout = PixelLayout::rgb;
      copy_rgb(mat, image);
    } else {
      image.layout = PixelLayout::other;
      image.values.clear();
    }
    return true;
  } catch (const std::exception& failure) {
    error = std::string("OpenCV could not decode it (") + failure.what() + ")";
    return false;
  }
}

extern "C" __attribute__((visibility("default"))) void ea_masks_configure() noexcept {
  // The importer decodes on its own worker threads; OpenCV's pool on top of them only adds
  // hand-offs and spinning.
  cv::setNumThreads(1);
}

extern "C" __attribute__((visibility("default"))) int ea_masks_components(
    const std::uint32_t* values, int width, int height, int connectivity, std::int32_t* labels,
    std::vector<ea::masks::ComponentBox>& boxes) noexcept {
  try {
    // Labels are below 2³¹ and every id is compared with 0 only, so the values read as CV_32S.
    const cv::Mat values_mat(height, width, CV_32SC1, const_cast<std::uint32_t*>(values));
    cv::Mat input;
    cv::compare(values_mat, 0, input, cv::CMP_NE);
    cv::Mat output(height, width, CV_32SC1, labels);
    // Without OpenCV's statistics, which cost more than the labelling: one pass finds the boxes.
    const int count = cv::connectedComponents(input, output, connectivity, CV_32S);
    struct Edges {
      int left, top, right, bottom;  // inclusive
    };
    std::vector<Edges> edges(static_cast<std::size_t>(count), Edges{width, height, -1, -1});
    for (int y = 0; y < height; ++y) {
      const std::int32_t* row = labels + static_cast<std::size_t>(y) * width;
      // A box changes only where a run of one label starts or ends, so runs are what is visited.
      for (int x = 0; x < width;) {
        const std::int32_t label = row[x];
        const int start = x;
        while (x < width && row[x] == label)
          ++x;
        if (label == 0)
          continue;
        Edges& edge = edges[static_cast<std::size_t>(label)];
        edge.left = std::min(edge.left, start);
        edge.top = std::min(edge.top, y);
        edge.right = std::max(edge.right, x - 1);
        edge.bottom = std::max(edge.bottom, y);
      }
    }
    boxes.resize(edges.size());
    for (std::size_t i = 0; i < edges.size(); ++i) {
      const Edges& edge = edges[i];
      boxes[i] = {edge.left, edge.top, edge.right - edge.left + 1, edge.bottom - edge.top + 1};
    }
    return count - 1;
  } catch (...) {
    return -1;
  }
}
