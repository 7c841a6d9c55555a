// SPDX-License-Identifier: Apache-2.0
// Every built-in metric on a small synthetic frame, against values worked out by hand.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ea/sdk/rle.hpp"
#include "geometry_metrics.hpp"
#include "mask_fragments.hpp"
#include "overlap_metrics.hpp"
#include "pixel_metrics.hpp"
#include "pixel_planes.hpp"

namespace ea::metrics {

namespace {

// The smallest FrameCache: a map.
class TestCache final : public sdk::FrameCache {
 public:
  std::shared_ptr<const void> get(
      std::string_view key, const std::function<std::shared_ptr<const void>()>& make) override {
    auto& value = values_[std::string(key)];
    if (!value)
      value = make();
    return value;
  }

 private:
  std::map<std::string, std::shared_ptr<const void>> values_;
};

// A 4 × 3 gray frame (R = G = B, so luma is the gray value):
//   0   0   0   0
//   0 100 200   0
//   0   0   0   0
struct TestFrame {
  sdk::DataUnit unit{"hash", "frame.png", "frame.png", sdk::MediaKind::image, 4, 3, 1};
  std::vector<std::uint8_t> pixels = std::vector<std::uint8_t>(4 * 3 * 3, 0);
  TestCache cache;
  sdk::FrameView view;

