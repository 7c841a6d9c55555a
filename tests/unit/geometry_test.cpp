// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <random>
#include <vector>

#include "ea/sdk/iou.hpp"
#include "ea/sdk/rle.hpp"

using ea::sdk::BoundingBox;
using ea::sdk::Rle;

TEST_CASE("boxes on whole pixels rasterise to exactly their pixels") {
  for (const BoundingBox box :
       {BoundingBox{0, 0, 10, 10, 0}, BoundingBox{10, 10, 20, 20, 0}, BoundingBox{3, 7, 1, 5, 0}}) {
    CAPTURE(box.x);
    const Rle rle = ea::sdk::rle_from_box(box, 40, 40);
    CHECK(ea::sdk::rle_area(rle) == static_cast<std::uint64_t>(box.w * box.h));
    const BoundingBox tight = ea::sdk::rle_bbox(rle);
    CHECK(tight.x == box.x);
    CHECK(tight.y == box.y);
    CHECK(tight.w == box.w);
    CHECK(tight.h == box.h);
  }
}

TEST_CASE("polygon rasterisation follows pycocotools' pixel-centre rule") {
  // A fractional box, on maskApi's 5× grid with its rounding: columns 0..5 and rows 1..4.
  const Rle rle = ea::sdk::rle_from_box({0.3, 0.7, 5.2, 3.9, 0}, 40, 40);
  CHECK(ea::sdk::rle_area(rle) == 24);
  const BoundingBox tight = ea::sdk::rle_bbox(rle);
  CHECK(tight.x == 0);
  CHECK(tight.y == 1);
  CHECK(tight.w == 6);
  CHECK(tight.h == 4);
  // A polygon given twice in a row is the same mask; the order of its corners does not matter.
  const std::array<double, 6> triangle{2, 2, 30, 4, 12, 25};
  const std::array<double, 6> reversed{12, 25, 30, 4, 2, 2};
  CHECK(ea::sdk::rle_from_polygon(triangle, 32, 32).counts ==
        ea::sdk::rle_from_polygon(reversed, 32, 32).counts);
  const auto area = ea::sdk::rle_area(ea::sdk::rle_from_polygon(triangle, 32, 32));
  CHECK(area > 250);  // the exact area is 283
  CHECK(area < 320);
}

TEST_CASE("merge unites or intersects masks of one size") {
  const Rle left = ea::sdk::rle_from_box({0, 0, 10, 10, 0}, 20, 20);
  const Rle right = ea::sdk::rle_from_box({5, 0, 10, 10, 0}, 20, 20);
  const std::array<Rle, 2> both{left, right};
  CHECK(ea::sdk::rle_area(ea::sdk::rle_merge(both)) == 150);
  CHECK(ea::sdk::rle_area(ea::sdk::rle_merge(both, true)) == 50);
  const std::array<Rle, 1> one{left};
  CHECK(ea::sdk::rle_merge(one).counts == left.counts);
  const std::array<Rle, 2> sizes{left, ea::sdk::rle_from_box({0, 0, 4, 4, 0}, 10, 10)};
  CHECK(ea::sdk::rle_merge(sizes).counts.empty());
}

TEST_CASE("box IoU: continuous, no +1, and crowd regions divide by the detection's area") {
  CHECK(ea::sdk::box_iou({0, 0, 10, 10, 0}, {5, 0, 10, 10, 0}, false) ==
        doctest::Approx(50.0 / 150));
  CHECK(ea::sdk::box_iou({0, 0, 10, 10, 0}, {5, 0, 10, 10, 0}, true) == doctest::Approx(0.5));
  CHECK(ea::sdk::box_iou({0, 0, 10, 10, 0}, {10, 0, 10, 10, 0}, false) == 0);
  CHECK(ea::sdk::box_iou({0.5, 0.5, 2, 2, 0}, {1.5, 1.5, 2, 2, 0}, false) ==
        doctest::Approx(1.0 / 7));
}

