// SPDX-License-Identifier: Apache-2.0
// `ea evaluate` and `ea cocoeval` beyond parity: edge cases, stored matches, operating points,
// the confusion matrix, quirks and plots.
#include <doctest/doctest.h>

#include <fstream>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli_fixture.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

fs::path coco(const std::string& name) {
  return ea::test::data_dir() / "coco" / name;
}

std::int64_t count(const fs::path& project, const std::string& sql) {
  SQLite::Database db((project / "ea.db").string(), SQLite::OPEN_READONLY);
  return db.execAndGet(sql).getInt64();
}

// A COCO project from `truth` with the results `results` imported as set "run".
struct CocoProject {
  ea::test::TempDir dir;
  fs::path root = dir / "p";

  CocoProject(const fs::path& truth, const fs::path& results) {
    const auto gt = run({"import", "project", "--format", "coco", truth.string()});
    REQUIRE_MESSAGE(gt.exit_code == 0, gt.err);
    const auto dt = run({"import", "--format", "coco", "--name", "run", results.string()});
    REQUIRE_MESSAGE(dt.exit_code == 0, dt.err);
  }
  ea::test::CommandResult run(std::vector<std::string> arguments) const {
    arguments.insert(arguments.begin(), {"-t", root.string()});
    return ea::test::ea(arguments);
  }
  json evaluate_json(std::vector<std::string> arguments = {}) const {
    arguments.insert(arguments.begin(), "evaluate");
    arguments.push_back("--json");
    const auto result = run(arguments);
    REQUIRE_MESSAGE(result.exit_code == 0, result.err);
    return json::parse(result.out);
  }
};

// Two 100×100 images, classes "a" (with labels) and "b" (none).
constexpr const char* kTwoImages = R"({
  "images": [{"id": 1, "file_name": "one.jpg", "width": 100, "height": 100},
             {"id": 2, "file_name": "two.jpg", "width": 100, "height": 100}],
  "categories": [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}],
  "annotations": [
    {"id": 1, "image_id": 1, "category_id": 1, "bbox": [10, 10, 40, 40], "area": 1600, "iscrowd": 0},
    {"id": 2, "image_id": 2, "category_id": 1, "bbox": [50, 50, 40, 40], "area": 1600, "iscrowd": 0}
  ]})";

}  // namespace

TEST_CASE("evaluate: a set without predictions gives pycocotools' zeros, not a crash") {
  const ea::test::TempDir dir;
  ea::test::write_file(dir / "gt.json", kTwoImages);
  ea::test::write_file(dir / "empty.json", "[]");
  const CocoProject project(dir / "gt.json", dir / "empty.json");
  const json out = project.evaluate_json();
  CHECK(out["stats"][0].get<double>() == 0.0);
  CHECK(out["stats"][8].get<double>() == 0.0);
  CHECK(out["stats"][3].get<double>() == -1.0);  // no small labels
  CHECK(count(project.root, "SELECT count(*) FROM label_matches WHERE matched_mask = 0") == 2);
}

TEST_CASE(
    "evaluate: images with labels and no prediction count as misses, classes with "
    "predictions and no labels are left out and listed") {
  const ea::test::TempDir dir;
  ea::test::write_file(dir / "gt.json", kTwoImages);
  ea::test::write_file(dir / "dt.json", R"([
    {"image_id": 1, "category_id": 1, "bbox": [10, 10, 40, 40], "score": 0.9},
    {"image_id": 1, "category_id": 2, "bbox": [60, 60, 20, 20], "score": 0.8}])");
  const CocoProject project(dir / "gt.json", dir / "dt.json");
  const json out = project.evaluate_json();
  CHECK(out["stats"][8].get<double>() == doctest::Approx(0.5).epsilon(1e-12));  // AR100
  CHECK(out["per_category"]["b"]["AP"].is_null());
  CHECK(out["per_category"]["b"]["detections"].get<int>() == 1);
  const auto table = project.run({"evaluate", "--per-class"});
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("Predicted but without labels (left out of the means, as in COCO): b") !=
        std::string::npos);
}

