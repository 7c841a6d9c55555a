// SPDX-License-Identifier: Apache-2.0
// The KITTI plugin: label folders as ground truth and as results, file and class mapping, and
// every bad input refused with the file and line, the store unchanged.
#include <doctest/doctest.h>

#include <string>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include "cli_fixture.hpp"

namespace fs = std::filesystem;

namespace ea::test {
namespace {

constexpr const char* kCarLine = "Car 0.00 0 -1.58 20 30 120 100 1.5 1.6 3.9 1.0 1.7 8.4 1.5\n";
constexpr const char* kPedestrianLine =
    "Pedestrian 0.10 1 0.2 150 40 170 110 1.7 0.5 0.8 -2 1.7 10 0.1\n";
constexpr const char* kDontCareLine =
    "DontCare -1 -1 -10 200 10 250 60 -1 -1 -1 -1000 -1000 -1000 -10\n";

// A project of three images 000000.jpg … 000002.jpg and the KITTI ground truth of the first two.
struct KittiProject {
  TempDir dir;
  std::string root = (dir / "p").string();

  KittiProject() {
    for (const char* folder : {"images", "gt", "res"})
      fs::create_directories(dir / folder);
    for (int i = 0; i < 3; ++i)
      fs::copy_file(data_dir() / "images" / "img_1.jpg",
                    dir / "images" / ("00000" + std::to_string(i) + ".jpg"));
    REQUIRE(ea({"-t", root, "init", "--images", (dir / "images").string()}).exit_code == 0);
    write_file(dir / "gt" / "000000.txt",
               std::string(kCarLine) + kPedestrianLine + "\n" + kDontCareLine);
    write_file(dir / "gt" / "000001.txt", "Van 0.0 0 0 10 10 60 60 1 1 1 1 1 1 0\n");
    write_file(dir / "gt" / "000002.txt", "");  // an image without objects
  }
  CommandResult run(std::vector<std::string> arguments) const {
    arguments.insert(arguments.begin(), {"-t", root});
    return ea(arguments);
  }
  std::string digest() const { return store_digest(dir / "p" / "ea.db"); }
  long count(const char* sql) const {
    SQLite::Database store((dir / "p" / "ea.db").string(), SQLite::OPEN_READONLY);
    return store.execAndGet(sql).getInt();
  }
};

}  // namespace

TEST_CASE("KITTI ground truth and results import into a project, attributes kept") {
  const KittiProject project;
  // Recognised without --format, although one file is empty.
  const auto gt = project.run({"import", "project", (project.dir / "gt").string()});
  REQUIRE_MESSAGE(gt.exit_code == 0, gt.err);
  CHECK(gt.out.find("(kitti format)") != std::string::npos);
  CHECK(gt.out.find("4 class(es)") != std::string::npos);
  CHECK(gt.out.find("4 label(s)") != std::string::npos);
  CHECK(project.count("SELECT count(*) FROM labels WHERE is_crowd = 1 AND ignore = 1") == 1);
  CHECK(project.count("SELECT count(*) FROM labels WHERE x = 20 AND y = 30 AND w = 100 AND h = 70 "
                      "AND json_extract(attributes, '$.z_3d') = 8.4") == 1);

  // Results: class names match case-insensitively; found without --format.
  write_file(project.dir / "res" / "000000.txt",
             "Car -1 -1 -10 21 31 119 99 -1 -1 -1 -1000 -1000 -1000 -10 0.95\n"
             "car -1 -1 -10 100 100 150 150 -1 -1 -1 -1000 -1000 -1000 -10 0.30\n");
  const auto results = project.run({"import", (project.dir / "res").string(), "--name", "r"});
  REQUIRE_MESSAGE(results.exit_code == 0, results.err);
  CHECK(results.out.find("'r' (kitti format): 2 prediction(s)") != std::string::npos);
  CHECK(project.count("SELECT count(*) FROM predictions WHERE confidence = 0.95 AND "
                      "json_extract(attributes, '$.alpha') = -10") == 1);
  const auto evaluated = project.run({"evaluate", "--json"});
  REQUIRE_MESSAGE(evaluated.exit_code == 0, evaluated.err);
  // Car: one label, hit by the 0.95 box (IoU 0.96), the other box a false positive after it.
  CHECK(nlohmann::json::parse(evaluated.out)["per_category"]["Car"]["AP50"].get<double>() ==
        doctest::Approx(1.0));
}

TEST_CASE("KITTI ground truth with --images makes a data unit of each file's image") {
  const KittiProject source;  // its images/ and gt/ folders
  const std::string root = (source.dir / "fresh").string();
  const auto made = ea({"-t", root, "import", "project", "--format", "kitti", "--images",
                        (source.dir / "images").string(), (source.dir / "gt").string()});
  REQUIRE_MESSAGE(made.exit_code == 0, made.err);
  CHECK(made.out.find("3 data unit(s), 4 class(es)") != std::string::npos);
  // The same data hashes `ea init --images` gives, and the real size of the images.
  CHECK(ea({"-t", root, "print", "data-mapping"}).out == source.run({"print", "data-mapping"}).out);
  SQLite::Database store((source.dir / "fresh" / "ea.db").string(), SQLite::OPEN_READONLY);
  CHECK(store.execAndGet("SELECT count(*) FROM data_units WHERE width = 256 AND height = 256")
            .getInt() == 3);
}

TEST_CASE("KITTI ground truth without images makes data units of --image-size") {
  const TempDir dir;
  fs::create_directories(dir / "gt");
  write_file(dir / "gt" / "000007.txt", kCarLine);
  const std::string root = (dir / "p").string();
  const auto made = ea({"-t", root, "import", "project", "--format", "kitti", "--image-size",
                        "1242x375", (dir / "gt").string()});
  REQUIRE_MESSAGE(made.exit_code == 0, made.err);
  const auto mapping = nlohmann::json::parse(ea({"-t", root, "print", "data-mapping"}).out);
  REQUIRE(mapping.size() == 1);
  CHECK(mapping.begin().value() == "000007");
}

TEST_CASE("KITTI files map to video frames by <stem>__<frame> and to anything by --file-map") {
  const TempDir dir;
  fs::create_directories(dir / "media");
  fs::create_directories(dir / "gt");
  write_clip(dir / "media" / "drive.avi", 4);
  const auto project = init_media_project(dir.path(), dir / "media", R"({"objects":[]})");
  const std::string root = project.root.string();
  write_file(dir / "gt" / "drive__3.txt", kCarLine);
  write_file(dir / "gt" / "other.txt", kPedestrianLine);
  write_file(dir / "map.json", R"({"drive__3.txt": {"data_hash": ")" + project.first_hash +
                                   R"(", "frame": 3}, "other.txt": {"data_hash": ")" +
                                   project.first_hash + R"(", "frame": 1}})");
  const auto by_stem = ea({"-t", root, "import", "project", "--format", "kitti", "--skip-invalid",
                           (dir / "gt").string()});
  REQUIRE_MESSAGE(by_stem.exit_code == 0, by_stem.err);
  CHECK(by_stem.out.find("other.txt matches no data unit") != std::string::npos);
  CHECK(store_digest(project.root / "ea.db").find("|3|bounding_box|") != std::string::npos);

  fs::remove(dir / "gt" / "drive__3.txt");
  const auto mapped = ea({"-t", root, "import", "project", "--format", "kitti", "--file-map",
                          (dir / "map.json").string(), (dir / "gt").string()});
  REQUIRE_MESSAGE(mapped.exit_code == 0, mapped.err);
  CHECK(store_digest(project.root / "ea.db").find("|1|bounding_box|") != std::string::npos);
}