  TestFrame() {
    set(1, 1, 100, 100, 100);
    set(2, 1, 200, 200, 200);
    view.unit = &unit;
    view.image = sdk::ImageView{4, 3, 3, 12, pixels.data()};
    view.cache = &cache;
  }
  void set(int x, int y, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
    std::uint8_t* pixel = pixels.data() + y * 12 + x * 3;
    pixel[0] = r;
    pixel[1] = g;
    pixel[2] = b;
  }
};

sdk::MetricObject box_object(std::int64_t id, std::string_view hash, double x, double y, double w,
                             double h) {
  sdk::MetricObject object;
  object.id = id;
  object.feature_hash = hash;
  object.confidence = 0.7;
  object.box = sdk::BoundingBox{x, y, w, h, 0};
  return object;
}

// The mask of the two bright pixels (1, 1) and (2, 1): column-major positions 4 and 7.
sdk::Rle bright_pixels() {
  return sdk::Rle{3, 4, {4, 1, 2, 1, 4}};
}

}  // namespace

TEST_CASE("region and frame pixel metrics: brightness, contrast, saturation, sharpness, blur") {
  TestFrame frame;
  const sdk::MetricObject whole = box_object(1, "a", 0, 0, 4, 3);
  // Mean gray 300 / 12 = 25; mean square (100² + 200²) / 12; variance 4166.67 − 625.
  CHECK(*region_brightness(whole, frame.view) == doctest::Approx(25.0 / 255));
  CHECK(*region_contrast(whole, frame.view) ==
        doctest::Approx(std::sqrt(50000.0 / 12 - 625) / 255));
  CHECK(*region_saturation(whole, frame.view) == 0.0);
  // Laplacian only at the two inner pixels: 200 − 400 = −200 and 100 − 800 = −700; mean −75,
  // mean square (200² + 700²) / 12.
  const double sharp = (40000.0 + 490000.0) / 12 - 75.0 * 75.0;
  CHECK(*region_sharpness(whole, frame.view) == doctest::Approx(sharp));
  CHECK(*region_blur(whole, frame.view) == doctest::Approx(100 / (100 + sharp)));
  CHECK(*frame_brightness(frame.view) == doctest::Approx(25.0 / 255));
  CHECK(*frame_contrast(frame.view) == doctest::Approx(std::sqrt(50000.0 / 12 - 625) / 255));
  CHECK(*frame_sharpness(frame.view) == doctest::Approx(sharp));

  // A mask region: just the two bright pixels.
  const sdk::Rle mask = bright_pixels();
  sdk::MetricObject masked = box_object(2, "a", 1, 1, 2, 1);
  masked.mask = &mask;
  CHECK(*region_brightness(masked, frame.view) == doctest::Approx(150.0 / 255));
  CHECK(*region_contrast(masked, frame.view) == doctest::Approx(50.0 / 255));
  CHECK(*region_sharpness(masked, frame.view) == doctest::Approx(62500.0));  // (±250)²

  // A box covers the pixels whose centres it contains: [0.6, 2.6] × [1, 2] holds (1,1), (2,1).
  CHECK(*region_brightness(box_object(3, "a", 0.6, 1, 2.0, 1), frame.view) ==
        doctest::Approx(150.0 / 255));
  CHECK_FALSE(region_brightness(box_object(4, "a", 1.1, 1.1, 0.2, 0.2), frame.view));

  // Saturation of pure red is 1; of (200, 100, 100) 0.5, stored rounded to 128 of 255.
  TestFrame colour;
  colour.set(0, 0, 255, 0, 0);
  colour.set(3, 0, 200, 100, 100);
  CHECK(*region_saturation(box_object(5, "a", 0, 0, 1, 1), colour.view) == doctest::Approx(1.0));
  CHECK(*region_saturation(box_object(6, "a", 3, 0, 1, 1), colour.view) ==
        doctest::Approx(128.0 / 255));

  // Without pixels, pixel metrics give nothing.
  frame.view.image.reset();
  CHECK_FALSE(region_brightness(whole, frame.view));
  CHECK_FALSE(frame_sharpness(frame.view));
}

TEST_CASE("geometry metrics: confidence, area, aspect ratio, border closeness, vertices, pieces") {
  TestFrame frame;
  const sdk::MetricObject box = box_object(1, "a", 1, 1, 2, 1);
  CHECK(*confidence(box, frame.view) == 0.7);
  frame.view.predictions = false;
  CHECK_FALSE(confidence(box, frame.view));  // labels have no score
  CHECK(*area(box, frame.view) == 2.0);
  CHECK(*area_relative(box, frame.view) == doctest::Approx(2.0 / 12));
  CHECK(*aspect_ratio(box, frame.view) == 2.0);
  CHECK_FALSE(aspect_ratio(box_object(2, "a", 0, 0, 1, 0), frame.view));
  // left .25, top 1/3, right .75, bottom 2/3: max(.75, 2/3, .75, 2/3).
  CHECK(*border_closeness(box, frame.view) == doctest::Approx(0.75));
  CHECK(*border_closeness(box_object(3, "a", 0, 0, 4, 3), frame.view) == 1.0);

  const sdk::Rle mask = bright_pixels();
  sdk::MetricObject masked = box;
  masked.mask = &mask;
  CHECK(*area(masked, frame.view) == 2.0);
  CHECK(*fragments(masked, frame.view) == 1.0);
  CHECK(*fragments(box, frame.view) == 1.0);
  CHECK_FALSE(polygon_vertices(masked, frame.view));
  const sdk::Polygon polygon{{{{0, 0}, {1, 0}, {1, 1}}, {{2, 2}, {3, 2}, {3, 3}, {2, 3}}}};
  sdk::MetricObject shaped = box;
  shaped.polygon = &polygon;
  CHECK(*polygon_vertices(shaped, frame.view) == 7.0);
}

TEST_CASE("fragments count 8-connected pieces, diagonals joined, across column boundaries") {
  // 4 × 3. Pixels (0,0) and (1,1) touch diagonally: one piece. Add (3,0): two.
  CHECK(count_fragments(sdk::Rle{3, 4, {0, 1, 3, 1, 7}}) == 1);
  CHECK(count_fragments(sdk::Rle{3, 4, {0, 1, 3, 1, 4, 1, 2}}) == 2);
  // A run flowing from the bottom of column 0 into the top of column 1: (0,2) and (1,0) are not
  // neighbours, so two pieces.
  CHECK(count_fragments(sdk::Rle{3, 4, {2, 2, 8}}) == 2);
  // Column 0 whole and column 2 whole: the empty column 1 separates them.
  CHECK(count_fragments(sdk::Rle{3, 4, {0, 3, 3, 3, 3}}) == 2);
  CHECK(count_fragments(sdk::Rle{3, 4, {12}}) == 0);
}

TEST_CASE("overlap metrics: IoU with labels, class confusion, duplicates, count, density") {
  TestFrame frame;
  // Labels: class a at [1, 0, 2, 2], class b at [0, 0, 2, 2].
  const std::vector<sdk::MetricObject> labels{box_object(10, "a", 1, 0, 2, 2),
                                              box_object(11, "b", 0, 0, 2, 2)};
  // Predictions of class a: [0, 0, 2, 2] and its neighbour [0, 1, 2, 2].
  const std::vector<sdk::MetricObject> predictions{box_object(1, "a", 0, 0, 2, 2),
                                                   box_object(2, "a", 0, 1, 2, 2)};
  frame.view.labels = labels;
  frame.view.objects = predictions;
  const sdk::MetricObject& first = predictions[0];
  // Same class: overlap 1 × 2 = 2 of a union of 6.
  CHECK(*iou_same_class_label(first, frame.view) == doctest::Approx(2.0 / 6));
  CHECK(*iou_any_label(first, frame.view) == doctest::Approx(1.0));  // the b label, exactly
  CHECK(*best_label_same_class(first, frame.view) == 0.0);
  CHECK(*duplicate_iou(first, frame.view) == doctest::Approx(2.0 / 6));
  // Without labels: no best label, IoU 0.
  frame.view.labels = {};
  CHECK_FALSE(best_label_same_class(first, frame.view));
  CHECK(*iou_same_class_label(first, frame.view) == 0.0);
  CHECK(*object_count(frame.view) == 2.0);
  // The union of the two boxes: 2 × 3 = 6 of 12 pixels.
  CHECK(*object_density(frame.view) == doctest::Approx(0.5));
  // A mask against a box: the box is rasterised; the bright pixels against [1, 1, 2, 1] match.
  const sdk::Rle mask = bright_pixels();
  sdk::MetricObject masked = box_object(3, "a", 1, 1, 2, 1);
  masked.mask = &mask;
  CHECK(object_iou(masked, box_object(4, "a", 1, 1, 2, 1), frame.view) == doctest::Approx(1.0));
}

TEST_CASE("object density of boxes is their union's area, counted pixel by pixel") {
  // Whole-pixel boxes on a 64 × 48 frame, some past its edges: the union's area is a whole
  // number of pixels, exact in doubles.
  sdk::DataUnit unit{"hash", "frame.png", "frame.png", sdk::MediaKind::image, 64, 48, 1};
  std::uint64_t state = 12345;
  const auto next = [&](int below) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<int>((state >> 33) % static_cast<std::uint64_t>(below));
  };
  for (int trial = 0; trial < 30; ++trial) {
    std::vector<sdk::MetricObject> boxes;
    std::vector<char> covered(64 * 48, 0);
    for (int i = 0, n = 1 + next(40); i < n; ++i) {
      const int x = next(80) - 8, y = next(60) - 6, w = 1 + next(30), h = 1 + next(25);
      boxes.push_back(box_object(i + 1, "a", x, y, w, h));
      for (int py = std::max(0, y); py < std::min(48, y + h); ++py) {
        for (int px = std::max(0, x); px < std::min(64, x + w); ++px)
          covered[py * 64 + px] = 1;
      }
    }
    sdk::FrameView view;
    view.unit = &unit;
    view.objects = boxes;
    const double expected =
        static_cast<double>(std::count(covered.begin(), covered.end(), 1)) / (64.0 * 48.0);
    CAPTURE(trial);
    CHECK(*object_density(view) == expected);
  }
}

}  // namespace ea::metrics

TEST_CASE("luma is (299 R + 587 G + 114 B + 500) / 1000 in integers for every colour") {
  long mismatches = 0;
  for (int r = 0; r < 256; ++r) {
    for (int g = 0; g < 256; ++g) {
      for (int b = 0; b < 256; ++b) {
        const int exact = (299 * r + 587 * g + 114 * b + 500) / 1000;
        mismatches += ea::metrics::pixel_rows::luma_of(static_cast<std::uint8_t>(r),
                                                       static_cast<std::uint8_t>(g),
                                                       static_cast<std::uint8_t>(b)) != exact;
      }
    }
  }
  CHECK(mismatches == 0);
}
