// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>

// The loops that build a frame's PixelPlanes and sum them over rectangles, in a portable form and,
// where the processor has it, an AVX2 one: these loops were half of all the CPU time of
// `ea metrics run`. Both forms give the same integers (unit tests compare them on every colour and
// with sums taken pixel by pixel).
namespace ea::metrics::pixel_rows {

/// Bytes a plane is readable past its last pixel: a step of the AVX2 loops reads 32 pixels.
inline constexpr std::uint32_t kPadding = 64;

/// A frame's per-pixel statistics, row-major, `width` pixels a row.
struct Planes {
  const std::uint8_t* luma;        ///< luma 0..255
  const std::uint8_t* saturation;  ///< HSV saturation 0..255
  const std::int16_t* laplacian;   ///< 4-neighbour Laplacian of the luma, 0 on the outermost pixels
  std::uint32_t width;             ///< pixels in a row
};

/// Exact sums of the statistics of some pixels.
struct IntegerSums {
  std::int64_t luma = 0;        ///< Σ luma
  std::int64_t luma2 = 0;       ///< Σ luma²
  std::int64_t saturation = 0;  ///< Σ saturation
  std::int64_t laplacian = 0;   ///< Σ Laplacian
  std::int64_t laplacian2 = 0;  ///< Σ Laplacian²

  /// Adds `other`'s sums.
  IntegerSums& operator+=(const IntegerSums& other) {
    luma += other.luma;
    luma2 += other.luma2;
    saturation += other.saturation;
    laplacian += other.laplacian;
    laplacian2 += other.laplacian2;
    return *this;
  }
  /// Takes away `other`'s sums.
  IntegerSums& operator-=(const IntegerSums& other) {
    luma -= other.luma;
    luma2 -= other.luma2;
    saturation -= other.saturation;
    laplacian -= other.laplacian;
    laplacian2 -= other.laplacian2;
    return *this;
  }
};

/// Luma and saturation of `width` RGB pixels, their sums (Σ luma, Σ luma², Σ saturation) added
/// to `totals`: the frame's own statistics come with its planes, not from another pass.
using ColourRow = void (*)(const std::uint8_t* rgb, std::uint32_t width, std::uint8_t* luma,
                           std::uint8_t* saturation, IntegerSums& totals);
/// The Laplacian of an inner row from the luma of it and its neighbours (0 at both ends), its
/// sums (Σ Laplacian, Σ Laplacian²) added to `totals`.
using LaplacianRow = void (*)(const std::uint8_t* above, const std::uint8_t* centre,
                              const std::uint8_t* below, std::uint32_t width,
                              std::int16_t* laplacian, IntegerSums& totals);
/// The sums over columns [x0, x1) and rows [y0, y1), which must be inside the planes.
using SumRectangle = IntegerSums (*)(const Planes& planes, std::uint32_t x0, std::uint32_t y0,
                                     std::uint32_t x1, std::uint32_t y1);

/// The loops of one instruction set.
struct Kernel {
  const char* name;            ///< "portable" or "avx2"
  ColourRow colour_row;        ///< luma and saturation of a row
  LaplacianRow laplacian_row;  ///< the Laplacian of a row
  SumRectangle sum_rectangle;  ///< sums over a rectangle
};

/// Portable C++.
Kernel portable_kernel();
/// AVX2, or none on a processor without it (never call its loops then).
const Kernel* avx2_kernel();
/// The fastest kernel this processor runs.
Kernel best_kernel();

/// Luma, the gray value OpenCV and most tools compute: (299 R + 587 G + 114 B + 500) ÷ 1000,
/// rounded down.
std::uint8_t luma_of(std::uint8_t r, std::uint8_t g, std::uint8_t b);
/// HSV saturation, rounded: (255 (max − min) + max ÷ 2) ÷ max, 0 for black.
std::uint8_t saturation_of(std::uint8_t r, std::uint8_t g, std::uint8_t b);

}  // namespace ea::metrics::pixel_rows
