// SPDX-License-Identifier: Apache-2.0
#include "pixel_planes.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <vector>

namespace ea::metrics {

using pixel_rows::Block;
using pixel_rows::kLanes;

PixelPlanes::PixelPlanes(const sdk::ImageView& image, const pixel_rows::Kernel& kernel)
    : width_(image.width),
      height_(image.height),
      blocks_per_row_((image.width + kLanes - 1) / kLanes),
      blocks_(
          std::make_unique_for_overwrite<Block[]>(std::size_t{blocks_per_row_} * image.height)) {
  // One pass over the rows. The Laplacian needs the luma of the rows above and below, so luma and
  // saturation are kept for three rows only (whole planes cost more to write and read back than
  // the sums themselves). Each row has a zero before it and zeros to a block past its end, which
  // the passes never write: the row passes then need no edge cases but the Laplacian's.
  const std::size_t span = kLanes + std::size_t{blocks_per_row_} * kLanes + kLanes;
  std::vector<std::int32_t> rows(6 * span, 0);
  const auto luma = [&](std::uint32_t y) { return rows.data() + (y % 3) * span + kLanes; };
  const auto saturation = [&](std::uint32_t y) {
    return rows.data() + (3 + y % 3) * span + kLanes;
  };
  const auto colour = [&](std::uint32_t y) {
    kernel.colour_row(image.data + std::size_t{y} * image.stride, width_, luma(y), saturation(y));
  };
  if (height_ > 0)
    colour(0);
  for (std::uint32_t y = 0; y < height_ && width_ > 0; ++y) {
    if (y + 1 < height_)
      colour(y + 1);
    const pixel_rows::RowInputs inputs{y > 0 ? luma(y - 1) : nullptr, luma(y),
                                       y + 1 < height_ ? luma(y + 1) : nullptr, saturation(y),
                                       width_};
    Block* row = blocks_.get() + std::size_t{y} * blocks_per_row_;
    kernel.sum_row(inputs, row);
    const Block& last = row[(width_ - 1) / kLanes];
    const std::uint32_t lane = (width_ - 1) % kLanes;
    whole_.luma += last.luma[lane];
    whole_.luma2 += last.luma2[lane];
    whole_.saturation += last.saturation[lane];
    whole_.laplacian += last.laplacian[lane];
    whole_.laplacian2 += last.laplacian2[lane];
  }
  whole_.pixels = static_cast<double>(width_) * height_;
}

RegionSums PixelPlanes::rectangle(std::uint32_t x0, std::uint32_t y0, std::uint32_t x1,
                                  std::uint32_t y1) const {
  std::int64_t luma = 0, luma2 = 0, saturation = 0, laplacian = 0, laplacian2 = 0;
  const std::uint32_t last_block = (x1 - 1) / kLanes, last_lane = (x1 - 1) % kLanes;
  const std::uint32_t before_block = (x0 - 1) / kLanes, before_lane = (x0 - 1) % kLanes;
  for (std::uint32_t y = y0; y < y1; ++y) {
    const Block* row = blocks_.get() + std::size_t{y} * blocks_per_row_;
    const Block& last = row[last_block];
    luma += last.luma[last_lane];
    luma2 += last.luma2[last_lane];
    saturation += last.saturation[last_lane];
    laplacian += last.laplacian[last_lane];
    laplacian2 += last.laplacian2[last_lane];
    if (x0 > 0) {
      const Block& before = row[before_block];
      luma -= before.luma[before_lane];
      luma2 -= before.luma2[before_lane];
      saturation -= before.saturation[before_lane];
      laplacian -= before.laplacian[before_lane];
      laplacian2 -= before.laplacian2[before_lane];
    }
  }
  return RegionSums{static_cast<double>(x1 - x0) * (y1 - y0),
                    static_cast<double>(luma),
                    static_cast<double>(luma2),
                    static_cast<double>(saturation),
                    static_cast<double>(laplacian),
                    static_cast<double>(laplacian2)};
}

std::optional<RegionSums> PixelPlanes::box(const sdk::BoundingBox& box) const {
  // Pixel i covers [i, i + 1): its centre i + 0.5 lies in [x, x + w] when i ∈ [x − .5, x + w − .5].
  const auto first = [](double edge, std::uint32_t size) {
    return static_cast<std::uint32_t>(std::clamp(std::ceil(edge - 0.5), 0.0, double(size)));
  };
  const auto end = [](double edge, std::uint32_t size) {
    return static_cast<std::uint32_t>(std::clamp(std::floor(edge - 0.5) + 1, 0.0, double(size)));
  };
  const std::uint32_t x0 = first(box.x, width_), x1 = end(box.x + box.w, width_);
  const std::uint32_t y0 = first(box.y, height_), y1 = end(box.y + box.h, height_);
  if (x0 >= x1 || y0 >= y1)
    return std::nullopt;
  return rectangle(x0, y0, x1, y1);
}

std::optional<RegionSums> PixelPlanes::mask(const sdk::Rle& mask) const {
  if (mask.width != width_ || mask.height != height_)
    return std::nullopt;
  RegionSums total;
  std::uint64_t position = 0;
  for (std::size_t i = 0; i < mask.counts.size(); ++i) {
    const std::uint64_t end = position + mask.counts[i];
    // A run of set pixels is a vertical strip of one column, perhaps flowing into the next.
    for (std::uint64_t at_pixel = position; i % 2 == 1 && at_pixel < end;) {
      const auto column = static_cast<std::uint32_t>(at_pixel / height_);
      const std::uint64_t column_end = std::min<std::uint64_t>(end, (column + 1ull) * height_);
      const RegionSums strip =
          rectangle(column, static_cast<std::uint32_t>(at_pixel % height_), column + 1,
                    static_cast<std::uint32_t>((column_end - 1) % height_) + 1);
      total.pixels += strip.pixels;
      total.luma += strip.luma;
      total.luma2 += strip.luma2;
      total.saturation += strip.saturation;
      total.laplacian += strip.laplacian;
      total.laplacian2 += strip.laplacian2;
      at_pixel = column_end;
    }
    position = end;
  }
  if (total.pixels == 0)
    return std::nullopt;
  return total;
}

RegionSums PixelPlanes::whole() const {
  return whole_;
}

bool PixelPlanes::operator==(const PixelPlanes& other) const {
  if (width_ != other.width_ || height_ != other.height_)
    return false;
  // Lanes past a row's end hold whatever the kernel left there: only the pixels are compared.
  for (std::uint32_t y = 0; y < height_; ++y) {
    for (std::uint32_t x = 0; x < width_; ++x) {
      const auto at = [&](const PixelPlanes& planes) {
        const Block& block = planes.blocks_[std::size_t{y} * blocks_per_row_ + x / kLanes];
        const std::uint32_t lane = x % kLanes;
        return std::array{block.luma[lane], block.luma2[lane], block.saturation[lane],
                          block.laplacian[lane], block.laplacian2[lane]};
      };
      if (at(*this) != at(other))
        return false;
    }
  }
  return true;
}

const PixelPlanes* PixelPlanes::of(const sdk::FrameView& frame) {
  if (!frame.image)
    return nullptr;
  const std::shared_ptr<const void> planes = frame.cache->get("metrics.pixel-planes", [&] {
    return std::static_pointer_cast<const void>(std::make_shared<const PixelPlanes>(*frame.image));
  });
  // The cache keeps it alive for the frame, longer than any metric's use of it.
  return static_cast<const PixelPlanes*>(planes.get());
}

}  // namespace ea::metrics
