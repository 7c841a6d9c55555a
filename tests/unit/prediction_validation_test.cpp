// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include <SQLiteCpp/Transaction.h>

#include "ea/core/prediction_row.hpp"
#include "ea/core/project_writer.hpp"
#include "ea/core/store.hpp"
#include "test_support.hpp"

namespace {

using ea::core::PredictionRow;
using ea::core::Rejection;

struct SmallProject {
  ea::test::TempDir dir;
  ea::core::Store store = ea::core::Store::create(dir / "ea.db");
  ea::core::ProjectSnapshot snapshot;

  SmallProject() {
    const std::vector<ea::sdk::DataUnit> units = {
        {"image-hash", "a.jpg", "a.jpg", ea::sdk::MediaKind::image, 200, 100, 1},
        {"video-hash", "v.mp4", "v.mp4", ea::sdk::MediaKind::video, 64, 48, 10},
    };
    ea::core::Ontology ontology;
    ontology.objects = {{"boxhash1", "car", ea::sdk::Shape::bounding_box, ""},
                        {"polyhash", "road", ea::sdk::Shape::polygon, ""}};
    ontology.classifications = {{"clshash1", "atthash1", "weather", {{"opt-sun", "sunny"}}}};
    SQLite::Transaction transaction(store.db());
    ea::core::insert_data_units(store.db(), units);
    ea::core::insert_ontology(store.db(), ontology);
    transaction.commit();
    snapshot = ea::core::ProjectSnapshot::load(store);
  }
};

ea::sdk::Prediction box(double x, double y, double w, double h) {
  ea::sdk::Prediction prediction;
  prediction.data_hash = "image-hash";
  prediction.confidence = 0.5;
  ea::sdk::ObjectDetection object;
  object.feature_hash = "boxhash1";
  object.geometry = ea::sdk::BoundingBox{x, y, w, h, 0};
  prediction.content = object;
  return prediction;
}

std::string category_of(const std::variant<PredictionRow, Rejection>& result) {
  const auto* rejection = std::get_if<Rejection>(&result);
  return rejection == nullptr ? std::string("accepted") : rejection->category;
}

}  // namespace

TEST_CASE("relative boxes become pixels and noise past the edge is clamped") {
  const SmallProject project;
  const auto result = ea::core::to_prediction_row(box(0.1, 0.2, 0.5, 0.8 + 5e-7), project.snapshot);
  REQUIRE(std::holds_alternative<PredictionRow>(result));
  const auto& row = std::get<PredictionRow>(result);
  REQUIRE(row.box.has_value());
  CHECK(row.box->x == doctest::Approx(20));
  CHECK(row.box->y == doctest::Approx(20));
  CHECK(row.box->w == doctest::Approx(100));
  CHECK(row.box->h == doctest::Approx(80));  // clamped to the image edge
  CHECK(row.box->y + row.box->h <= 100.0);
  CHECK(row.kind == "bounding_box");
}

TEST_CASE("boxes outside the image, pixel-looking or empty are refused with their reason") {
  const SmallProject project;
  CHECK(category_of(ea::core::to_prediction_row(box(0.9, 0.1, 0.2, 0.1), project.snapshot)) ==
        "outside the image");
  CHECK(category_of(ea::core::to_prediction_row(box(-0.01, 0.1, 0.2, 0.1), project.snapshot)) ==
        "outside the image");
  CHECK(category_of(ea::core::to_prediction_row(box(12, 30, 50, 40), project.snapshot)) ==
        "pixel coordinates in a relative box");
  CHECK(category_of(ea::core::to_prediction_row(box(0.1, 0.1, 0, 0.1), project.snapshot)) ==
        "empty box");
}