TEST_CASE(
    "evaluate: a project without labels, an unknown set and segm on boxes are clear "
    "errors that leave the store alone") {
  const ea::test::CliProject project;
  const auto no_labels = project.ea({"evaluate"});
  CHECK(no_labels.exit_code != 0);
  CHECK(no_labels.err.find("no prediction sets") != std::string::npos);
  const auto imported = project.ea(
      {"import",
       project.file("p.jsonl", ea::test::box_record(project.hash(0), .1, .1, .2, .2)).string()});
  REQUIRE(imported.exit_code == 0);
  const std::string before = project.digest();
  const auto without = project.ea({"evaluate"});
  CHECK(without.exit_code != 0);
  CHECK(without.err ==
        "error: the project has no object labels to evaluate against; import ground truth with "
        "`ea import project`.\n");
  CHECK(project.digest() == before);

  const ea::test::TempDir dir;
  ea::test::write_file(dir / "gt.json", kTwoImages);
  ea::test::write_file(dir / "dt.json",
                       R"([{"image_id": 1, "category_id": 1, "bbox": [1, 1, 5, 5], "score": 1}])");
  const CocoProject coco_project(dir / "gt.json", dir / "dt.json");
  const std::string coco_before = ea::test::store_digest(coco_project.root / "ea.db");
  const auto unknown = coco_project.run({"evaluate", "--set", "nope"});
  CHECK(unknown.exit_code != 0);
  CHECK(unknown.err == "error: there is no prediction set named 'nope'; the sets are run.\n");
  const auto kitti = coco_project.run({"evaluate", "--protocol", "kitti", "--min-overlap", "x"});
  CHECK(kitti.exit_code != 0);
  CHECK(kitti.err ==
        "error: --min-overlap takes CLASS=OVERLAP with an overlap in [0, 1), not \"x\".\n");
  const auto segm = coco_project.run({"evaluate", "--iou-type", "segm"});
  CHECK(segm.exit_code != 0);
  CHECK(segm.err.find("holds only boxes; --iou-type segm needs masks or polygons") !=
        std::string::npos);
  CHECK(ea::test::store_digest(coco_project.root / "ea.db") == coco_before);
}

TEST_CASE("cocoeval: an empty ground-truth file is an error, an empty dataset gives -1") {
  const ea::test::TempDir dir;
  ea::test::write_file(dir / "empty.json", "");
  ea::test::write_file(dir / "none.json", "[]");
  const auto empty =
      ea::test::ea({"cocoeval", (dir / "empty.json").string(), (dir / "none.json").string()});
  CHECK(empty.exit_code != 0);
  CHECK(empty.err.find("empty.json: the file is empty.") != std::string::npos);
  ea::test::write_file(dir / "gt.json", R"({"images": [], "annotations": [], "categories": []})");
  const auto nothing = ea::test::ea(
      {"cocoeval", (dir / "gt.json").string(), (dir / "none.json").string(), "--json"});
  REQUIRE_MESSAGE(nothing.exit_code == 0, nothing.err);
  for (const auto& stat : json::parse(nothing.out)["stats"])
    CHECK(stat.get<double>() == -1.0);
}

TEST_CASE("evaluate: every prediction and label has a stored match, and TP/FP/FN are SQL") {
  const CocoProject project(coco("fce_gt_ignore_test_intids.json"),
                            coco("fce_dt_ignore_test.json"));
  const json out = project.evaluate_json({"--iou", "0.5", "--score", "0"});
  CHECK(count(project.root, "SELECT count(*) FROM prediction_matches") ==
        count(project.root, "SELECT count(*) FROM predictions"));
  CHECK(count(project.root, "SELECT count(*) FROM label_matches") ==
        count(project.root, "SELECT count(*) FROM labels"));
  // The crowd region absorbs detections: neither true nor false positives.
  CHECK(count(project.root, "SELECT count(*) FROM prediction_matches WHERE outcome = 'ignored'") >
        0);
  CHECK(count(project.root, "SELECT count(*) FROM label_matches WHERE ignored = 1") == 1);
  const std::int64_t tp = count(
      project.root, "SELECT count(*) FROM prediction_matches WHERE tp_mask & 1 AND outcome = 'tp'");
  const json& all = out["operating_point"]["classes"]["all"];
  CHECK(all["tp"].get<std::int64_t>() == tp);
  CHECK(all["fp"].get<std::int64_t>() ==
        count(project.root, "SELECT count(*) FROM prediction_matches WHERE outcome = 'fp'"));
  CHECK(all["fn"].get<std::int64_t>() == 13 - tp);  // 14 labels, one of them the crowd region
  // A higher score threshold keeps fewer detections; precision is TP / (TP + FP).
  const json strict = project.evaluate_json({"--iou", "0.75", "--score", "0.5"});
  const json& point = strict["operating_point"]["classes"]["all"];
  const double expected_precision =
      point["tp"].get<double>() / (point["tp"].get<double>() + point["fp"].get<double>());
  CHECK(point["precision"].get<double>() == doctest::Approx(expected_precision));
  CHECK(point["tp"].get<std::int64_t>() <= tp);
  // Evaluating again with the same parameters replaces the stored evaluation.
  CHECK(count(project.root, "SELECT count(*) FROM evaluations") == 1);
  const auto unknown = project.run({"evaluate", "--iou", "0.33"});
  CHECK(unknown.exit_code != 0);
  CHECK(unknown.err.find("--iou 0.33 is not one of the evaluated IoU thresholds (0.5, 0.55") !=
        std::string::npos);
  // Removing the set removes its evaluations.
  REQUIRE(project.run({"predictions", "remove", "run"}).exit_code == 0);
  CHECK(count(project.root, "SELECT count(*) FROM prediction_matches") == 0);
  CHECK(count(project.root, "SELECT count(*) FROM evaluations") == 0);
}

