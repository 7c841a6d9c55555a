// SPDX-License-Identifier: Apache-2.0
// COCO RLE, with the same arithmetic as pycocotools' maskApi so that areas and boxes agree
// to the pixel.
#include "ea/sdk/rle.hpp"

#include <algorithm>
#include <numeric>

namespace ea::sdk {

std::optional<Rle> rle_from_string(std::string_view text, std::uint32_t height,
                                   std::uint32_t width) {
  Rle rle{height, width, {}};
  // Each count ends with the one character whose continuation bit (0x20) is clear.
  rle.counts.reserve(static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return ((static_cast<unsigned char>(c) - 48) & 0x20) == 0;
  })));
  std::uint64_t total = 0;
  std::size_t position = 0;
  while (position < text.size()) {
    std::int64_t value = 0;
    int shift = 0;
    bool more = true;
    int chunk = 0;
    while (more) {
      if (position >= text.size() || shift > 55)
        return std::nullopt;
      chunk = static_cast<unsigned char>(text[position]) - 48;
      if (chunk < 0 || chunk > 63)
        return std::nullopt;
      value |= static_cast<std::int64_t>(chunk & 0x1f) << shift;
      more = (chunk & 0x20) != 0;
      ++position;
      shift += 5;
    }
    // The last 5-bit group carries the sign in its 0x10 bit.
    if ((chunk & 0x10) != 0)
      value |= -(static_cast<std::int64_t>(1) << shift);
    const std::size_t m = rle.counts.size();
    if (m > 2)
      value += rle.counts[m - 2];
    if (value < 0 || value > std::int64_t{UINT32_MAX})
      return std::nullopt;
    rle.counts.push_back(static_cast<std::uint32_t>(value));
    total += static_cast<std::uint64_t>(value);
  }
  if (total != std::uint64_t{height} * width)
    return std::nullopt;
  return rle;
}

std::string rle_to_string(const Rle& rle) {
  std::string text;
  text.reserve(rle.counts.size() * 2);
  for (std::size_t i = 0; i < rle.counts.size(); ++i) {
    std::int64_t value = rle.counts[i];
    if (i > 2)
      value -= rle.counts[i - 2];
    bool more = true;
    while (more) {
      int chunk = static_cast<int>(value & 0x1f);
      value >>= 5;  // arithmetic shift: negative deltas end in -1
      more = (chunk & 0x10) ? value != -1 : value != 0;
      if (more)
        chunk |= 0x20;
      text.push_back(static_cast<char>(chunk + 48));
    }
  }
  return text;
}

Rle rle_from_row_major(std::span<const std::uint8_t> pixels, std::uint32_t height,
                       std::uint32_t width) {
  Rle rle{height, width, {}};
  bool current = false;
  std::uint32_t run = 0;
  for (std::uint32_t x = 0; x < width; ++x) {
    for (std::uint32_t y = 0; y < height; ++y) {
      const bool set = pixels[std::size_t{y} * width + x] != 0;
      if (set != current) {
        rle.counts.push_back(run);
        run = 0;
        current = set;
      }
      ++run;
    }
  }
  rle.counts.push_back(run);
  return rle;
}

std::uint64_t rle_area(const Rle& rle) {
  std::uint64_t area = 0;
  for (std::size_t i = 1; i < rle.counts.size(); i += 2)
    area += rle.counts[i];
  return area;
}

BoundingBox rle_bbox(const Rle& rle) {
  const std::size_t runs = rle.counts.size() / 2 * 2;
  const std::int64_t h = rle.height;
  if (runs == 0 || h == 0)
    return {};
  std::int64_t xs = rle.width, ys = h, xe = 0, ye = 0, cc = 0, xp = 0;
  // One unsigned division per run gives column and row (this runs for every mask compared).
  const auto rows = static_cast<std::uint64_t>(h);
  for (std::size_t j = 0; j < runs; ++j) {
    cc += rle.counts[j];
    const auto t = static_cast<std::uint64_t>(cc - static_cast<std::int64_t>(j % 2));
    const auto column = t / rows;
    const auto y = static_cast<std::int64_t>(t - column * rows);
    const auto x = static_cast<std::int64_t>(column);
    if (j % 2 == 0) {
      xp = x;
    } else if (xp < x) {
      // The run wraps to the next column, so it covers the column's full height.
      ys = 0;
      ye = h - 1;
    }
    xs = std::min(xs, x);
    xe = std::max(xe, x);
    ys = std::min(ys, y);
    ye = std::max(ye, y);
  }
  return BoundingBox{static_cast<double>(xs), static_cast<double>(ys),
                     static_cast<double>(xe - xs + 1), static_cast<double>(ye - ys + 1), 0};
}

}  // namespace ea::sdk
