// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "ea/sdk/geometry.hpp"
#include "ea/sdk/metric.hpp"

namespace ea::metrics {

/// Sums of a region's pixel statistics. Luma is 0.299 R + 0.587 G + 0.114 B scaled by 1000 (so
/// it is an exact integer, 0..255,000); the Laplacian is the 4-neighbour one of that luma, taken as
/// 0 on the image's outermost pixels; saturation is HSV's (max − min) ÷ max, 0 for black.
struct RegionSums {
  double pixels = 0;      ///< how many pixels
  double luma = 0;        ///< Σ luma
  double luma2 = 0;       ///< Σ luma²
  double saturation = 0;  ///< Σ saturation
  double laplacian = 0;   ///< Σ Laplacian
  double laplacian2 = 0;  ///< Σ Laplacian²
};

/// Summed-area tables of a frame's luma, luma², saturation, Laplacian and Laplacian², built once
/// per frame and shared by every region metric through the FrameCache: any box then costs four
/// lookups per statistic, and a mask one per run.
class PixelPlanes {
 public:
  /// Builds the tables of `image`.
  explicit PixelPlanes(const sdk::ImageView& image);
  /// The sums over the pixels whose centres lie in `box` (clipped to the image); none when empty.
  std::optional<RegionSums> box(const sdk::BoundingBox& box) const;
  /// The sums over the pixels of `mask`; none when it is empty or not of the image's size.
  std::optional<RegionSums> mask(const sdk::Rle& mask) const;
  /// The sums over the whole image.
  RegionSums whole() const;

  /// The frame's shared tables (built by the first metric that asks); none without pixels.
  static const PixelPlanes* of(const sdk::FrameView& frame);

 private:
  // Sums over columns [x0, x1) and rows [y0, y1).
  RegionSums rectangle(std::uint32_t x0, std::uint32_t y0, std::uint32_t x1,
                       std::uint32_t y1) const;
  std::size_t at(std::uint32_t x, std::uint32_t y) const {
    return static_cast<std::size_t>(y) * (width_ + 1) + x;
  }

  std::uint32_t width_;
  std::uint32_t height_;
  std::vector<std::int64_t> luma_;  // summed-area tables, (width + 1) × (height + 1)
  std::vector<std::int64_t> luma2_;
  std::vector<double> saturation_;
  std::vector<std::int64_t> laplacian_;
  std::vector<std::int64_t> laplacian2_;
};

}  // namespace ea::metrics
