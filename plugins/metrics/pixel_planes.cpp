// SPDX-License-Identifier: Apache-2.0
#include "pixel_planes.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

namespace ea::metrics {

namespace {

RegionSums& operator+=(RegionSums& total, const RegionSums& part) {
  total.pixels += part.pixels;
  total.luma += part.luma;
  total.luma2 += part.luma2;
  total.saturation += part.saturation;
  total.laplacian += part.laplacian;
  total.laplacian2 += part.laplacian2;
  return total;
}

RegionSums region_sums(const pixel_rows::IntegerSums& sums, double pixels) {
  return RegionSums{pixels,
                    static_cast<double>(sums.luma),
                    static_cast<double>(sums.luma2),
                    static_cast<double>(sums.saturation),
                    static_cast<double>(sums.laplacian),
                    static_cast<double>(sums.laplacian2)};
}

// A block of the summed-area table: one AVX2 step wide, and a divisor of kBandRows tall.
constexpr std::uint32_t kBlockWidth = 32, kBlockHeight = 8;

// Rows a band of boxes() holds: 32 rows of a 1280-pixel frame's planes (160 KB) stay in the
// core's own cache while every box crossing them is summed.
constexpr std::uint32_t kBandRows = 32;

}  // namespace

PixelPlanes::PixelPlanes(const sdk::ImageView& image, const pixel_rows::Kernel& kernel)
    : width_(image.width),
      height_(image.height),
      kernel_(kernel),
      blocks_x_(image.width / kBlockWidth),
      blocks_y_(image.height / kBlockHeight),
      block_table_(std::size_t{blocks_x_ + 1} * (blocks_y_ + 1)) {
  using pixel_rows::kPadding;
  // Laplacian (2 bytes a pixel), then luma and saturation (1 byte each), each padded.
  const std::size_t plane = std::size_t{width_} * height_ + kPadding;
  storage_ = std::make_unique_for_overwrite<std::int16_t[]>(2 * plane);
  std::int16_t* const laplacian = storage_.get();
  auto* const luma = reinterpret_cast<std::uint8_t*>(storage_.get() + plane);
  std::uint8_t* const saturation = luma + plane;
  for (std::size_t end = plane; std::uint8_t * padded : {luma + end, saturation + end})
    std::fill(padded - kPadding, padded, std::uint8_t{0});
  std::fill(laplacian + plane - kPadding, laplacian + plane, std::int16_t{0});
  planes_ = pixel_rows::Planes{luma, saturation, laplacian, width_};

  const auto row = [&](auto* values, std::uint32_t y) { return values + std::size_t{y} * width_; };
  // Each row of blocks is summed as soon as its rows are complete (row y once the row below it
  // is made), while they are in the cache.
  std::uint32_t block_rows = 0;  // rows of blocks summed
  // The outermost rows have no neighbour on one side: their Laplacian is 0.
  if (height_ > 0)
    std::fill_n(row(laplacian, 0), width_, std::int16_t{0});
  pixel_rows::IntegerSums whole;
  for (std::uint32_t y = 0; y < height_; ++y) {
    kernel.colour_row(image.data + std::size_t{y} * image.stride, width_, row(luma, y),
                      row(saturation, y), whole);
    // The Laplacian of the row above, now that the luma below it is known.
    if (y >= 2)
      kernel.laplacian_row(row(luma, y - 2), row(luma, y - 1), row(luma, y), width_,
                           row(laplacian, y - 1), whole);
    if (y % kBlockHeight == 0 && y / kBlockHeight > block_rows && block_rows < blocks_y_) {
      sum_block_rows(block_rows, y / kBlockHeight);
      block_rows = y / kBlockHeight;
    }
  }
  if (height_ >= 2)
    std::fill_n(row(laplacian, height_ - 1), width_, std::int16_t{0});
  sum_block_rows(block_rows, blocks_y_);
  whole_ = region_sums(whole, static_cast<double>(width_) * height_);
}

RegionSums PixelPlanes::sum(pixel_rows::SumRectangle sum, const Rectangle& area) const {
  return region_sums(sum(planes_, area.x0, area.y0, area.x1, area.y1),
                     static_cast<double>(area.x1 - area.x0) * (area.y1 - area.y0));
}

void PixelPlanes::sum_block_rows(std::uint32_t from, std::uint32_t to) {
  for (std::uint32_t by = from; by < to; ++by) {
    pixel_rows::IntegerSums row;  // blocks [0, bx) of this row of blocks
    for (std::uint32_t bx = 0; bx < blocks_x_; ++bx) {
      row += kernel_.sum_rectangle(planes_, bx * kBlockWidth, by * kBlockHeight,
                                   (bx + 1) * kBlockWidth, (by + 1) * kBlockHeight);
      pixel_rows::IntegerSums& entry = block_table_[std::size_t{by + 1} * (blocks_x_ + 1) + bx + 1];
      entry = blocks_before(bx + 1, by);
      entry += row;
    }
  }
}

RegionSums PixelPlanes::sum_box(const Rectangle& area) const {
  const std::uint32_t bx0 = (area.x0 + kBlockWidth - 1) / kBlockWidth;
  const std::uint32_t bx1 = std::min(area.x1 / kBlockWidth, blocks_x_);
  const std::uint32_t by0 = (area.y0 + kBlockHeight - 1) / kBlockHeight;
  const std::uint32_t by1 = std::min(area.y1 / kBlockHeight, blocks_y_);
  if (bx0 >= bx1 || by0 >= by1)
    return sum(kernel_.sum_rectangle, area);
  pixel_rows::IntegerSums sums = blocks_before(bx1, by1);
  sums -= blocks_before(bx0, by1);
  sums -= blocks_before(bx1, by0);
  sums += blocks_before(bx0, by0);
  // The edges around the whole blocks: left and right the box's height, above and below them.
  const Rectangle blocks{bx0 * kBlockWidth, by0 * kBlockHeight, bx1 * kBlockWidth,
                         by1 * kBlockHeight};
  for (const Rectangle& edge : {Rectangle{area.x0, area.y0, blocks.x0, area.y1},
                                Rectangle{blocks.x1, area.y0, area.x1, area.y1},
                                Rectangle{blocks.x0, area.y0, blocks.x1, blocks.y0},
                                Rectangle{blocks.x0, blocks.y1, blocks.x1, area.y1}}) {
    if (edge.x0 < edge.x1 && edge.y0 < edge.y1)
      sums += kernel_.sum_rectangle(planes_, edge.x0, edge.y0, edge.x1, edge.y1);
  }
  return region_sums(sums, static_cast<double>(area.x1 - area.x0) * (area.y1 - area.y0));
}

std::optional<PixelPlanes::Rectangle> PixelPlanes::pixels_of(const sdk::BoundingBox& box) const {
  // Pixel i covers [i, i + 1): its centre i + 0.5 lies in [x, x + w] when i ∈ [x − .5, x + w − .5].
  const auto first = [](double edge, std::uint32_t size) {
    return static_cast<std::uint32_t>(std::clamp(std::ceil(edge - 0.5), 0.0, double(size)));
  };
  const auto end = [](double edge, std::uint32_t size) {
    return static_cast<std::uint32_t>(std::clamp(std::floor(edge - 0.5) + 1, 0.0, double(size)));
  };
  const Rectangle area{first(box.x, width_), first(box.y, height_), end(box.x + box.w, width_),
                       end(box.y + box.h, height_)};
  if (area.x0 >= area.x1 || area.y0 >= area.y1)
    return std::nullopt;
  return area;
}

std::optional<RegionSums> PixelPlanes::box(const sdk::BoundingBox& box) const {
  const std::optional<Rectangle> area = pixels_of(box);
  return area ? std::optional(sum_box(*area)) : std::nullopt;
}

std::vector<std::optional<PixelPlanes::Rectangle>> PixelPlanes::pixels_of(
    const std::vector<sdk::BoundingBox>& boxes) const {
  std::vector<std::optional<Rectangle>> areas;
  areas.reserve(boxes.size());
  for (const sdk::BoundingBox& box : boxes)
    areas.push_back(pixels_of(box));
  return areas;
}

void PixelPlanes::add_band(const std::vector<std::optional<Rectangle>>& areas, std::uint32_t band,
                           std::uint32_t band_end,
                           std::vector<std::optional<RegionSums>>& sums) const {
  for (std::size_t i = 0; i < areas.size(); ++i) {
    if (!areas[i] || areas[i]->y1 <= band || areas[i]->y0 >= band_end)
      continue;
    const Rectangle part{areas[i]->x0, std::max(areas[i]->y0, band), areas[i]->x1,
                         std::min(areas[i]->y1, band_end)};
    if (!sums[i])
      sums[i].emplace();
    *sums[i] += sum_box(part);
  }
}

std::vector<std::optional<RegionSums>> PixelPlanes::boxes(
    const std::vector<sdk::BoundingBox>& boxes) const {
  const std::vector<std::optional<Rectangle>> areas = pixels_of(boxes);
  std::vector<std::optional<RegionSums>> sums(boxes.size());
  for (std::uint32_t band = 0; band < height_; band += kBandRows)
    add_band(areas, band, std::min(height_, band + kBandRows), sums);
  return sums;
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
      // One pixel a row: the portable loop, as a vector step would keep one of its 32 lanes.
      total += sum(pixel_rows::portable_kernel().sum_rectangle,
                   Rectangle{column, static_cast<std::uint32_t>(at_pixel % height_), column + 1,
                             static_cast<std::uint32_t>((column_end - 1) % height_) + 1});
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
  const std::size_t pixels = std::size_t{width_} * height_;
  const auto same = [&](const auto* mine, const auto* theirs) {
    return std::equal(mine, mine + pixels, theirs);
  };
  return width_ == other.width_ && height_ == other.height_ &&
         same(planes_.luma, other.planes_.luma) &&
         same(planes_.saturation, other.planes_.saturation) &&
         same(planes_.laplacian, other.planes_.laplacian);
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
