// SPDX-License-Identifier: Apache-2.0
#include "pixel_rows.hpp"

#include <algorithm>
#include <array>

namespace ea::metrics::pixel_rows {

namespace {

// Saturation by (max, max − min): a table, as a division per pixel cost more than all the other
// statistics of the portable pass together.
struct SaturationTable {
  std::array<std::uint8_t, 256 * 256> values{};
  SaturationTable() {
    for (int high = 1; high < 256; ++high) {
      for (int spread = 0; spread <= high; ++spread)
        values[high * 256 + spread] = static_cast<std::uint8_t>((255 * spread + high / 2) / high);
    }
  }
};

const SaturationTable& saturation_table() {
  static const SaturationTable table;  // immutable once built; C++ makes the first call safe
  return table;
}

void colour_row(const std::uint8_t* rgb, std::uint32_t width, std::int32_t* luma,
                std::int32_t* saturation) {
  for (std::uint32_t x = 0; x < width; ++x, rgb += 3) {
    luma[x] = luma_of(rgb[0], rgb[1], rgb[2]);
    saturation[x] = saturation_of(rgb[0], rgb[1], rgb[2]);
  }
}

void sum_row(const RowInputs& row, Block* blocks) {
  // The Laplacian is 0 on the image's outermost pixels (and on the padding past the row's end).
  const bool inner_row = row.above != nullptr && row.below != nullptr;
  const std::uint32_t padded = (row.width + kLanes - 1) / kLanes * kLanes;
  std::int32_t luma = 0, luma2 = 0, saturation = 0, laplacian = 0, laplacian2 = 0;
  for (std::uint32_t x = 0; x < padded; ++x) {
    const std::int32_t value = row.centre[x];
    const std::int32_t edges =
        inner_row && x > 0 && x + 1 < row.width
            ? row.centre[x - 1] + row.centre[x + 1] + row.above[x] + row.below[x] - 4 * value
            : 0;
    luma += value;
    luma2 += value * value;
    saturation += row.saturation[x];
    laplacian += edges;
    laplacian2 += edges * edges;
    Block& block = blocks[x / kLanes];
    const std::uint32_t lane = x % kLanes;
    block.luma[lane] = luma;
    block.luma2[lane] = luma2;
    block.saturation[lane] = saturation;
    block.laplacian[lane] = laplacian;
    block.laplacian2[lane] = laplacian2;
  }
}

}  // namespace

std::uint8_t luma_of(std::uint8_t r, std::uint8_t g, std::uint8_t b) {
  // ((…) + .5) × .001 in float is the integer division for all 2^24 colours (the float error stays
  // below 3e-5 where the nearest integer boundary is .0005 away; a unit test checks every colour),
  // and a multiplication where the division was a third of building the planes.
  const int weighted = 299 * r + 587 * g + 114 * b + 500;
  return static_cast<std::uint8_t>((static_cast<float>(weighted) + 0.5f) * 0.001f);
}

std::int32_t saturation_of(std::uint8_t r, std::uint8_t g, std::uint8_t b) {
  const int high = std::max({r, g, b});
  const int low = std::min({r, g, b});
  return saturation_table().values[high * 256 + (high - low)];
}

Kernel portable_kernel() {
  return Kernel{"portable", colour_row, sum_row};
}

Kernel best_kernel() {
  const Kernel* avx2 = avx2_kernel();
  return avx2 != nullptr ? *avx2 : portable_kernel();
}

}  // namespace ea::metrics::pixel_rows
