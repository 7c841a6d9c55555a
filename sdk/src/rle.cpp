// SPDX-License-Identifier: Apache-2.0
// COCO RLE, with the same arithmetic as pycocotools' maskApi so that areas and boxes agree
// to the pixel.
#include "ea/sdk/rle.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <numeric>

namespace ea::sdk {

namespace {

static_assert(std::endian::native == std::endian::little,
              "the decoder reads 8 characters as a word");

constexpr std::uint64_t kEachByte = 0x0101010101010101;

// A character of the string form holds a 6-bit group as '0' + group: 0x30 to 0x6f.
bool is_group_character(unsigned char c) {
  return c >= 0x30 && c <= 0x6f;
}

// Whether every character is a group character, and how many values the string holds (one per
// character without the continuation bit 0x20), eight characters at a time: this pass and the
// decoding below replace a branch per character, whose mispredictions dominated.
std::optional<std::size_t> count_values(std::string_view text) {
  std::size_t values = 0;
  std::size_t at = 0;
  for (; at + 8 <= text.size(); at += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, text.data() + at, 8);
    // Bytes below 0x80 do not carry into their neighbours when 0x50 or 0x10 is added.
    const bool valid = (word & (0x80 * kEachByte)) == 0 &&
                       ((word + 0x50 * kEachByte) & (0x80 * kEachByte)) == 0x80 * kEachByte &&
                       ((word + 0x10 * kEachByte) & (0x80 * kEachByte)) == 0;
    if (!valid)
      return std::nullopt;
    const std::uint64_t ends = ~(word - 0x30 * kEachByte) & (0x20 * kEachByte);
    values += static_cast<std::size_t>(((ends >> 5) * kEachByte) >> 56);  // sums the bytes' ones
  }
  for (; at < text.size(); ++at) {
    const auto c = static_cast<unsigned char>(text[at]);
    if (!is_group_character(c))
      return std::nullopt;
    values += ((c - 0x30) & 0x20) == 0 ? 1 : 0;
  }
  return values;
}

// Loads the 8 characters at `at` into `word`; whether a value ends among them.
bool ends_within(const char* at, std::uint64_t& word) {
  std::memcpy(&word, at, 8);
  return (~(word - 0x30 * kEachByte) & (0x20 * kEachByte)) != 0;
}

// The 5-bit groups of the first value in `word` (at least one byte ends it), gathered into one
// number; `length` receives its characters.
std::int64_t gather_groups(std::uint64_t word, int& length) {
  const std::uint64_t groups = word - 0x30 * kEachByte;  // valid bytes: no borrows
  const std::uint64_t ends = ~groups & (0x20 * kEachByte);
  length = std::countr_zero(ends) / 8 + 1;
  const std::uint64_t keep =
      length == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * length)) - 1;
  std::uint64_t bits = groups & keep & (0x1f * kEachByte);
  bits = (bits & 0x001f001f001f001f) | ((bits >> 3) & 0x03e003e003e003e0);
  bits = (bits & 0x000003ff000003ff) | ((bits >> 6) & 0x000ffc00000ffc00);
  bits = (bits & 0x00000000000fffff) | ((bits >> 12) & 0x000000fffff00000);
  const int shift = 5 * length;
  auto value = static_cast<std::int64_t>(bits);
  // The last 5-bit group carries the sign in its 0x10 bit.
  if (((bits >> (shift - 1)) & 1) != 0)
    value |= -(std::int64_t{1} << shift);
  return value;
}

}  // namespace

std::optional<std::size_t> rle_string_runs(std::string_view text) {
  return count_values(text);
}

bool rle_decode_into(std::string_view text, std::uint32_t height, std::uint32_t width,
                     std::span<std::uint32_t> runs) {
  std::size_t m = 0;
  std::uint64_t total = 0;
  const char* next = text.data();
  const char* const end = next + text.size();
  while (next != end) {
    std::int64_t value = 0;
    int length = 0;
    if (const unsigned group = static_cast<unsigned char>(*next) - 0x30u; (group & 0x20) == 0) {
      value = (group & 0x10) != 0 ? static_cast<std::int64_t>(group) - 0x20 : group;  // most are
      ++next;
    } else if (std::uint64_t word = 0; end - next >= 8 && ends_within(next, word)) {
      value = gather_groups(word, length);
      next += length;
    } else {  // near the end, or a value of more than 8 characters
      int shift = 0;
      unsigned group = 0;
      do {
        if (next == end || shift > 55)
          return false;
        group = static_cast<unsigned char>(*next++) - 0x30u;
        value |= static_cast<std::int64_t>(group & 0x1f) << shift;
        shift += 5;
      } while ((group & 0x20) != 0);
      if ((group & 0x10) != 0)
        value |= -(static_cast<std::int64_t>(1) << shift);
    }
    if (m > 2)
      value += runs[m - 2];
    if (m == runs.size() || value < 0 || value > std::int64_t{UINT32_MAX})
      return false;
    runs[m++] = static_cast<std::uint32_t>(value);
    total += static_cast<std::uint64_t>(value);
  }
  return m == runs.size() && total == std::uint64_t{height} * width;
}

std::optional<Rle> rle_from_string(std::string_view text, std::uint32_t height,
                                   std::uint32_t width) {
  const std::optional<std::size_t> values = count_values(text);
  if (!values)
    return std::nullopt;
  Rle rle{height, width, std::vector<std::uint32_t>(*values)};
  if (!rle_decode_into(text, height, width, rle.counts))
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

std::uint64_t rle_area(RleView rle) {
  std::uint64_t area = 0;
  for (std::size_t i = 1; i < rle.counts.size(); i += 2)
    area += rle.counts[i];
  return area;
}

BoundingBox rle_bbox(RleView rle) {
  const std::size_t runs = rle.counts.size() / 2 * 2;
  const std::int64_t h = rle.height;
  if (runs == 0 || h == 0)
    return {};
  std::int64_t xs = rle.width, ys = h, xe = 0, ye = 0, cc = 0, xp = 0;
  // Column and row of each run's end. Most runs end in the column of the previous end or the
  // next one, so a division is needed only for longer jumps (this runs for every mask read).
  const auto rows = static_cast<std::uint64_t>(h);
  std::uint64_t column = 0, column_start = 0;
  for (std::size_t j = 0; j < runs; ++j) {
    cc += rle.counts[j];
    const auto t = static_cast<std::uint64_t>(cc - static_cast<std::int64_t>(j % 2));
    if (t - column_start >= rows) {
      if (t - column_start < 2 * rows) {
        ++column;
      } else {
        column = t / rows;
      }
      column_start = column * rows;
    }
    const auto y = static_cast<std::int64_t>(t - column_start);
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
