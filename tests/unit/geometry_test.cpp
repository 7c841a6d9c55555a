// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <array>

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
