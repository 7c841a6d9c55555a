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

std::uint8_t luma_of(std::uint8_t r, std::uint8_t g, std::uint8_t b) {
  // ((…) + .5) × .001 in float is the integer division for all 2^24 colours (the float error stays
  // below 3e-5 where the nearest integer boundary is .0005 away; a unit test checks every colour),
  // and a multiplication where the division was a third of building the planes.
  const int weighted = 299 * r + 587 * g + 114 * b + 500;
  return static_cast<std::uint8_t>((static_cast<float>(weighted) + 0.5f) * 0.001f);
}

PixelPlanes::PixelPlanes(const sdk::ImageView& image)
    : width_(image.width),
      height_(image.height),
      sums_(std::make_unique_for_overwrite<RowSums[]>(static_cast<std::size_t>(image.width) *
                                                      image.height)) {
  // One pass over the rows. The Laplacian needs the luma of the rows above and below, so luma is
  // kept for three rows only (whole luma and saturation planes cost more to write and read back
  // than the sums themselves), and the image's outermost pixels are handled outside the inner
  // loop, which then has no branch.
  const std::uint8_t* table = saturation_table().values.data();
  const auto fill_luma = [&](std::uint32_t y, std::uint8_t* luma) {
    const std::uint8_t* pixel = image.data + y * image.stride;
    for (std::uint32_t x = 0; x < width_; ++x, pixel += 3)
      luma[x] = luma_of(pixel[0], pixel[1], pixel[2]);
  };
  std::vector<std::uint8_t> luma_rows(std::size_t{3} * width_);
  std::uint8_t* above = luma_rows.data();
  std::uint8_t* centre = above + width_;
  std::uint8_t* below = centre + width_;
  if (height_ > 0)
    fill_luma(0, centre);
  for (std::uint32_t y = 0; y < height_; ++y) {
    if (y + 1 < height_)
      fill_luma(y + 1, below);
    const std::uint8_t* pixel = image.data + y * image.stride;
    RowSums* row = sums_.get() + static_cast<std::size_t>(y) * width_;
    RowSums running{0, 0, 0, 0, 0};
    const auto add = [&](std::uint32_t x, std::int32_t laplacian) {
      const std::int32_t value = centre[x];
      const std::uint8_t* rgb = pixel + 3 * static_cast<std::size_t>(x);
      const int high = std::max({rgb[0], rgb[1], rgb[2]});
      const int low = std::min({rgb[0], rgb[1], rgb[2]});
      running.luma += value;
      running.luma2 += value * value;
      running.saturation += table[high * 256 + (high - low)];
      running.laplacian += laplacian;
      running.laplacian2 += laplacian * laplacian;
      row[x] = running;
    };
    if (y > 0 && y + 1 < height_ && width_ > 2) {
      add(0, 0);
      for (std::uint32_t x = 1; x + 1 < width_; ++x)
        add(x, centre[x - 1] + centre[x + 1] + above[x] + below[x] - 4 * centre[x]);
      add(width_ - 1, 0);
    } else {
      for (std::uint32_t x = 0; x < width_; ++x)
        add(x, 0);
    }
    whole_.luma += running.luma;
    whole_.luma2 += running.luma2;
    whole_.saturation += running.saturation;
    whole_.laplacian += running.laplacian;
    whole_.laplacian2 += running.laplacian2;
    std::swap(above, centre);  // the centre becomes the row above, the row below the centre
    std::swap(centre, below);
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
