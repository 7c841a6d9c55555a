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

void colour_row(const std::uint8_t* rgb, std::uint32_t width, std::uint8_t* luma,
                std::uint8_t* saturation, IntegerSums& totals) {
  for (std::uint32_t x = 0; x < width; ++x, rgb += 3) {
    luma[x] = luma_of(rgb[0], rgb[1], rgb[2]);
    saturation[x] = saturation_of(rgb[0], rgb[1], rgb[2]);
    totals.luma += luma[x];
    totals.luma2 += luma[x] * luma[x];
    totals.saturation += saturation[x];
  }
}

void laplacian_row(const std::uint8_t* above, const std::uint8_t* centre, const std::uint8_t* below,
                   std::uint32_t width, std::int16_t* laplacian, IntegerSums& totals) {
  for (std::uint32_t x = 0; x < width; ++x) {
    const std::int16_t value = x > 0 && x + 1 < width
                                   ? static_cast<std::int16_t>(centre[x - 1] + centre[x + 1] +
                                                               above[x] + below[x] - 4 * centre[x])
                                   : std::int16_t{0};
    laplacian[x] = value;
    totals.laplacian += value;
    totals.laplacian2 += value * value;
  }
}

IntegerSums sum_rectangle(const Planes& planes, std::uint32_t x0, std::uint32_t y0,
                          std::uint32_t x1, std::uint32_t y1) {
  IntegerSums sums;
  for (std::uint32_t y = y0; y < y1; ++y) {
    const std::size_t row = std::size_t{y} * planes.width;
    for (std::uint32_t x = x0; x < x1; ++x) {
      const std::int64_t luma = planes.luma[row + x], laplacian = planes.laplacian[row + x];
      sums.luma += luma;
      sums.luma2 += luma * luma;
      sums.saturation += planes.saturation[row + x];
      sums.laplacian += laplacian;
      sums.laplacian2 += laplacian * laplacian;
    }
  }
  return sums;
}

}  // namespace

std::uint8_t luma_of(std::uint8_t r, std::uint8_t g, std::uint8_t b) {
  // ((…) + .5) × .001 in float is the integer division for all 2^24 colours (the float error stays
  // below 3e-5 where the nearest integer boundary is .0005 away; a unit test checks every colour),
  // and a multiplication where the division was a third of building the planes.
  const int weighted = 299 * r + 587 * g + 114 * b + 500;
  return static_cast<std::uint8_t>((static_cast<float>(weighted) + 0.5f) * 0.001f);
}

std::uint8_t saturation_of(std::uint8_t r, std::uint8_t g, std::uint8_t b) {
  const int high = std::max({r, g, b});
  const int low = std::min({r, g, b});
  return saturation_table().values[high * 256 + (high - low)];
}

Kernel portable_kernel() {
  return Kernel{"portable", colour_row, laplacian_row, sum_rectangle};
}

Kernel best_kernel() {
  const Kernel* avx2 = avx2_kernel();
  return avx2 != nullptr ? *avx2 : portable_kernel();
}

}  // namespace ea::metrics::pixel_rows
