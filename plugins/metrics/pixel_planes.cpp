// SPDX-License-Identifier: Apache-2.0
#include "pixel_planes.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>

namespace ea::metrics {

namespace {

// Saturation 0..255 by (max, max − min): a table, as a division per pixel cost more than all the
// other statistics together.
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

}  // namespace

PixelPlanes::PixelPlanes(const sdk::ImageView& image)
    : width_(image.width),
      height_(image.height),
      sums_(std::make_unique_for_overwrite<RowSums[]>(static_cast<std::size_t>(image.width) *
                                                      image.height)) {
  // Luma and saturation first, as bytes (the Laplacian needs the rows above and below), then one
  // pass of running sums per row.
  const std::size_t pixels = static_cast<std::size_t>(width_) * height_;
  std::vector<std::uint8_t> luma(pixels), saturation(pixels);
  const std::uint8_t* table = saturation_table().values.data();
  for (std::uint32_t y = 0; y < height_; ++y) {
    const std::uint8_t* pixel = image.data + y * image.stride;
    std::uint8_t* luma_row = luma.data() + static_cast<std::size_t>(y) * width_;
    std::uint8_t* saturation_row = saturation.data() + static_cast<std::size_t>(y) * width_;
    for (std::uint32_t x = 0; x < width_; ++x, pixel += 3) {
      const int r = pixel[0], g = pixel[1], b = pixel[2];
      luma_row[x] = static_cast<std::uint8_t>((299 * r + 587 * g + 114 * b + 500) / 1000);
      const int high = std::max({r, g, b}), low = std::min({r, g, b});
      saturation_row[x] = table[high * 256 + (high - low)];
    }
  }
  for (std::uint32_t y = 0; y < height_; ++y) {
    RowSums* row = sums_.get() + static_cast<std::size_t>(y) * width_;
    const std::uint8_t* centre = luma.data() + static_cast<std::size_t>(y) * width_;
    const std::uint8_t* saturation_row = saturation.data() + static_cast<std::size_t>(y) * width_;
    const bool inner_row = y > 0 && y + 1 < height_;
    const std::uint8_t* above = inner_row ? centre - width_ : centre;
    const std::uint8_t* below = inner_row ? centre + width_ : centre;
    RowSums running{0, 0, 0, 0, 0};
    for (std::uint32_t x = 0; x < width_; ++x) {
      const std::int32_t value = centre[x];
      std::int32_t laplacian = 0;
      if (inner_row && x > 0 && x + 1 < width_)
        laplacian = centre[x - 1] + centre[x + 1] + above[x] + below[x] - 4 * value;
      running.luma += value;
      running.luma2 += value * value;
      running.saturation += saturation_row[x];
      running.laplacian += laplacian;
      running.laplacian2 += laplacian * laplacian;
      row[x] = running;
    }
    whole_.luma += running.luma;
    whole_.luma2 += running.luma2;
    whole_.saturation += running.saturation;
    whole_.laplacian += running.laplacian;
    whole_.laplacian2 += running.laplacian2;
  }
  whole_.pixels = static_cast<double>(width_) * height_;
}

RegionSums PixelPlanes::rectangle(std::uint32_t x0, std::uint32_t y0, std::uint32_t x1,
                                  std::uint32_t y1) const {
  std::int64_t luma = 0, luma2 = 0, saturation = 0, laplacian = 0, laplacian2 = 0;
  for (std::uint32_t y = y0; y < y1; ++y) {
    const RowSums* row = sums_.get() + static_cast<std::size_t>(y) * width_;
    const RowSums& last = row[x1 - 1];
    luma += last.luma;
    luma2 += last.luma2;
    saturation += last.saturation;
    laplacian += last.laplacian;
    laplacian2 += last.laplacian2;
    if (x0 > 0) {
      const RowSums& before = row[x0 - 1];
      luma -= before.luma;
      luma2 -= before.luma2;
      saturation -= before.saturation;
      laplacian -= before.laplacian;
      laplacian2 -= before.laplacian2;
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
