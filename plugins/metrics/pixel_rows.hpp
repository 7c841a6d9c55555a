// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>

// The two passes that build a row of PixelPlanes, in a portable form and, where the processor has
// it, an AVX2 one: building the planes was half of all the CPU time of `ea metrics run`. Both
// forms give the same integers (a unit test compares them on every colour).
namespace ea::metrics::pixel_rows {

/// Pixels per block: the width of an AVX2 register of 32-bit sums.
inline constexpr std::uint32_t kLanes = 8;

/// The running sums of 8 neighbouring pixels of a row, each statistic's 8 together so that they
/// are computed and stored as one register (a box still reads them from one or two cache lines).
struct Block {
  std::int32_t luma[kLanes];        ///< Σ luma from the row's first pixel through this one
  std::int32_t luma2[kLanes];       ///< Σ luma²
  std::int32_t saturation[kLanes];  ///< Σ saturation
  std::int32_t laplacian[kLanes];   ///< Σ Laplacian
  std::int32_t laplacian2[kLanes];  ///< Σ Laplacian²
};

/// The inputs of one row's sums: luma of the rows above, at and below it (above and below null on
/// the image's first and last rows), and its saturation. Each holds `width` values followed by
/// zeros up to a whole block, and is readable one value before its start (the Laplacian's left
/// neighbour) and one block past its end.
struct RowInputs {
  const std::int32_t* above;       ///< luma of the row above, or null
  const std::int32_t* centre;      ///< luma of this row
  const std::int32_t* below;       ///< luma of the row below, or null
  const std::int32_t* saturation;  ///< saturation of this row
  std::uint32_t width;             ///< pixels in the row
};

/// Luma and saturation (0..255 each) of `width` RGB pixels.
using ColourRow = void (*)(const std::uint8_t* rgb, std::uint32_t width, std::int32_t* luma,
                           std::int32_t* saturation);
/// The running sums of a row into its ⌈width ÷ 8⌉ blocks.
using SumRow = void (*)(const RowInputs& row, Block* blocks);

/// The row passes of one instruction set.
struct Kernel {
  const char* name;      ///< "portable" or "avx2"
  ColourRow colour_row;  ///< the colour pass
  SumRow sum_row;        ///< the running-sums pass
};

/// Portable C++.
Kernel portable_kernel();
/// AVX2, or none on a processor without it (never call its passes then).
const Kernel* avx2_kernel();
/// The fastest kernel this processor runs.
Kernel best_kernel();

/// Luma, the gray value OpenCV and most tools compute: (299 R + 587 G + 114 B + 500) ÷ 1000,
/// rounded down.
std::uint8_t luma_of(std::uint8_t r, std::uint8_t g, std::uint8_t b);
/// HSV saturation, rounded: (255 (max − min) + max ÷ 2) ÷ max, 0 for black.
std::int32_t saturation_of(std::uint8_t r, std::uint8_t g, std::uint8_t b);

}  // namespace ea::metrics::pixel_rows
