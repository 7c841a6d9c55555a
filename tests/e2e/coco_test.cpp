// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <fstream>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

fs::path coco(const std::string& name) {
  return ea::test::data_dir() / "coco" / name;
}

std::int64_t count(const fs::path& store, const std::string& sql) {
  SQLite::Database db(store.string(), SQLite::OPEN_READONLY);
  return db.execAndGet(sql).getInt64();
}

json sets(const fs::path& project) {
  return json::parse(ea::test::ea({"-t", project.string(), "predictions", "list", "--json"}).out);
}

struct Fixture {
  const char* ground_truth;
  const char* results;  // nullptr: ground truth only
  std::int64_t images, classes, labels, crowd, predictions;
};

}  // namespace

TEST_CASE(
    "COCO val2014 sample: 100 images, 80 classes, 839 labels, 734 bbox and 734 segm results") {
  const ea::test::TempDir dir;
  const fs::path project = dir / "p";
  const auto imported = ea::test::ea({"-t", project.string(), "import", "project", "--format",
                                      "coco", coco("val2014_100_gt.json").string()});
  REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
  CHECK(imported.out.find("Created the project") != std::string::npos);
  const fs::path store = project / "ea.db";
  CHECK(count(store, "SELECT count(*) FROM data_units") == 100);
  CHECK(count(store, "SELECT count(*) FROM ontology_objects") == 80);
  CHECK(count(store, "SELECT count(*) FROM labels") == 839);
  CHECK(count(store, "SELECT count(*) FROM labels WHERE is_crowd = 1") == 9);
  CHECK(count(store, "SELECT count(*) FROM labels WHERE kind = 'polygon'") == 830);
  CHECK(count(store, "SELECT count(*) FROM labels WHERE kind = 'mask'") == 9);
  // Areas and boxes exactly as the file gives them.
  std::ifstream in(coco("val2014_100_gt.json"));
  const json gt = json::parse(in);
  const json& first = gt["annotations"][0];
  SQLite::Database db(store.string(), SQLite::OPEN_READONLY);
  SQLite::Statement label(db, "SELECT area, x, y, w, h FROM labels WHERE source_id = ?");
  label.bind(1, first["id"].get<std::int64_t>());
  REQUIRE(label.executeStep());
  CHECK(label.getColumn(0).getDouble() == first["area"].get<double>());
  CHECK(label.getColumn(1).getDouble() == first["bbox"][0].get<double>());
  CHECK(label.getColumn(4).getDouble() == first["bbox"][3].get<double>());

  for (const char* results :
       {"val2014_100_fakebbox_results.json", "val2014_100_fakesegm_results.json"}) {
    CAPTURE(results);
    const auto predictions = ea::test::ea(
        {"-t", project.string(), "import", "--format", "coco", coco(results).string()});
    REQUIRE_MESSAGE(predictions.exit_code == 0, predictions.err);
  }
  const json listed = sets(project);
  REQUIRE(listed.size() == 2);
  CHECK(listed[0]["counts"]["bounding_box"] == 734);
  CHECK(listed[1]["counts"]["mask"] == 734);

  // Every segm prediction keeps its RLE string exactly.
  std::ifstream segm_file(coco("val2014_100_fakesegm_results.json"));
  const json segm = json::parse(segm_file);
  SQLite::Database after(store.string(), SQLite::OPEN_READONLY);
  SQLite::Statement masks(after,
                          "SELECT p.geometry FROM predictions p JOIN prediction_sets s ON "
                          "p.id BETWEEN s.first_prediction_id AND s.last_prediction_id "
                          "WHERE s.name = 'val2014_100_fakesegm_results' ORDER BY p.id");
  std::size_t index = 0, equal = 0;
  while (masks.executeStep()) {
    equal += masks.getColumn(0).getString() ==
             segm[index++]["segmentation"]["counts"].get<std::string>();
  }
  CHECK(index == 734);
  CHECK(equal == 734);
}

