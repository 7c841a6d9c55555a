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

/// A frame's luma, saturation and Laplacian at every pixel (4 bytes a pixel), built once per frame
/// and shared by every pixel metric through the FrameCache, with a summed-area table of their
/// 32 × 8-pixel blocks. A box sums its whole blocks from the table and its edges straight from the
/// planes, 32 pixels an instruction. (Running sums at every pixel, at 20 bytes a pixel, cost more
/// to build than they saved.)
class PixelPlanes {
 public:
  /// Builds the planes of `image` with the loops of `kernel`.
  explicit PixelPlanes(const sdk::ImageView& image,
                       const pixel_rows::Kernel& kernel = pixel_rows::best_kernel());
  PixelPlanes(const PixelPlanes&) = delete;             // the planes point into their storage
  PixelPlanes& operator=(const PixelPlanes&) = delete;  // (idem)

  /// The sums over the pixels whose centres lie in `box` (clipped to the image); none when empty.
  std::optional<RegionSums> box(const sdk::BoundingBox& box) const;
  /// box() of each of `boxes`, summed band by band of rows so that each row is read from memory
  /// once for all the boxes that cross it.
  std::vector<std::optional<RegionSums>> boxes(const std::vector<sdk::BoundingBox>& boxes) const;
  /// The sums over the pixels of `mask`; none when it is empty or not of the image's size.
  std::optional<RegionSums> mask(const sdk::Rle& mask) const;
  /// The sums over the whole image.
  RegionSums whole() const;
  /// Whether both hold the same statistics at every pixel.
  bool operator==(const PixelPlanes& other) const;

  /// The frame's shared planes (built by the first metric that asks); none without pixels.
  static const PixelPlanes* of(const sdk::FrameView& frame);

 private:
  // Pixels [x0, x1) × [y0, y1) of the image.
  struct Rectangle {
    std::uint32_t x0, y0, x1, y1;
  };
  // The pixels whose centres lie in `box`; none when there are none.
  std::optional<Rectangle> pixels_of(const sdk::BoundingBox& box) const;
  // Adds to `sums` the parts of `areas` in rows [band, band_end).
  void add_band(const std::vector<std::optional<Rectangle>>& areas, std::uint32_t band,
                std::uint32_t band_end, std::vector<std::optional<RegionSums>>& sums) const;
  // The pixels of each of `boxes`.
  std::vector<std::optional<Rectangle>> pixels_of(const std::vector<sdk::BoundingBox>& boxes) const;
  // Sums over `area` by `sum`.
  RegionSums sum(pixel_rows::SumRectangle sum, const Rectangle& area) const;
  // Sums over `area`: its whole blocks from their summed-area table, the rest pixel by pixel.
  RegionSums sum_box(const Rectangle& area) const;
  // The summed-area table's rows of blocks [from, to) from the planes' rows, which are complete.
  void sum_block_rows(std::uint32_t from, std::uint32_t to);
  // The sums of blocks [0, bx) × [0, by).
  const pixel_rows::IntegerSums& blocks_before(std::uint32_t bx, std::uint32_t by) const {
    return block_table_[std::size_t{by} * (blocks_x_ + 1) + bx];
  }

  std::uint32_t width_;
  std::uint32_t height_;
  pixel_rows::Kernel kernel_;
  // One allocation for the three planes, each width × height row-major and followed by kPadding
  // zeros: three separate ones were given back to the system and faulted in again every frame.
  std::unique_ptr<std::int16_t[]> storage_;
  pixel_rows::Planes planes_;
  // A summed-area table of the image's whole blocks of kBlockWidth × kBlockHeight pixels: a box
  // sums its whole blocks in four lookups and only its edges pixel by pixel.
  std::uint32_t blocks_x_ = 0, blocks_y_ = 0;         // whole blocks across and down
  std::vector<pixel_rows::IntegerSums> block_table_;  // (blocks_y_ + 1) × (blocks_x_ + 1)
  RegionSums whole_;
};

}  // namespace ea::metrics