TEST_CASE("mask IoU agrees with box IoU on boxes, handles crowds, empties and sizes") {
  const Rle a = ea::sdk::rle_from_box({0, 0, 10, 10, 0}, 20, 20);
  const Rle b = ea::sdk::rle_from_box({5, 0, 10, 10, 0}, 20, 20);
  CHECK(ea::sdk::mask_iou(a, b, false) == doctest::Approx(50.0 / 150));
  CHECK(ea::sdk::mask_iou(a, b, true) == doctest::Approx(0.5));
  CHECK(ea::sdk::mask_iou(a, a, false) == 1);
  const Rle far = ea::sdk::rle_from_box({15, 15, 3, 3, 0}, 20, 20);
  CHECK(ea::sdk::mask_iou(a, far, false) == 0);
  const Rle other_size = ea::sdk::rle_from_box({0, 0, 10, 10, 0}, 30, 30);
  CHECK(ea::sdk::mask_iou(a, other_size, false) == -1);
}

namespace {

// pycocotools' rleFrPoly written out plainly (every grid point stored, the crossings tested in
// doubles and sorted), to check the rasteriser's shortcuts against.
std::vector<std::uint32_t> plain_polygon_counts(const std::vector<double>& xy, std::uint32_t h,
                                                std::uint32_t w) {
  const std::size_t k = xy.size() / 2;
  std::vector<int> x(k + 1), y(k + 1);
  for (std::size_t j = 0; j < k; ++j) {
    x[j] = static_cast<int>(5 * xy[2 * j] + .5);
    y[j] = static_cast<int>(5 * xy[2 * j + 1] + .5);
  }
  x[k] = x[0];
  y[k] = y[0];
  std::vector<int> u, v;
  for (std::size_t j = 0; j < k; ++j) {
    int xs = x[j], xe = x[j + 1], ys = y[j], ye = y[j + 1];
    const int dx = std::abs(xe - xs), dy = std::abs(ys - ye);
    const bool flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
    if (flip) {
      std::swap(xs, xe);
      std::swap(ys, ye);
    }
    const double s =
        dx >= dy ? static_cast<double>(ye - ys) / dx : static_cast<double>(xe - xs) / dy;
    for (int d = 0; d <= (dx >= dy ? dx : dy); ++d) {
      const int t = flip ? (dx >= dy ? dx : dy) - d : d;
      u.push_back(dx >= dy ? t + xs : static_cast<int>(xs + s * t + .5));
      v.push_back(dx >= dy ? static_cast<int>(ys + s * t + .5) : t + ys);
    }
  }
  std::vector<std::uint32_t> starts;
  for (std::size_t j = 1; j < u.size(); ++j) {
    if (u[j] == u[j - 1])
      continue;
    double xd = static_cast<double>(u[j] < u[j - 1] ? u[j] : u[j] - 1);
    xd = (xd + .5) / 5 - .5;
    if (std::floor(xd) != xd || xd < 0 || xd > static_cast<double>(w) - 1)
      continue;
    double yd = static_cast<double>(std::min(v[j], v[j - 1]));
    yd = (yd + .5) / 5 - .5;
    yd = std::ceil(std::clamp(yd, 0.0, static_cast<double>(h)));
    starts.push_back(static_cast<std::uint32_t>(static_cast<int>(xd) * static_cast<int>(h) +
                                                static_cast<int>(yd)));
  }
  starts.push_back(h * w);
  std::sort(starts.begin(), starts.end());
  std::vector<std::uint32_t> counts;
  std::uint32_t previous = 0;
  for (std::uint32_t& start : starts) {
    const std::uint32_t at = start;
    start -= previous;
    previous = at;
  }
  std::size_t j = 0;
  counts.push_back(starts[j++]);
  while (j < starts.size()) {
    if (starts[j] > 0) {
      counts.push_back(starts[j++]);
    } else if (++j < starts.size()) {
      counts.back() += starts[j++];
    }
  }
  return counts;
}

}  // namespace

TEST_CASE("the rasteriser's shortcuts give pycocotools' runs for any polygon, inside or not") {
  // Random polygons of 3 to 12 corners, some reaching past every edge of a 37×23 image and some
  // with negative coordinates, with fractional corners: the integer crossing tests, the skipped
  // grid steps and the column buckets must all agree with the plain algorithm.
  std::mt19937 random(5);
  std::uniform_real_distribution<double> coordinate(-8.0, 45.0);
  for (int polygon = 0; polygon < 2'000; ++polygon) {
    std::vector<double> xy;
    const int corners = 3 + static_cast<int>(random() % 10);
    for (int i = 0; i < 2 * corners; ++i)
      xy.push_back(std::round(coordinate(random) * 100) / 100);
    CAPTURE(polygon);
    CHECK(ea::sdk::rle_from_polygon(xy, 23, 37).counts == plain_polygon_counts(xy, 23, 37));
  }
}
