// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "pixel_planes.hpp"
#include "pixel_rows.hpp"

namespace ea::metrics {

namespace {

// Every kernel this processor runs.
std::vector<pixel_rows::Kernel> kernels() {
  std::vector<pixel_rows::Kernel> all{pixel_rows::portable_kernel()};
  if (const pixel_rows::Kernel* avx2 = pixel_rows::avx2_kernel())
    all.push_back(*avx2);
  return all;
}

struct Image {
  std::uint32_t width, height;
  std::vector<std::uint8_t> rgb;
  sdk::ImageView view() const { return sdk::ImageView{width, height, 3, width * 3, rgb.data()}; }
};

Image random_image(std::uint32_t width, std::uint32_t height, std::mt19937& random) {
  Image image{width, height, std::vector<std::uint8_t>(std::size_t{width} * height * 3)};
  for (std::uint8_t& value : image.rgb)
    value = static_cast<std::uint8_t>(random());
  return image;
}

// The statistics of one pixel straight from their definitions (docs/metrics.md).
struct PixelValues {
  std::int64_t luma, saturation, laplacian;
};

std::vector<PixelValues> reference_values(const Image& image) {
  const std::uint32_t w = image.width, h = image.height;
  std::vector<std::int64_t> luma(std::size_t{w} * h);
  std::vector<PixelValues> values(luma.size());
  for (std::size_t i = 0; i < luma.size(); ++i) {
    const int r = image.rgb[3 * i], g = image.rgb[3 * i + 1], b = image.rgb[3 * i + 2];
    luma[i] = (299 * r + 587 * g + 114 * b + 500) / 1000;
    const int high = std::max({r, g, b}), low = std::min({r, g, b});
    values[i].luma = luma[i];
    values[i].saturation = high == 0 ? 0 : (255 * (high - low) + high / 2) / high;
  }
  for (std::uint32_t y = 1; y + 1 < h; ++y) {
    for (std::uint32_t x = 1; x + 1 < w; ++x) {
      const std::size_t i = std::size_t{y} * w + x;
      values[i].laplacian = luma[i - 1] + luma[i + 1] + luma[i - w] + luma[i + w] - 4 * luma[i];
    }
  }
  return values;
}

}  // namespace

// Boxes of the larger images cover whole 32 × 8 blocks (summed from the blocks' summed-area
// table) and edges around them (summed pixel by pixel).
TEST_CASE("every kernel's box sums equal the pixel statistics summed one by one") {
  std::mt19937 random(11);
  const std::vector<std::pair<std::uint32_t, std::uint32_t>> sizes{
      {1, 1},   {2, 3},  {7, 5},   {8, 2},   {11, 4},   {13, 9},
      {37, 29}, {64, 3}, {100, 7}, {257, 5}, {130, 77}, {200, 41}};
  for (const auto& [width, height] : sizes) {
    const Image image = random_image(width, height, random);
    const std::vector<PixelValues> values = reference_values(image);
    for (const pixel_rows::Kernel& kernel : kernels()) {
      const std::string kernel_name = kernel.name;
      CAPTURE(kernel_name);
      CAPTURE(width);
      CAPTURE(height);
      const PixelPlanes planes(image.view(), kernel);
      for (int trial = 0; trial < 40; ++trial) {
        const std::uint32_t x0 = random() % width, y0 = random() % height;
        const std::uint32_t x1 = x0 + 1 + random() % (width - x0);
        const std::uint32_t y1 = y0 + 1 + random() % (height - y0);
        RegionSums expected;
        for (std::uint32_t y = y0; y < y1; ++y) {
          for (std::uint32_t x = x0; x < x1; ++x) {
            const PixelValues& pixel = values[std::size_t{y} * width + x];
            expected.pixels += 1;
            expected.luma += static_cast<double>(pixel.luma);
            expected.luma2 += static_cast<double>(pixel.luma * pixel.luma);
            expected.saturation += static_cast<double>(pixel.saturation);
            expected.laplacian += static_cast<double>(pixel.laplacian);
            expected.laplacian2 += static_cast<double>(pixel.laplacian * pixel.laplacian);
          }
        }
        // Pixel centres x + .5 inside [x0, x1] are exactly the columns x0 .. x1 − 1.
        const std::optional<RegionSums> sums =
            planes.box(sdk::BoundingBox{double(x0), double(y0), double(x1 - x0), double(y1 - y0)});
        REQUIRE(sums);
        CHECK(sums->pixels == expected.pixels);
        CHECK(sums->luma == expected.luma);
        CHECK(sums->luma2 == expected.luma2);
        CHECK(sums->saturation == expected.saturation);
        CHECK(sums->laplacian == expected.laplacian);
        CHECK(sums->laplacian2 == expected.laplacian2);
      }
      const RegionSums whole = planes.whole();
      CHECK(whole.pixels == double(width) * height);
      const std::optional<RegionSums> all =
          planes.box(sdk::BoundingBox{0, 0, double(width), double(height)});
      // The whole frame's sums come from the row passes themselves, not from summing the planes.
      CHECK(whole.luma == all->luma);
      CHECK(whole.luma2 == all->luma2);
      CHECK(whole.saturation == all->saturation);
      CHECK(whole.laplacian == all->laplacian);
      CHECK(whole.laplacian2 == all->laplacian2);
    }
  }
}

TEST_CASE("every kernel builds the portable kernel's planes for every colour") {
  // 256 images of 256 × 256 pixels: red from the image, green and blue from the position, so
  // every colour appears (and with it every pair of maximum and spread the saturation divides).
  const std::vector<pixel_rows::Kernel> all = kernels();
  REQUIRE(!all.empty());
  const std::uint32_t width = 256, height = 256;
  Image image{width, height, std::vector<std::uint8_t>(std::size_t{width} * height * 3)};
  int differing = 0;
  for (int red = 0; red < 256; ++red) {
    for (std::uint32_t y = 0; y < height; ++y) {
      for (std::uint32_t x = 0; x < width; ++x) {
        std::uint8_t* pixel = &image.rgb[(std::size_t{y} * width + x) * 3];
        pixel[0] = static_cast<std::uint8_t>(red);
        pixel[1] = static_cast<std::uint8_t>(x);
        pixel[2] = static_cast<std::uint8_t>(y);
      }
    }
    const PixelPlanes portable(image.view(), pixel_rows::portable_kernel());
    for (const pixel_rows::Kernel& kernel : all)
      differing += !(PixelPlanes(image.view(), kernel) == portable);
  }
  CHECK(differing == 0);
}

}  // namespace ea::metrics