TEST_CASE("evaluate: false positives say why") {
  const ea::test::TempDir dir;
  ea::test::write_file(dir / "gt.json", kTwoImages);
  ea::test::write_file(dir / "dt.json", R"([
    {"image_id": 1, "category_id": 1, "bbox": [10, 10, 40, 40], "score": 0.9},
    {"image_id": 1, "category_id": 1, "bbox": [10, 10, 40, 40], "score": 0.8},
    {"image_id": 2, "category_id": 1, "bbox": [0, 0, 10, 10], "score": 0.7},
    {"image_id": 2, "category_id": 2, "bbox": [50, 50, 40, 40], "score": 0.6}])");
  const CocoProject project(dir / "gt.json", dir / "dt.json");
  project.evaluate_json();
  SQLite::Database db((project.root / "ea.db").string(), SQLite::OPEN_READONLY);
  SQLite::Statement query(db,
                          "SELECT outcome, coalesce(fp_reason, '') FROM prediction_matches "
                          "ORDER BY prediction_id");
  std::vector<std::string> outcomes;
  while (query.executeStep())
    outcomes.push_back(query.getColumn(0).getString() + ":" + query.getColumn(1).getString());
  CHECK(outcomes == std::vector<std::string>{"tp:", "fp:taken", "fp:low_iou", "fp:no_label"});
}

TEST_CASE(
    "evaluate: the confusion matrix matches across classes, with a background row and "
    "column") {
  const ea::test::TempDir dir;
  ea::test::write_file(dir / "gt.json", kTwoImages);
  ea::test::write_file(dir / "dt.json", R"([
    {"image_id": 1, "category_id": 2, "bbox": [10, 10, 40, 40], "score": 0.9},
    {"image_id": 2, "category_id": 1, "bbox": [0, 0, 10, 10], "score": 0.7},
    {"image_id": 2, "category_id": 1, "bbox": [50, 50, 40, 40], "score": 0.2}])");
  const CocoProject project(dir / "gt.json", dir / "dt.json");
  const json matrix = project.evaluate_json({"--score", "0.5"})["confusion_matrix"];
  CHECK(matrix["classes"] == json::array({"a", "b", "background"}));
  // Label a on image 1 was predicted as b; the one on image 2 was missed (its detection scored
  // under 0.5); the small box on image 2 matched nothing.
  CHECK(matrix["counts"] == json::parse("[[0, 1, 1], [0, 0, 0], [1, 0, 0]]"));
  const auto table = project.run({"evaluate", "--score", "0.5"});
  CHECK(table.out.find("Confusion matrix (class-agnostic matching at IoU 0.5, score >= 0.5") !=
        std::string::npos);
}

TEST_CASE("quirks: pycocotools' are kept and named, --no-quirks corrects them") {
  const ea::test::TempDir dir;
  // Annotation id 0 never matches in pycocotools.
  ea::test::write_file(dir / "gt.json", R"({
    "images": [{"id": 1, "file_name": "one.jpg", "width": 100, "height": 100}],
    "categories": [{"id": 1, "name": "a"}],
    "annotations": [{"id": 0, "image_id": 1, "category_id": 1, "bbox": [10, 10, 40, 40],
                     "area": 1600, "iscrowd": 0}]})");
  ea::test::write_file(
      dir / "dt.json",
      R"([{"image_id": 1, "category_id": 1, "bbox": [10, 10, 40, 40], "score": 1}])");
  const auto quirky =
      ea::test::ea({"cocoeval", (dir / "gt.json").string(), (dir / "dt.json").string()});
  REQUIRE(quirky.exit_code == 0);
  CHECK(quirky.out.find("= 0.000") != std::string::npos);
  CHECK(quirky.out.find("Note: 1 label(s) have COCO id 0, which pycocotools never counts as "
                        "matched; --no-quirks counts them and gives different numbers.") !=
        std::string::npos);
  const auto corrected = ea::test::ea({"cocoeval", (dir / "gt.json").string(),
                                       (dir / "dt.json").string(), "--no-quirks", "--json"});
  REQUIRE(corrected.exit_code == 0);
  CHECK(json::parse(corrected.out)["stats"][0].get<double>() == doctest::Approx(1.0));

  // `ignore` without `iscrowd` is discarded by pycocotools (same numbers as without the flag).
  const auto ignored = ea::test::ea({"cocoeval", coco("fce_gt_dataset_ignore1.json").string(),
                                     coco("fce_dt_dataset.json").string()});
  REQUIRE(ignored.exit_code == 0);
  CHECK(ignored.out.find("carry `ignore` without `iscrowd`") != std::string::npos);
}

