// SPDX-License-Identifier: Apache-2.0
// Metric runs on real images (the fce COCO fixture): every value stored, exported and used by
// `ea evaluate --by-metric`; selection through ea.json; a third-party metric plugin; failures.
#include <doctest/doctest.h>

#include <array>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "test_support.hpp"

namespace fs = std::filesystem;

namespace ea::test {
namespace {

// A project of the three fce images with their COCO ground truth (9 polygons) and the 9 mask
// predictions of fce_dt_dataset.json as set "dt", imported without metrics.
struct MetricProject {
  TempDir dir;
  fs::path root = dir / "p";

  MetricProject() {
    fs::create_directories(dir / "images");
    for (const char* name : {"img_1.jpg", "img_2.jpg", "img_3.jpg"})
      fs::copy_file(data_dir() / "images" / name, dir / "images" / name);
    REQUIRE(run({"init", "--images", (dir / "images").string()}).exit_code == 0);
    const auto gt = run({"import", "project", "--format", "coco",
                         (data_dir() / "coco" / "fce_gt_dataset.json").string()});
    REQUIRE_MESSAGE(gt.exit_code == 0, gt.err);
    const auto dt = run({"import", "--no-metrics", "--format", "coco", "--name", "dt",
                         (data_dir() / "coco" / "fce_dt_dataset.json").string()});
    REQUIRE_MESSAGE(dt.exit_code == 0, dt.err);
    CHECK(dt.out.find("metric(s)") == std::string::npos);
  }
  CommandResult run(std::vector<std::string> arguments) const {
    arguments.insert(arguments.begin(), {"-t", root.string()});
    return ea(arguments);
  }
  CommandResult run_with_fixture(std::vector<std::string> arguments) const {
    arguments.insert(arguments.begin(),
                     {"--plugin", (fixture_plugin_dir() / "ea_plugin_metric_fixture.so").string()});
    return run(arguments);
  }
  std::string digest() const { return store_digest(root / "ea.db"); }
  long count(const std::string& sql) const {
    SQLite::Database store((root / "ea.db").string(), SQLite::OPEN_READONLY);
    return store.execAndGet(sql).getInt();
  }
  void select(const nlohmann::json& metrics) const {
    nlohmann::json config = nlohmann::json::parse(read_file(root / "ea.json"));
    config["metrics"] = metrics;
    write_file(root / "ea.json", config.dump(2));
  }
};

std::map<std::string, long> counts_by_metric(const MetricProject& project, const char* table) {
  SQLite::Database store((project.root / "ea.db").string(), SQLite::OPEN_READONLY);
  SQLite::Statement query(
      store, std::string("SELECT metric, count(*) FROM ") + table + " GROUP BY metric");
  std::map<std::string, long> counts;
  while (query.executeStep())
    counts[query.getColumn(0).getString()] = query.getColumn(1).getInt();
  return counts;
}

}  // namespace

TEST_CASE("ea metrics run stores every built-in for every prediction, label and frame") {
  const MetricProject project;
  const auto run = project.run({"metrics", "run"});
  REQUIRE_MESSAGE(run.exit_code == 0, run.err);
  CHECK(run.out.find("Ran 21 metric(s) on 3 frame(s)") != std::string::npos);

  // Predictions are masks: every object metric applies to each of the 9 but the polygon's
  // vertex count; best-label-same-class needs an overlapping label (8 of 9 have one).
  const auto predictions = counts_by_metric(project, "prediction_metrics");
  for (const char* metric :
       {"confidence", "area", "area-relative", "aspect-ratio", "border-closeness", "fragments",
        "iou-same-class-label", "iou-any-label", "duplicate-iou", "brightness", "contrast",
        "saturation", "sharpness", "blur"}) {
    CAPTURE(metric);
    CHECK(predictions.at(metric) == 9);
  }
  CHECK(predictions.at("best-label-same-class") == 8);
  CHECK(predictions.count("polygon-vertices") == 0);
  // Labels are polygons: no confidence and no label-overlap metrics.
  const auto labels = counts_by_metric(project, "label_metrics");
  for (const char* metric : {"area", "area-relative", "aspect-ratio", "border-closeness",
                             "fragments", "polygon-vertices", "duplicate-iou", "brightness",
                             "contrast", "saturation", "sharpness", "blur"}) {
    CAPTURE(metric);
    CHECK(labels.at(metric) == 9);
  }
  CHECK(labels.count("confidence") == 0);
  // Frames: the ground truth's and the image's five, and the set's two, on each of 3 images.
  CHECK(project.count("SELECT count(*) FROM frame_metrics WHERE set_id = 0") == 3 * 5);
  CHECK(project.count("SELECT count(*) FROM frame_metrics WHERE set_id <> 0") == 3 * 2);
  CHECK(project.count("SELECT count(*) FROM frame_metrics WHERE metric = 'object-count' AND "
                      "set_id = 0 AND value = 3") == 3);

  // The export round-trips: one row per prediction, and as many filled cells per metric column
  // as stored values.
  const fs::path csv = project.dir / "dt.csv";
  const auto exported = project.run({"metrics", "export", "--set", "dt", csv.string()});
  REQUIRE_MESSAGE(exported.exit_code == 0, exported.err);
  std::istringstream lines(read_file(csv));
  std::string header;
  std::getline(lines, header);
  std::vector<std::string> columns;
  for (std::istringstream cells(header); std::getline(cells, columns.emplace_back(), ',');) {
  }
  columns.pop_back();
  std::map<std::string, long> filled;
  long rows = 0;
  for (std::string line; std::getline(lines, line); ++rows) {
    std::istringstream cells(line);
    std::string cell;
    for (std::size_t i = 0; std::getline(cells, cell, ','); ++i)
      filled[columns.at(i)] += !cell.empty();
  }
  CHECK(rows == 9);
  for (const auto& [metric, count] : predictions) {
    CAPTURE(metric);
    CHECK(filled[metric] == count);
  }
  const auto label_csv = project.run({"metrics", "export", (project.dir / "gt.csv").string()});
  CHECK(label_csv.out.find("Wrote 9 row(s)") != std::string::npos);

  // Running again replaces the values instead of adding to them.
  REQUIRE(project.run({"metrics", "run", "area"}).exit_code == 0);
  CHECK(counts_by_metric(project, "prediction_metrics").at("area") == 9);
  // An object scored again without a value (its image is gone) keeps none from the earlier run,
  // and the metrics not run keep theirs.
  fs::remove(project.dir / "images" / "img_1.jpg");
  REQUIRE(project.run({"metrics", "run", "brightness", "frame-brightness"}).exit_code == 0);
  CHECK(counts_by_metric(project, "prediction_metrics").at("brightness") == 6);
  CHECK(counts_by_metric(project, "prediction_metrics").at("area") == 9);
  CHECK(project.count("SELECT count(*) FROM frame_metrics WHERE metric = 'frame-brightness'") == 2);
}

TEST_CASE("ea import runs the selected metrics on the new set, unless --no-metrics") {
  const MetricProject project;
  project.select({"area", "confidence", "iou-same-class-label"});
  const auto imported = project.run({"import", "--format", "coco", "--name", "again",
                                     (data_dir() / "coco" / "fce_dt_dataset.json").string()});
  REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
  CHECK(imported.out.find("Ran 3 metric(s) on 3 frame(s): 27 prediction, 0 label") !=
        std::string::npos);
  CHECK(project.count("SELECT count(*) FROM prediction_metrics") == 27);
  // The labels are not scored, but the predictions are compared with them.
  CHECK(project.count("SELECT count(*) FROM prediction_metrics WHERE metric = "
                      "'iou-same-class-label' AND value > 0.5") > 0);
  // Removing the set removes its values.
  REQUIRE(project.run({"predictions", "remove", "again"}).exit_code == 0);
  CHECK(project.count("SELECT count(*) FROM prediction_metrics") == 0);
}

TEST_CASE("a third-party metric plugin is discovered, selected in ea.json and run") {
  const MetricProject project;
  project.select({"dark-fraction", "area"});
  const auto listed = project.run_with_fixture({"metrics", "list"});
  REQUIRE(listed.exit_code == 0);
  CHECK(listed.out.find("dark-fraction") != std::string::npos);
  CHECK(listed.out.find("metric_fixture") != std::string::npos);
  const auto json =
      nlohmann::json::parse(project.run_with_fixture({"metrics", "list", "--json"}).out);
  std::map<std::string, bool> selected;
  for (const auto& metric : json)
    selected[metric["name"]] = metric["selected"];
  CHECK(selected.at("dark-fraction"));
  CHECK(selected.at("area"));
  CHECK_FALSE(selected.at("confidence"));

  const auto run = project.run_with_fixture({"metrics", "run"});
  REQUIRE_MESSAGE(run.exit_code == 0, run.err);
  CHECK(run.out.find("Ran 2 metric(s)") != std::string::npos);
  const auto predictions = counts_by_metric(project, "prediction_metrics");
  CHECK(predictions.size() == 2);
  CHECK(predictions.at("dark-fraction") == 9);
  CHECK(counts_by_metric(project, "label_metrics").at("dark-fraction") == 9);
  CHECK(project.count("SELECT count(*) FROM prediction_metrics WHERE metric = 'dark-fraction' "
                      "AND (value < 0 OR value > 1)") == 0);
}

TEST_CASE("bad metric runs fail with a sentence and leave the store unchanged") {
  const MetricProject project;
  const std::string before = project.digest();
  const auto unknown = project.run({"metrics", "run", "nope"});
  CHECK(unknown.exit_code != 0);
  CHECK(unknown.err.find("there is no metric named 'nope'; available: confidence, area") !=
        std::string::npos);
  CHECK(line_count(unknown.err) == 1);

  project.select({"area", "nothing-like-it"});
  const auto configured = project.run({"metrics", "run"});
  CHECK(configured.exit_code != 0);
  CHECK(configured.err.find("there is no metric named 'nothing-like-it' (ea.json selects it)") !=
        std::string::npos);
  project.select(nlohmann::json::array());
  CHECK(project.digest() == before);

  const auto failing = project.run_with_fixture({"metrics", "run", "area", "fails-on-img-2"});
  CHECK(failing.exit_code != 0);
  CHECK(failing.err.find("metric 'fails-on-img-2' (plugin 'metric_fixture') failed on data unit "
                         "\"img_2.jpg\", frame 0: this fixture always fails here.") !=
        std::string::npos);
  CHECK(line_count(failing.err) == 1);
  CHECK(project.digest() == before);

  // A frame metric may not score objects (their rows hold only object metrics' columns).
  const auto misplaced =
      project.run_with_fixture({"metrics", "run", "frame-metric-scores-objects"});
  CHECK(misplaced.exit_code != 0);
  CHECK(misplaced.err.find("metric 'frame-metric-scores-objects' scores frames but gave a value "
                           "to object ") != std::string::npos);
  CHECK(line_count(misplaced.err) == 1);
  CHECK(project.digest() == before);
}

TEST_CASE("a missing image: pixel metrics skip its frame, the others still run, it is counted") {
  const MetricProject project;
  fs::remove(project.dir / "images" / "img_1.jpg");
  const auto run = project.run({"metrics", "run", "area", "brightness", "frame-brightness"});
  REQUIRE_MESSAGE(run.exit_code == 0, run.err);
  CHECK(run.out.find("1 frame(s) had no readable image, so pixel metrics skipped them") !=
        std::string::npos);
  CHECK(run.out.find("img_1.jpg") != std::string::npos);
  const auto predictions = counts_by_metric(project, "prediction_metrics");
  CHECK(predictions.at("area") == 9);
  CHECK(predictions.at("brightness") == 6);  // 3 of the 9 predictions are on img_1.jpg
  CHECK(project.count("SELECT count(*) FROM frame_metrics WHERE metric = 'frame-brightness'") == 2);
}

TEST_CASE("a truncated JPEG: pixel metrics skip its frame rather than score the grey fill") {
  const MetricProject project;
  const fs::path image = project.dir / "images" / "img_1.jpg";
  const std::string bytes = read_file(image);
  write_file(image, bytes.substr(0, bytes.size() * 6 / 10));  // the header stays intact
  const auto run = project.run({"metrics", "run", "area", "brightness", "frame-brightness"});
  REQUIRE_MESSAGE(run.exit_code == 0, run.err);
  CHECK(run.out.find("1 frame(s) had no readable image, so pixel metrics skipped them") !=
        std::string::npos);
  CHECK(run.out.find("img_1.jpg") != std::string::npos);
  CHECK(run.out.find("truncated") != std::string::npos);
  const auto predictions = counts_by_metric(project, "prediction_metrics");
  CHECK(predictions.at("area") == 9);
  CHECK(predictions.at("brightness") == 6);
  CHECK(project.count("SELECT count(*) FROM frame_metrics WHERE metric = 'frame-brightness'") == 2);
}

TEST_CASE("ea evaluate --by-metric bins the stored matches and ranks every metric") {
  const MetricProject project;
  REQUIRE(project.run({"metrics", "run"}).exit_code == 0);
  const auto evaluated =
      project.run({"evaluate", "--iou-type", "segm", "--by-metric", "area", "--bins", "3", "--iou",
                   "0.5", "--score", "0", "--json", "--out", (project.dir / "plots").string()});
  REQUIRE_MESSAGE(evaluated.exit_code == 0, evaluated.err);
  const auto results = nlohmann::json::parse(evaluated.out);
  const auto& by_metric = results["by_metric"];
  long predictions = 0, true_positives = 0, labels = 0, missed = 0;
  for (const auto& bin : by_metric["bins"]) {
    predictions += bin["predictions"].get<long>();
    true_positives += bin["true_positives"].get<long>();
    labels += bin["labels"].get<long>();
    missed += bin["false_negatives"].get<long>();
  }
  CHECK(by_metric["bins"].size() == 3);
  CHECK(predictions == 9);
  CHECK(labels == 9);
  // The same counts as the operating point at IoU 0.5 from the same stored matches.
  const auto& all = results["operating_point"]["classes"]["all"];
  CHECK(true_positives == all["tp"].get<long>());
  CHECK(missed == all["fn"].get<long>());
  // A prediction's IoU with its same-class label decides TP at 0.5: it correlates fully, and the
  // ranking starts with the strongest.
  std::map<std::string, double> correlation;
  for (const auto& row : by_metric["importance"])
    correlation[row["metric"]] = row["correlation"];
  CHECK(correlation.at("iou-same-class-label") > 0.9);
  CHECK(by_metric["importance"][0]["correlation"].get<double>() ==
        doctest::Approx(correlation.at("iou-same-class-label")));
  CHECK(fs::exists(project.dir / "plots" / "by_metric_area.png"));

  const auto missing = project.run({"evaluate", "--iou-type", "segm", "--by-metric", "nope"});
  CHECK(missing.exit_code != 0);
  CHECK(missing.err.find("metric 'nope' has no stored value") != std::string::npos);
}

TEST_CASE("a JPEG is scored on the pixels OpenCV decodes: the same values as its lossless copy") {
  // ea_media decodes JPEGs with libjpeg-turbo itself; PNGs still go through OpenCV. A PNG of
  // OpenCV's decode of each fixture image must therefore score exactly like the JPEG.
  TempDir dir;
  fs::create_directories(dir / "images");
  for (const char* name : {"img_1", "img_2", "img_3"}) {
    const fs::path jpeg = data_dir() / "images" / (std::string(name) + ".jpg");
    fs::copy_file(jpeg, dir / "images" / (std::string(name) + ".jpg"));
    const cv::Mat decoded = cv::imread(jpeg.string(), cv::IMREAD_COLOR);
    REQUIRE(cv::imwrite((dir / "images" / (std::string(name) + "_copy.png")).string(), decoded));
  }
  const fs::path root = dir / "p";
  REQUIRE(ea({"-t", root.string(), "init", "--images", (dir / "images").string()}).exit_code == 0);
  const auto run = ea({"-t", root.string(), "metrics", "run", "frame-brightness", "frame-contrast",
                       "frame-sharpness"});
  REQUIRE_MESSAGE(run.exit_code == 0, run.err);
  SQLite::Database store((root / "ea.db").string(), SQLite::OPEN_READONLY);
  SQLite::Statement values(store,
                           "SELECT d.title, m.metric, m.value FROM frame_metrics m JOIN data_units "
                           "d ON d.id = m.data_unit_id");
  std::map<std::string, double> by_image_and_metric;
  while (values.executeStep()) {
    by_image_and_metric[values.getColumn(0).getString() + " " + values.getColumn(1).getString()] =
        values.getColumn(2).getDouble();
  }
  REQUIRE(by_image_and_metric.size() == 6 * 3);
  for (const char* name : {"img_1", "img_2", "img_3"}) {
    for (const char* metric : {"frame-brightness", "frame-contrast", "frame-sharpness"}) {
      CAPTURE(name);
      CAPTURE(metric);
      const double jpeg = by_image_and_metric.at(std::string(name) + ".jpg " + metric);
      const double png = by_image_and_metric.at(std::string(name) + "_copy.png " + metric);
      CHECK(jpeg == png);
    }
  }
}

TEST_CASE("a layout-6 store's metric values come through the upgrade to one column per metric") {
  const TempDir dir;
  fs::create_directories(dir / "p");
  fs::copy_file(data_dir() / "stores" / "fce-metrics-v6.db", dir / "p" / "ea.db");
  write_file(dir / "p" / "ea.json",
             nlohmann::json{{"name", "p"}, {"images", (data_dir() / "images").string()}}.dump());
  // Every value as text, read with SQLite alone before and after ea opens (and upgrades) it.
  const auto rows = [&](const std::string& sql) {
    SQLite::Database store((dir / "p" / "ea.db").string(), SQLite::OPEN_READONLY);
    SQLite::Statement query(store, sql);
    std::vector<std::string> all;
    while (query.executeStep()) {
      std::string row;
      for (int c = 0; c < query.getColumnCount(); ++c)
        row += query.getColumn(c).getString() + "|";
      all.push_back(row);
    }
    return all;
  };
  const std::string predictions =
      "SELECT prediction_id, metric, printf('%.17g', value) FROM prediction_metrics ORDER BY 1, 2";
  const std::string labels =
      "SELECT label_id, metric, printf('%.17g', value) FROM label_metrics ORDER BY 1, 2";
  const std::string frames =
      "SELECT set_id, data_unit_id, frame, metric, printf('%.17g', value) FROM frame_metrics "
      "ORDER BY 1, 2, 3, 4";
  const auto before = std::array{rows(predictions), rows(labels), rows(frames)};
  REQUIRE(before[0].size() == 134);
  REQUIRE(before[1].size() == 108);
  REQUIRE(before[2].size() == 21);
  CHECK(rows("SELECT version FROM schema_version") == std::vector<std::string>{"6|"});

  const auto exported = ea(
      {"-t", (dir / "p").string(), "metrics", "export", "--set", "dt", (dir / "dt.csv").string()});
  REQUIRE_MESSAGE(exported.exit_code == 0, exported.err);
  CHECK(rows("SELECT version FROM schema_version") == std::vector<std::string>{"7|"});
  CHECK(rows("SELECT type FROM sqlite_master WHERE name = 'prediction_metrics'") ==
        std::vector<std::string>{"view|"});
  CHECK(rows(predictions) == before[0]);
  CHECK(rows(labels) == before[1]);
  CHECK(rows(frames) == before[2]);
  // The export reads the columns: 9 predictions, each with a value of every prediction metric.
  std::istringstream csv(read_file(dir / "dt.csv"));
  std::string line;
  int lines = 0;
  while (std::getline(csv, line))
    ++lines;
  CHECK(lines == 1 + 9);
}

}  // namespace ea::test