TEST_CASE("data unit, frame, confidence and class are checked") {
  const SmallProject project;
  auto prediction = box(0.1, 0.1, 0.2, 0.2);

  SUBCASE("unknown data_hash") {
    prediction.data_hash = "nope";
    CHECK(category_of(ea::core::to_prediction_row(prediction, project.snapshot)) ==
          "unknown data_hash");
  }
  SUBCASE("images have only frame 0") {
    prediction.frame = 1;
    CHECK(category_of(ea::core::to_prediction_row(prediction, project.snapshot)) ==
          "frame out of range");
  }
  SUBCASE("videos need a frame within range") {
    prediction.data_hash = "video-hash";
    CHECK(category_of(ea::core::to_prediction_row(prediction, project.snapshot)) ==
          "frame missing");
    prediction.frame = 10;
    CHECK(category_of(ea::core::to_prediction_row(prediction, project.snapshot)) ==
          "frame out of range");
    prediction.frame = 9;
    CHECK(category_of(ea::core::to_prediction_row(prediction, project.snapshot)) == "accepted");
  }
  SUBCASE("confidence must be finite and non-negative") {
    for (const double bad : {std::nan(""), std::numeric_limits<double>::infinity(), -0.1}) {
      prediction.confidence = bad;
      CHECK(category_of(ea::core::to_prediction_row(prediction, project.snapshot)) ==
            "invalid confidence");
    }
  }
  SUBCASE("the class must exist and accept the shape") {
    std::get<ea::sdk::ObjectDetection>(prediction.content).feature_hash = "missing";
    CHECK(category_of(ea::core::to_prediction_row(prediction, project.snapshot)) ==
          "unknown feature_hash");
    // A box fits any class; a polygon needs a polygon or bitmask class.
    std::get<ea::sdk::ObjectDetection>(prediction.content).feature_hash = "polyhash";
    CHECK(category_of(ea::core::to_prediction_row(prediction, project.snapshot)) == "accepted");
    ea::sdk::ObjectDetection polygon;
    polygon.feature_hash = "boxhash1";
    polygon.geometry = ea::sdk::Polygon{{{{0.1, 0.1}, {0.5, 0.1}, {0.5, 0.5}}}};
    prediction.content = polygon;
    CHECK(category_of(ea::core::to_prediction_row(prediction, project.snapshot)) ==
          "shape mismatch");
  }
}

TEST_CASE("polygons keep every ring in pixels, with their bounding box") {
  const SmallProject project;
  ea::sdk::Prediction prediction = box(0, 0, 1, 1);
  ea::sdk::ObjectDetection object;
  object.feature_hash = "polyhash";
  object.geometry = ea::sdk::Polygon{
      {{{0.1, 0.1}, {0.5, 0.1}, {0.5, 0.5}}, {{0.6, 0.6}, {0.7, 0.6}, {0.7, 0.9}}}};
  prediction.content = object;
  const auto result = ea::core::to_prediction_row(prediction, project.snapshot);
  REQUIRE(std::holds_alternative<PredictionRow>(result));
  const auto& row = std::get<PredictionRow>(result);
  CHECK(row.geometry == "[[20,10,100,10,100,50],[120,60,140,60,140,90]]");
  CHECK(row.box->x == doctest::Approx(20));
  CHECK(row.box->w == doctest::Approx(120));
  CHECK(row.box->h == doctest::Approx(80));

  object.geometry = ea::sdk::Polygon{{{{0.1, 0.1}, {0.5, 0.1}}}};
  prediction.content = object;
  CHECK(category_of(ea::core::to_prediction_row(prediction, project.snapshot)) ==
        "invalid polygon");
  object.geometry = ea::sdk::Polygon{};
  prediction.content = object;
  CHECK(category_of(ea::core::to_prediction_row(prediction, project.snapshot)) ==
        "invalid polygon");
}

