// SPDX-License-Identifier: Apache-2.0
#include "dark_decile.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

namespace dark_decile {

namespace {

// Per row, how many of the pixels up to each one are in the darkest decile: a box's count is
// then two lookups a row. Built once per frame and kept in the frame's cache.
struct DarkCounts {
  std::uint32_t width = 0;
  std::vector<std::uint32_t> running;  // width × height

  explicit DarkCounts(const ea::sdk::ImageView& image) : width(image.width) {
    std::vector<std::uint8_t> luma(static_cast<std::size_t>(image.width) * image.height);
    std::array<std::uint64_t, 256> histogram{};
    for (std::uint32_t y = 0; y < image.height; ++y) {
      const std::uint8_t* pixel = image.data + y * image.stride;
      for (std::uint32_t x = 0; x < image.width; ++x, pixel += 3) {
        const auto value = static_cast<std::uint8_t>(
            std::lround(0.299 * pixel[0] + 0.587 * pixel[1] + 0.114 * pixel[2]));
        luma[static_cast<std::size_t>(y) * image.width + x] = value;
        ++histogram[value];
      }
    }
    // The 10th percentile: the smallest value with at least a tenth of the pixels at or below it.
    std::uint64_t seen = 0;
    int threshold = 0;
    while (threshold < 255 && (seen += histogram[threshold]) * 10 < luma.size())
      ++threshold;
    running.resize(luma.size());
    for (std::uint32_t y = 0; y < image.height; ++y) {
      std::uint32_t count = 0;
      for (std::uint32_t x = 0; x < image.width; ++x) {
        const std::size_t at = static_cast<std::size_t>(y) * image.width + x;
        count += luma[at] <= threshold;
        running[at] = count;
      }
    }
  }
};

}  // namespace

void DarkDecile::compute(const ea::sdk::FrameView& frame, ea::sdk::MetricSink& sink) const {
  const ea::sdk::ImageView& image = *frame.image;  // needs_pixels: the host checked
  const std::shared_ptr<const void> cached = frame.cache->get("dark_decile.counts", [&] {
    return std::static_pointer_cast<const void>(std::make_shared<const DarkCounts>(image));
  });
  const auto& counts = *static_cast<const DarkCounts*>(cached.get());
  for (const ea::sdk::MetricObject& object : frame.objects) {
    // The pixels whose centres lie in the box.
    const auto first = [](double edge, std::uint32_t size) {
      return static_cast<std::uint32_t>(std::clamp(std::ceil(edge - 0.5), 0.0, double(size)));
    };
    const std::uint32_t x0 = first(object.box.x, image.width);
    const std::uint32_t x1 = first(object.box.x + object.box.w, image.width);
    const std::uint32_t y0 = first(object.box.y, image.height);
    const std::uint32_t y1 = first(object.box.y + object.box.h, image.height);
    if (x0 >= x1 || y0 >= y1)
      continue;
    std::uint64_t dark = 0;
    for (std::uint32_t y = y0; y < y1; ++y) {
      const std::uint32_t* row = counts.running.data() + static_cast<std::size_t>(y) * counts.width;
      dark += row[x1 - 1] - (x0 > 0 ? row[x0 - 1] : 0);
    }
    sink.object(object.id, static_cast<double>(dark) / (double(x1 - x0) * double(y1 - y0)));
  }
}

}  // namespace dark_decile
