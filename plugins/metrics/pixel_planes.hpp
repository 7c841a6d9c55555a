// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "ea/sdk/geometry.hpp"
#include "ea/sdk/metric.hpp"
#include "pixel_rows.hpp"

namespace ea::metrics {

/// Sums of a region's pixel statistics. Luma is 0.299 R + 0.587 G + 0.114 B rounded to an integer
/// 0..255 (the gray value OpenCV and most tools compute); the Laplacian is the 4-neighbour one of
/// that luma, taken as 0 on the image's outermost pixels; saturation is HSV's (max − min) ÷ max
/// rounded to 0..255 (÷ 255 when averaged), 0 for black.
struct RegionSums {
  double pixels = 0;      ///< how many pixels
  double luma = 0;        ///< Σ luma
  double luma2 = 0;       ///< Σ luma²
  double saturation = 0;  ///< Σ saturation
  double laplacian = 0;   ///< Σ Laplacian
  double laplacian2 = 0;  ///< Σ Laplacian²
};

/// Running sums along each row of a frame's luma, luma², saturation, Laplacian and Laplacian²,
/// built once per frame and shared by every region metric through the FrameCache: a box then
/// costs two lookups per row, and a mask two per run. Row sums fit 32 bits, so the tables take
/// 20 bytes a pixel — half of 2D summed-area tables in 64 bits, which cost more to write than the
/// lookups they save.
class PixelPlanes {
 public:
  /// Builds the tables of `image` with the row passes of `kernel`.
  explicit PixelPlanes(const sdk::ImageView& image,
                       const pixel_rows::Kernel& kernel = pixel_rows::best_kernel());
  /// The sums over the pixels whose centres lie in `box` (clipped to the image); none when empty.
  std::optional<RegionSums> box(const sdk::BoundingBox& box) const;
  /// The sums over the pixels of `mask`; none when it is empty or not of the image's size.
  std::optional<RegionSums> mask(const sdk::Rle& mask) const;
  /// The sums over the whole image.
  RegionSums whole() const;
  /// Whether both hold the same sums at every pixel.
  bool operator==(const PixelPlanes& other) const;

  /// The frame's shared tables (built by the first metric that asks); none without pixels.
  static const PixelPlanes* of(const sdk::FrameView& frame);

 private:
  // Sums over columns [x0, x1) and rows [y0, y1).
  RegionSums rectangle(std::uint32_t x0, std::uint32_t y0, std::uint32_t x1,
                       std::uint32_t y1) const;

  std::uint32_t width_;
  std::uint32_t height_;
  std::uint32_t blocks_per_row_;                 // ⌈width ÷ 8⌉
  std::unique_ptr<pixel_rows::Block[]> blocks_;  // blocks_per_row_ × height, row-major
  RegionSums whole_;
};

}  // namespace ea::metrics