TEST_CASE("a box the source gives replaces the derived one and pixel boxes are kept as given") {
  const SmallProject project;
  ea::sdk::Prediction prediction = box(0, 0, 1, 1);
  ea::sdk::ObjectDetection object;
  object.feature_hash = "polyhash";
  object.units = ea::sdk::Units::pixels;
  object.geometry = ea::sdk::Polygon{{{{20, 10}, {100, 10}, {100, 50}}}};
  object.box = ea::sdk::BoundingBox{19.5, 9.5, 81, 41, 0};
  prediction.content = object;
  const auto result = ea::core::to_prediction_row(prediction, project.snapshot);
  REQUIRE(std::holds_alternative<PredictionRow>(result));
  CHECK(std::get<PredictionRow>(result).box->x == 19.5);
  CHECK(std::get<PredictionRow>(result).box->w == 81);
  // Pixel sources keep their numbers even past the edge: evaluation must see what they say.
  object.box = ea::sdk::BoundingBox{150, 9.5, 81, 41, 0};
  prediction.content = object;
  const auto past_edge = ea::core::to_prediction_row(prediction, project.snapshot);
  REQUIRE(std::holds_alternative<PredictionRow>(past_edge));
  CHECK(std::get<PredictionRow>(past_edge).box->x + std::get<PredictionRow>(past_edge).box->w ==
        231);
  object.box = ea::sdk::BoundingBox{150, 9.5, -1, 41, 0};
  prediction.content = object;
  CHECK(category_of(ea::core::to_prediction_row(prediction, project.snapshot)) == "invalid box");
}

TEST_CASE("masks must have the image's size") {
  const SmallProject project;
  ea::sdk::Prediction prediction = box(0, 0, 1, 1);
  ea::sdk::ObjectDetection object;
  object.feature_hash = "polyhash";
  object.geometry = ea::sdk::Rle{100, 200, {100, 50, 19850}};
  prediction.content = object;
  CHECK(category_of(ea::core::to_prediction_row(prediction, project.snapshot)) == "accepted");
  object.geometry = ea::sdk::Rle{200, 100, {100, 50, 19850}};
  prediction.content = object;
  CHECK(category_of(ea::core::to_prediction_row(prediction, project.snapshot)) ==
        "mask size mismatch");
  object.geometry = ea::sdk::Rle{100, 200, {20000}};
  prediction.content = object;
  CHECK(category_of(ea::core::to_prediction_row(prediction, project.snapshot)) == "empty mask");
}

TEST_CASE("classifications must be a radio option of the ontology") {
  const SmallProject project;
  ea::sdk::Prediction prediction;
  prediction.data_hash = "image-hash";
  prediction.confidence = 0.9;
  prediction.content = ea::sdk::FrameClassification{"clshash1", "atthash1", "opt-sun"};
  const auto accepted = ea::core::to_prediction_row(prediction, project.snapshot);
  REQUIRE(std::holds_alternative<PredictionRow>(accepted));
  CHECK(std::get<PredictionRow>(accepted).kind == "classification");
  CHECK(std::get<PredictionRow>(accepted).option_id != 0);
  prediction.content = ea::sdk::FrameClassification{"clshash1", "atthash1", "opt-rain"};
  CHECK(category_of(ea::core::to_prediction_row(prediction, project.snapshot)) ==
        "unknown classification");
}

TEST_CASE("an importer's data unit hint is used only when it names the record's data unit") {
  const SmallProject project;
  const auto image = project.snapshot.find_data_unit("image-hash");
  REQUIRE(image != nullptr);
  const std::size_t index = project.snapshot.index_of(*image);
  for (const std::optional<std::size_t> hint :
       {std::optional<std::size_t>(index), std::optional<std::size_t>(1 - index),
        std::optional<std::size_t>(99), std::optional<std::size_t>()}) {
    ea::sdk::Prediction prediction = box(0.1, 0.1, 0.2, 0.2);
    prediction.unit_index = hint;  // right, another unit's, out of range, none
    const auto result = ea::core::to_prediction_row(prediction, project.snapshot);
    REQUIRE(std::holds_alternative<PredictionRow>(result));
    CHECK(std::get<PredictionRow>(result).unit_index == index);
    CHECK(std::get<PredictionRow>(result).box->w == doctest::Approx(40));
  }
}