TEST_CASE("every COCO fixture imports whole") {
  const Fixture fixtures[] = {
      {"fce_gt_dataset.json", "fce_dt_dataset.json", 3, 4, 9, 0, 9},
      {"fce_gt_dataset.json", "fce_dt_dataset_segm_rle.json", 3, 4, 9, 0, 9},
      {"fce_gt_dataset_ignore1.json", nullptr, 3, 4, 9, 0, 0},
      {"fce_gt_ignore_test_intids.json", "fce_dt_ignore_test.json", 1, 1, 14, 1, 63},
      {"rodm_sampled_gt.json", "rodm_sampled_dets_as_dataset.json", 100, 80, 830, 0, 734},
      {"toyexample_gt.json", "toyexample_dets.json", 10, 1, 12, 0, 12},
  };
  for (const Fixture& fixture : fixtures) {
    CAPTURE(fixture.ground_truth);
    const ea::test::TempDir dir;
    const fs::path project = dir / "p";
    const auto imported = ea::test::ea(
        {"-t", project.string(), "import", "project", coco(fixture.ground_truth).string()});
    REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
    const fs::path store = project / "ea.db";
    CHECK(count(store, "SELECT count(*) FROM data_units") == fixture.images);
    CHECK(count(store, "SELECT count(*) FROM ontology_objects") == fixture.classes);
    CHECK(count(store, "SELECT count(*) FROM labels") == fixture.labels);
    CHECK(count(store, "SELECT count(*) FROM labels WHERE is_crowd = 1") == fixture.crowd);
    if (fixture.results == nullptr)
      continue;
    const auto predictions =
        ea::test::ea({"-t", project.string(), "import", coco(fixture.results).string()});
    REQUIRE_MESSAGE(predictions.exit_code == 0, predictions.err);
    CHECK(sets(project)[0]["predictions"] == fixture.predictions);
  }
}

TEST_CASE("the ignore flag and annotation id 0 are kept for evaluation") {
  const ea::test::TempDir dir;
  const fs::path project = dir / "p";
  REQUIRE(ea::test::ea({"-t", project.string(), "import", "project",
                        coco("fce_gt_dataset_ignore1.json").string()})
              .exit_code == 0);
  CHECK(count(project / "ea.db", "SELECT count(*) FROM labels WHERE ignore = 1") == 1);
  const fs::path toy = dir / "toy";
  REQUIRE(
      ea::test::ea({"-t", toy.string(), "import", "project", coco("toyexample_gt.json").string()})
          .exit_code == 0);
  CHECK(count(toy / "ea.db", "SELECT count(*) FROM labels WHERE source_id = 0") == 1);
}

TEST_CASE(
    "a ground-truth import into an existing project adds to it, and the same file again changes "
    "nothing") {
  const ea::test::TempDir dir;
  const fs::path project = dir / "p";
  REQUIRE(ea::test::ea({"-t", project.string(), "init"}).exit_code == 0);
  const auto added = ea::test::ea(
      {"-t", project.string(), "import", "project", coco("fce_gt_dataset.json").string()});
  REQUIRE_MESSAGE(added.exit_code == 0, added.err);
  CHECK(added.out.find("Added to the project") != std::string::npos);
  CHECK(count(project / "ea.db", "SELECT count(*) FROM data_units") == 3);
}

TEST_CASE("--images checks that each image exists and has the size the file gives") {
  const ea::test::TempDir dir;
  std::ifstream in(coco("fce_gt_dataset.json"));
  json gt = json::parse(in);
  fs::create_directories(dir / "images");
  for (const char* name : {"img_1.jpg", "img_2.jpg"}) {
    fs::copy_file(ea::test::data_dir() / "images" / name, dir / "images" / name);
  }
  const fs::path project = dir / "p";
  const auto lenient =
      ea::test::ea({"-t", project.string(), "import", "project", "--images",
                    (dir / "images").string(), coco("fce_gt_dataset.json").string()});
  REQUIRE_MESSAGE(lenient.exit_code == 0, lenient.err);
  CHECK(lenient.out.find("1 image file(s) are missing under --images (e.g. img_3.jpg)") !=
        std::string::npos);

  const fs::path strict = dir / "strict";
  const auto refused =
      ea::test::ea({"-t", strict.string(), "import", "project", "--strict", "--images",
                    (dir / "images").string(), coco("fce_gt_dataset.json").string()});
  CHECK(refused.exit_code != 0);
  CHECK(refused.err.find("img_3.jpg does not exist") != std::string::npos);
  CHECK_FALSE(fs::exists(strict / "ea.json"));  // the project made for the import is gone again

  for (json& image : gt["images"]) {
    if (image["file_name"] == "img_1.jpg")
      image["width"] = 300;
  }
  ea::test::write_file(dir / "wrong_size.json", gt.dump());
  const auto wrong = ea::test::ea({"-t", (dir / "wrong").string(), "import", "project", "--images",
                                   (dir / "images").string(), (dir / "wrong_size.json").string()});
  CHECK(wrong.exit_code != 0);
  CHECK(wrong.err.find("300×256") != std::string::npos);
}

TEST_CASE("an empty results list is an empty set") {
  const ea::test::TempDir dir;
  const fs::path project = dir / "p";
  REQUIRE(ea::test::ea(
              {"-t", project.string(), "import", "project", coco("fce_gt_dataset.json").string()})
              .exit_code == 0);
  ea::test::write_file(dir / "empty.json", "[]");
  const auto imported = ea::test::ea(
      {"-t", project.string(), "import", "--format", "coco", (dir / "empty.json").string()});
  REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
  CHECK(sets(project)[0]["predictions"] == 0);
}