TEST_CASE("evaluate --out writes readable plots and the curves as CSV") {
  const CocoProject project(coco("fce_gt_dataset.json"), coco("fce_dt_dataset.json"));
  const fs::path out = project.dir / "plots";
  const auto result = project.run({"evaluate", "--out", out.string()});
  REQUIRE_MESSAGE(result.exit_code == 0, result.err);
  for (const char* name :
       {"pr_overall.png", "pr_classes_iou50.png", "confusion_matrix.png", "classes/pr_cloud.png"}) {
    INFO(name);
    std::ifstream in(out / name, std::ios::binary);
    std::string signature(8, '\0');
    in.read(signature.data(), 8);
    CHECK(signature == "\x89PNG\r\n\x1a\n");
    CHECK(fs::file_size(out / name) > 5000);
  }
  std::ifstream csv(out / "pr_curves.csv");
  std::string header;
  std::getline(csv, header);
  CHECK(header == "class,iou,recall,precision,score");
  std::size_t rows = 0;
  for (std::string line; std::getline(csv, line);)
    ++rows;
  CHECK(rows == 4 * 10 * 101);  // four classes with labels, ten thresholds, 101 recall points
}

TEST_CASE("evaluate: --no-cats, --max-dets, --iou-thrs and --area-ranges change the protocol") {
  const CocoProject project(coco("val2014_100_gt.json"), coco("val2014_100_fakebbox_results.json"));
  const json agnostic = project.evaluate_json({"--no-cats"});
  CHECK(agnostic["per_category"].size() == 1);
  CHECK(agnostic["per_category"].contains("all classes"));
  const json two = project.evaluate_json({"--iou-thrs", "0.5,0.75"});
  CHECK(two["params"]["iou_thresholds"] == json::array({0.5, 0.75}));
  const json reference = project.evaluate_json();
  CHECK(two["stats"][1] == reference["stats"][1]);  // AP50 is the same curve
  const json dets = project.evaluate_json({"--max-dets", "1,10"});
  CHECK(dets["stats"][0].get<double>() == -1.0);  // stat 0 needs maxDets 100 (quirk)
  CHECK(!dets["quirk_notes"].empty());
  const json areas = project.evaluate_json({"--area-ranges", "all=0:1e10,tiny=0:100"});
  CHECK(areas["stats"][0] == reference["stats"][0]);
  CHECK(areas["stats"][3].get<double>() == -1.0);  // no range is named "small" any more
  const auto bad = project.run({"evaluate", "--area-ranges", "small"});
  CHECK(bad.exit_code != 0);
  CHECK(bad.err == "error: --area-ranges: \"small\" is not NAME=LOW:HIGH.\n");
}

TEST_CASE("cocoeval: a bad record in either file is one sentence naming the file and record") {
  const ea::test::TempDir dir;
  ea::test::write_file(
      dir / "res.json",
      R"([{"image_id": 99, "category_id": 1, "bbox": [1, 1, 5, 5], "score": 0.5}])");
  const auto unknown =
      ea::test::ea({"cocoeval", coco("fce_gt_dataset.json").string(), (dir / "res.json").string()});
  CHECK(unknown.exit_code != 0);
  CHECK(unknown.err ==
        "error: " + (dir / "res.json").string() + ", index 0: unknown image id 99.\n");
  CHECK(unknown.out.empty());
  ea::test::write_file(dir / "gt.json", R"({"images": [{"id": 1}], "annotations": []})");
  const auto broken =
      ea::test::ea({"cocoeval", (dir / "gt.json").string(), (dir / "res.json").string()});
  CHECK(broken.exit_code != 0);
  CHECK(broken.err.find((dir / "gt.json").string() + ", index 0: images[0]: image 1 needs a "
                                                     "\"file_name\" string") != std::string::npos);
}
