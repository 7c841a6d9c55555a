// SPDX-License-Identifier: Apache-2.0
#include "pixel_planes.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

namespace ea::metrics {

PixelPlanes::PixelPlanes(const sdk::ImageView& image) : width_(image.width), height_(image.height) {
  const std::size_t cells = static_cast<std::size_t>(width_ + 1) * (height_ + 1);
  luma_.assign(cells, 0);
  luma2_.assign(cells, 0);
  saturation_.assign(cells, 0);
  laplacian_.assign(cells, 0);
  laplacian2_.assign(cells, 0);
  std::vector<std::int32_t> luma(static_cast<std::size_t>(width_) * height_);
  std::vector<float> saturation(luma.size());
  for (std::uint32_t y = 0; y < height_; ++y) {
    const std::uint8_t* row = image.data + y * image.stride;
    for (std::uint32_t x = 0; x < width_; ++x) {
      const int r = row[3 * x], g = row[3 * x + 1], b = row[3 * x + 2];
      luma[static_cast<std::size_t>(y) * width_ + x] = 299 * r + 587 * g + 114 * b;
      const int high = std::max({r, g, b}), low = std::min({r, g, b});
      saturation[static_cast<std::size_t>(y) * width_ + x] =
          high == 0 ? 0.0f : static_cast<float>(high - low) / static_cast<float>(high);
    }
  }
  for (std::uint32_t y = 0; y < height_; ++y) {
    std::int64_t luma_row = 0, luma2_row = 0, laplacian_row = 0, laplacian2_row = 0;
    double saturation_row = 0;
    const std::int32_t* centre = luma.data() + static_cast<std::size_t>(y) * width_;
    const bool inner_row = y > 0 && y + 1 < height_;
    const std::int32_t* above_row = inner_row ? centre - width_ : centre;
    const std::int32_t* below_row = inner_row ? centre + width_ : centre;
    for (std::uint32_t x = 0; x < width_; ++x) {
      const std::int64_t value = centre[x];
      std::int64_t laplacian = 0;
      if (inner_row && x > 0 && x + 1 < width_)
        laplacian = centre[x - 1] + centre[x + 1] + above_row[x] + below_row[x] - 4 * value;
      luma_row += value;
      luma2_row += value * value;
      laplacian_row += laplacian;
      laplacian2_row += laplacian * laplacian;
      saturation_row += saturation[static_cast<std::size_t>(y) * width_ + x];
      const std::size_t cell = at(x + 1, y + 1), above = at(x + 1, y);
      luma_[cell] = luma_[above] + luma_row;
      luma2_[cell] = luma2_[above] + luma2_row;
      laplacian_[cell] = laplacian_[above] + laplacian_row;
      laplacian2_[cell] = laplacian2_[above] + laplacian2_row;
      saturation_[cell] = saturation_[above] + saturation_row;
    }
  }
}

RegionSums PixelPlanes::rectangle(std::uint32_t x0, std::uint32_t y0, std::uint32_t x1,
                                  std::uint32_t y1) const {
  const auto sum = [&](const auto& table) {
    return static_cast<double>(table[at(x1, y1)] - table[at(x0, y1)] - table[at(x1, y0)] +
                               table[at(x0, y0)]);
  };
  return RegionSums{static_cast<double>(x1 - x0) * (y1 - y0),
                    sum(luma_),
                    sum(luma2_),
                    sum(saturation_),
                    sum(laplacian_),
                    sum(laplacian2_)};
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
  return rectangle(0, 0, width_, height_);
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