TEST_CASE("COCO export round-trips: import, export, import gives identical predictions") {
  const ea::test::TempDir dir;
  const fs::path project = dir / "p";
  REQUIRE(ea::test::ea(
              {"-t", project.string(), "import", "project", coco("val2014_100_gt.json").string()})
              .exit_code == 0);
  for (const char* results :
       {"val2014_100_fakebbox_results.json", "val2014_100_fakesegm_results.json"}) {
    CAPTURE(results);
    REQUIRE(ea::test::ea(
                {"-t", project.string(), "import", "--name", "original", coco(results).string()})
                .exit_code == 0);
    const fs::path exported = dir / "exported.json";
    const auto written = ea::test::ea({"-t", project.string(), "predictions", "export", "original",
                                       "--format", "coco", exported.string()});
    REQUIRE_MESSAGE(written.exit_code == 0, written.err);
    CHECK(written.out.find("Wrote 734 prediction(s)") != std::string::npos);
    REQUIRE(ea::test::ea({"-t", project.string(), "import", "--name", "again", exported.string()})
                .exit_code == 0);
    const auto rows = [&project](const char* set) {
      SQLite::Database db((project / "ea.db").string(), SQLite::OPEN_READONLY);
      SQLite::Statement query(db,
                              "SELECT p.data_unit_id, p.frame, p.kind, p.object_id, p.confidence, "
                              "p.x, p.y, p.w, p.h, p.theta, p.geometry FROM predictions p JOIN "
                              "prediction_sets s ON p.id BETWEEN s.first_prediction_id AND "
                              "s.last_prediction_id WHERE s.name = ? ORDER BY p.id");
      query.bind(1, set);
      std::string text;
      while (query.executeStep()) {
        for (int column = 0; column < query.getColumnCount(); ++column) {
          text += query.getColumn(column).getString() + "|";
        }
        text += "\n";
      }
      return text;
    };
    CHECK(ea::test::line_count(rows("original")) == 734);
    CHECK(rows("again") == rows("original"));
    REQUIRE(ea::test::ea({"-t", project.string(), "predictions", "remove", "original"}).exit_code ==
            0);
    REQUIRE(ea::test::ea({"-t", project.string(), "predictions", "remove", "again"}).exit_code ==
            0);
  }
}

TEST_CASE("results map into a project not made from COCO through titles, names or map files") {
  const ea::test::TempDir dir;
  const fs::path project = dir / "p";
  ea::test::write_file(
      dir / "ontology.json",
      R"({"objects":[{"name":"cloud","shape":"polygon"},{"name":"heart","shape":"polygon"},)"
      R"({"name":"arrow","shape":"polygon"},{"name":"star","shape":"polygon"}]})");
  REQUIRE(ea::test::ea({"-t", project.string(), "init", "--images",
                        (ea::test::data_dir() / "images").string(), "--ontology",
                        (dir / "ontology.json").string()})
              .exit_code == 0);
  const std::string results = coco("fce_dt_dataset.json").string();

  const auto without_gt = ea::test::ea(
      {"-t", project.string(), "import", "--format", "coco", "--image-map", "title", results});
  CHECK(without_gt.exit_code != 0);
  CHECK(without_gt.err.find("give the ground truth with --gt FILE") != std::string::npos);

  const auto titled = ea::test::ea({"-t", project.string(), "import", "--format", "coco", "--name",
                                    "titled", "--image-map", "title", "--category-map", "name",
                                    "--gt", coco("fce_gt_dataset.json").string(), results});
  REQUIRE_MESSAGE(titled.exit_code == 0, titled.err);

  ea::test::write_file(dir / "images.json",
                       R"({"1": "img_3.jpg", "2": "img_1.jpg", "3": "img_2.jpg"})");
  ea::test::write_file(dir / "categories.json",
                       R"({"1": "cloud", "2": "heart", "3": "arrow", "4": "star"})");
  const auto mapped = ea::test::ea({"-t", project.string(), "import", "--format", "coco", "--name",
                                    "mapped", "--image-map", (dir / "images.json").string(),
                                    "--category-map", (dir / "categories.json").string(), results});
  REQUIRE_MESSAGE(mapped.exit_code == 0, mapped.err);
  const json listed = sets(project);
  REQUIRE(listed.size() == 2);
  CHECK(listed[0]["predictions"] == 9);
  CHECK(listed[1]["predictions"] == 9);
  CHECK(count(project / "ea.db",
              "SELECT count(*) FROM predictions a JOIN predictions b ON b.id = a.id + 9 "
              "WHERE a.data_unit_id = b.data_unit_id AND a.object_id = b.object_id "
              "AND a.geometry = b.geometry AND a.id <= 9") == 9);
}