TEST_CASE("bad KITTI input is refused with its file and line, and the store is unchanged") {
  const KittiProject project;
  REQUIRE(project.run({"import", "project", "--format", "kitti", (project.dir / "gt").string()})
              .exit_code == 0);
  const std::string before = project.digest();
  const std::string box = " -1 -1 -10 21 31 119 99 -1 -1 -1 -1000 -1000 -1000 -10";
  const std::vector<std::pair<std::string, std::string>> cases{
      {"Car" + box + "\n",
       "000000.txt, line 1: the line has 15 values, not 16 (a result needs "
       "its score; --default-score S supplies one)"},
      {"Car" + box + " 0.9 7\n", "000000.txt, line 1: the line has 17 values, not 16"},
      {"Car -1 -1 -10 21 3x1 119 99 -1 -1 -1 -1000 -1000 -1000 -10 0.9\n",
       "000000.txt, line 1: column 6 (top) is \"3x1\", not a number"},
      {"Car -1 -1 -10 121 31 119 99 -1 -1 -1 -1000 -1000 -1000 -10 0.9\n",
       "the box's right edge is left of its left edge"},
      {"Car -1 -1 -10 21 131 119 99 -1 -1 -1 -1000 -1000 -1000 -10 0.9\n",
       "the box's bottom edge is above its top edge"},
      {"\nTruck" + box + " 0.9\n", "000000.txt, line 2: unknown class \"Truck\""},
  };
  for (const auto& [text, sentence] : cases) {
    CAPTURE(sentence);
    write_file(project.dir / "res" / "000000.txt", text);
    const auto result =
        project.run({"import", "--format", "kitti", (project.dir / "res").string()});
    CHECK(result.exit_code != 0);
    CHECK(result.err.find(sentence) != std::string::npos);
    CHECK(line_count(result.err) == 1);
    CHECK(project.digest() == before);
  }
  // A result without a score is read with --default-score; an unknown class is skipped and
  // counted with --skip-invalid.
  write_file(project.dir / "res" / "000000.txt", "Car" + box + "\nTruck" + box + "\n");
  const auto defaulted = project.run({"import", "--format", "kitti", "--default-score", "0.5",
                                      "--skip-invalid", (project.dir / "res").string()});
  REQUIRE_MESSAGE(defaulted.exit_code == 0, defaulted.err);
  CHECK(defaulted.out.find("1 prediction(s)") != std::string::npos);
  CHECK(defaulted.out.find("unknown class \"Truck\"") != std::string::npos);

  // A file that matches no data unit, and a folder without label files.
  const std::string after = project.digest();
  fs::remove(project.dir / "res" / "000000.txt");
  write_file(project.dir / "res" / "999999.txt", "Car" + box + " 0.9\n");
  const auto unmatched =
      project.run({"import", "--format", "kitti", "--name", "u", (project.dir / "res").string()});
  CHECK(unmatched.exit_code != 0);
  CHECK(unmatched.err.find("999999.txt matches no data unit") != std::string::npos);
  fs::remove(project.dir / "res" / "999999.txt");
  const auto empty =
      project.run({"import", "--format", "kitti", "--name", "e", (project.dir / "res").string()});
  CHECK(empty.exit_code != 0);
  CHECK(empty.err.find("the folder holds no KITTI label files (.txt)") != std::string::npos);
  CHECK(project.digest() == after);
}

}  // namespace ea::test
