// SPDX-License-Identifier: Apache-2.0
// Parity with pycocotools: for every case in tests/data/expected (computed by pycocotools 2.0.11),
// `ea cocoeval` and import-then-`ea evaluate` give the 12 numbers, the per-class numbers and the
// PR curves to 1e-9.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr double kTolerance = 1e-9;

json read_json(const fs::path& file) {
  std::ifstream in(file);
  return json::parse(in);
}

// The evaluation options the expected file was made with.
std::vector<std::string> options_of(const json& expected) {
  std::vector<std::string> options = {"--iou-type", expected.at("iouType").get<std::string>(),
                                      "--json"};
  if (!expected.at("min_score").is_null()) {
    options.push_back("--min-score");
    options.push_back(std::to_string(expected.at("min_score").get<double>()));
  }
  return options;
}

void check_same_numbers(const json& mine, const json& expected) {
  const auto& stats = expected.at("stats");
  REQUIRE(mine.at("stats").size() == 12);
  for (std::size_t i = 0; i < 12; ++i) {
    INFO("stat " << i);
    CHECK(std::fabs(mine.at("stats")[i].get<double>() - stats[i].get<double>()) < kTolerance);
  }
  std::map<std::int64_t, std::string> names;
  for (const auto& category : expected.at("per_category")) {
    const std::string name = category.at("name").get<std::string>();
    names[category.at("category_id").get<std::int64_t>()] = name;
    const json& ours = mine.at("per_category").at(name);
    for (const char* key : {"AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100"}) {
      INFO(name << " " << key);
      REQUIRE(ours.at(key).is_null() == category.at(key).is_null());
      if (!category.at(key).is_null())
        CHECK(std::fabs(ours.at(key).get<double>() - category.at(key).get<double>()) < kTolerance);
    }
  }
  std::map<std::pair<double, std::string>, const json*> curves;
  for (const auto& curve : mine.at("pr").at("curves"))
    curves[{curve.at("iou").get<double>(), curve.at("category").get<std::string>()}] = &curve;
  for (const auto& curve : expected.at("pr").at("curves")) {
    const std::string name = names.at(curve.at("category_id").get<std::int64_t>());
    const double iou = curve.at("iou").get<double>();
    INFO(name << " at IoU " << iou);
    const json& ours = *curves.at({iou, name});
    REQUIRE(ours.at("precision").size() == curve.at("precision").size());
    double worst = 0;
    for (std::size_t r = 0; r < curve.at("precision").size(); ++r) {
      worst = std::max(worst, std::fabs(ours.at("precision")[r].get<double>() -
                                        curve.at("precision")[r].get<double>()));
      worst = std::max(worst, std::fabs(ours.at("scores")[r].get<double>() -
                                        curve.at("score")[r].get<double>()));
    }
    CHECK(worst < kTolerance);
  }
}

// Runs one expected case through `ea cocoeval` and through import + `ea evaluate`.
void check_case(const std::string& name, const std::string& truth_name,
                const std::string& results_name) {
  const json expected = read_json(ea::test::data_dir() / "expected" / (name + ".json"));
  const fs::path truth = ea::test::data_dir() / "coco" / truth_name;
  const fs::path results = ea::test::data_dir() / "coco" / results_name;
  const std::vector<std::string> options = options_of(expected);

  std::vector<std::string> cocoeval = {"cocoeval", truth.string(), results.string()};
  cocoeval.insert(cocoeval.end(), options.begin(), options.end());
  const auto files = ea::test::ea(cocoeval);
  REQUIRE_MESSAGE(files.exit_code == 0, files.err);
  check_same_numbers(json::parse(files.out), expected);

  const ea::test::TempDir dir;
  const fs::path project = dir / "p";
  const auto gt = ea::test::ea(
      {"-t", project.string(), "import", "project", "--format", "coco", truth.string()});
  REQUIRE_MESSAGE(gt.exit_code == 0, gt.err);
  const auto predictions =
      ea::test::ea({"-t", project.string(), "import", "--format", "coco", results.string()});
  REQUIRE_MESSAGE(predictions.exit_code == 0, predictions.err);
  std::vector<std::string> evaluate = {"-t", project.string(), "evaluate"};
  evaluate.insert(evaluate.end(), options.begin(), options.end());
  const auto stored = ea::test::ea(evaluate);
  REQUIRE_MESSAGE(stored.exit_code == 0, stored.err);
  check_same_numbers(json::parse(stored.out), expected);
}

}  // namespace

TEST_CASE("pycocotools parity: val2014 100 images, bbox") {
  check_case("cocoapi_val2014_100_fakebbox_bbox", "val2014_100_gt.json",
             "val2014_100_fakebbox_results.json");
}
TEST_CASE("pycocotools parity: val2014 100 images, segm from compressed RLE") {
  check_case("cocoapi_val2014_100_fakesegm_segm", "val2014_100_gt.json",
             "val2014_100_fakesegm_results.json");
}
TEST_CASE("pycocotools parity: results given as a dataset dict with scores") {
  check_case("rodm_sampled_gts_bbox", "rodm_sampled_gt.json", "rodm_sampled_dets_as_dataset.json");
}
TEST_CASE("pycocotools parity: toy example, one class") {
  check_case("rodm_toyexample_bbox", "toyexample_gt.json", "toyexample_dets.json");
}
TEST_CASE("pycocotools parity: polygons, bbox") {
  check_case("fce_dataset_bbox", "fce_gt_dataset.json", "fce_dt_dataset.json");
}
TEST_CASE("pycocotools parity: polygons against merged RLE, segm") {
  check_case("fce_dataset_segm_rle", "fce_gt_dataset.json", "fce_dt_dataset_segm_rle.json");
}
TEST_CASE("pycocotools parity: an ignore flag is overwritten by iscrowd") {
  check_case("fce_dataset_ignore1_bbox", "fce_gt_dataset_ignore1.json", "fce_dt_dataset.json");
}
TEST_CASE("pycocotools parity: crowd region matching") {
  check_case("fce_ignore_bbox", "fce_gt_ignore_test_intids.json", "fce_dt_ignore_test.json");
}
TEST_CASE("pycocotools parity: crowd region matching with --min-score 0.1") {
  check_case("fce_ignore_bbox_minscore0.1", "fce_gt_ignore_test_intids.json",
             "fce_dt_ignore_test.json");
}
TEST_CASE("pycocotools parity: Object-Detection-Metrics sample, person") {
  check_case("odm_person_bbox", "odm_gt_coco.json", "odm_dt_coco.json");
}

TEST_CASE("ea cocoeval prints pycocotools' summary character for character") {
  const json expected =
      read_json(ea::test::data_dir() / "expected" / "cocoapi_val2014_100_fakesegm_segm.json");
  const auto result =
      ea::test::ea({"cocoeval", (ea::test::data_dir() / "coco" / "val2014_100_gt.json").string(),
                    (ea::test::data_dir() / "coco" / "val2014_100_fakesegm_results.json").string(),
                    "--iou-type", "segm"});
  REQUIRE(result.exit_code == 0);
  CHECK(result.out == expected.at("summary_text").get<std::string>());
}
