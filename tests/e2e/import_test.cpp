// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>

#include "cli_fixture.hpp"
#include "ea/sdk/rle.hpp"

namespace fs = std::filesystem;
using ea::test::box_record;
using ea::test::classification_record;
using ea::test::CliProject;
using nlohmann::json;

namespace {

// One valid record of every kind: a box, a two-ring polygon, a mask as uncompressed and as
// compressed COCO RLE, and a frame classification.
std::string every_kind(const CliProject& project) {
  // Compressed RLE may hold a backslash, so it goes into the JSON escaped.
  const std::string compressed =
      json(ea::sdk::rle_to_string({256, 256, {2000, 300, 63236}})).dump();
  return box_record(project.hash(0), 0.1, 0.2, 0.3, 0.4) + "\n" +
         fmt::format(
             R"({{"data_hash":"{}","frame":0,"confidence":0.7,"object":{{"feature_hash":"personpg","format":"polygon","data":[[[0.1,0.1],[0.4,0.1],[0.4,0.4]],[[0.6,0.6],[0.9,0.6],[0.9,0.9]]],"track_id":3}}}})",
             project.hash(0)) +
         "\n" +
         fmt::format(
             R"({{"data_hash":"{}","confidence":0.6,"object":{{"feature_hash":"dogmask1","format":"mask","data":{{"size":[256,256],"counts":[1000,500,64036]}}}}}})",
             project.hash(1)) +
         "\n" +
         fmt::format(
             R"({{"data_hash":"{}","confidence":0.5,"object":{{"data":{{"counts":{},"size":[256,256]}},"format":"mask","feature_hash":"dogmask1"}}}})",
             project.hash(1), compressed) +
         "\n" + classification_record(project.hash(1)) + "\n";
}

json sets(const CliProject& project) {
  const auto listed = project.ea({"predictions", "list", "--json"});
  REQUIRE(listed.exit_code == 0);
  return json::parse(listed.out);
}

}  // namespace

TEST_CASE(
    "a JSON Lines file with every kind is stored whole and sets are named, added and replaced") {
  const CliProject project;
  const auto file = project.file("predictions.jsonl", every_kind(project));

  const auto imported = project.ea({"import", "predictions", "--name", "model-a", file.string()});
  REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
  CHECK(imported.out.find("5 prediction(s)") != std::string::npos);

  json listed = sets(project);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["name"] == "model-a");
  CHECK(listed[0]["predictions"] == 5);
  CHECK(listed[0]["counts"] ==
        json{{"bounding_box", 1}, {"polygon", 1}, {"mask", 2}, {"classification", 1}});
  CHECK(listed[0]["source_sha256"].get<std::string>().size() == 64);

  const std::string digest = project.digest();
  CHECK(digest.find("|bounding_box|1|NULL|0.9|25.6|51.2|76.8|102.4|0.0|NULL|NULL|1|") !=
        std::string::npos);
  CHECK(digest.find(
            "[[25.6,25.6,102.4,25.6,102.4,102.4],[153.6,153.6,230.4,153.6,230.4,230.4]]|3|2|") !=
        std::string::npos);
  // Both mask spellings are stored as the same compressed RLE with pycocotools' box.
  CHECK(digest.find("|mask|3|NULL|0.6|3.0|0.0|3.0|256.0|0.0|" +
                    ea::sdk::rle_to_string({256, 256, {1000, 500, 64036}}) + "|") !=
        std::string::npos);
  CHECK(digest.find("|mask|3|NULL|0.5|7.0|0.0|2.0|256.0|0.0|") != std::string::npos);

  SUBCASE("the same file under another name is a second set") {
    REQUIRE(project.ea({"import", "--format", "native", "--name", "model-b", file.string()})
                .exit_code == 0);
    listed = sets(project);
    REQUIRE(listed.size() == 2);
    CHECK(listed[1]["name"] == "model-b");
    CHECK(listed[1]["predictions"] == 5);
  }
  SUBCASE("the same name again is refused unless --replace") {
    const std::string before = project.digest();
    const auto again = project.ea({"import", "predictions", "--name", "model-a", file.string()});
    CHECK(again.exit_code != 0);
    CHECK(again.err.find("already exists") != std::string::npos);
    CHECK(project.digest() == before);

    const auto boxes =
        project.file("boxes.jsonl", box_record(project.hash(2), 0.5, 0.5, 0.1, 0.1) + "\n");
    const auto replaced =
        project.ea({"import", "predictions", "--name", "model-a", "--replace", boxes.string()});
    REQUIRE(replaced.exit_code == 0);
    CHECK(replaced.out.find("Replaced prediction set 'model-a'") != std::string::npos);
    listed = sets(project);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["predictions"] == 1);
    CHECK(listed[0]["counts"]["bounding_box"] == 1);
    // Ids are never reused: the replacement's prediction comes after the removed ones.
    CHECK(project.digest().find("[predictions]\n6|") != std::string::npos);
  }
  SUBCASE("remove deletes the set and its predictions") {
    REQUIRE(project.ea({"predictions", "remove", "model-a"}).exit_code == 0);
    CHECK(sets(project).empty());
    CHECK(project.digest().find("[predictions]\n[schema_version]") != std::string::npos);
    const auto missing = project.ea({"predictions", "remove", "model-a"});
    CHECK(missing.exit_code != 0);
    CHECK(missing.err.find("no prediction set named 'model-a'") != std::string::npos);
  }
}

TEST_CASE("a JSON array works like JSON Lines, and the format is detected without --format") {
  const CliProject project;
  const auto file = project.file(
      "predictions.json", "[\n  " + box_record(project.hash(0), 0.1, 0.1, 0.2, 0.2) + ",\n  " +
                              classification_record(project.hash(2)) + "\n]\n");
  const auto imported = project.ea({"import", "predictions", file.string()});
  REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
  const json listed = sets(project);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["name"] == "predictions");  // the file name without extension
  CHECK(listed[0]["format"] == "native");
  CHECK(listed[0]["counts"]["classification"] == 1);
}

TEST_CASE("Encord Active's H×W 0/1 mask arrays and CRLF line ends are read") {
  const ea::test::TempDir dir;
  fs::create_directories(dir / "images");
  cv::imwrite((dir / "images" / "tiny.png").string(), cv::Mat(3, 2, CV_8UC1, cv::Scalar(0)));
  const auto media_project = ea::test::init_media_project(
      dir.path(), dir / "images",
      R"({"objects":[{"name":"blob","shape":"polygon","feature_hash":"blob0001"}]})");
  const std::string project = media_project.root.string();
  const std::string hash = media_project.first_hash;
  // 3 rows × 2 columns: 0 1 / 1 1 / 0 0 → column-major runs 1 1 1 2 1... as pycocotools encodes.
  ea::test::write_file(
      dir / "masks.jsonl",
      fmt::format(
          R"({{"data_hash":"{}","confidence":0.4,"object":{{"feature_hash":"blob0001","format":"mask","data":[[0,1],[1,1],[0,0]]}}}})",
          hash) +
          "\r\n");
  const auto imported =
      ea::test::ea({"-t", project, "import", "predictions", (dir / "masks.jsonl").string()});
  REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
  const std::string digest = ea::test::store_digest(dir / "p" / "ea.db");
  const std::string expected = ea::sdk::rle_to_string({3, 2, {1, 1, 1, 2, 1}});
  CHECK(digest.find("|mask|1|NULL|0.4|0.0|0.0|2.0|2.0|0.0|" + expected + "|") != std::string::npos);
}

TEST_CASE("--skip-invalid commits the valid records and reports the others") {
  const CliProject project;
  const auto file = project.file(
      "mixed.jsonl", box_record(project.hash(0), 0.1, 0.1, 0.2, 0.2) + "\n" +
                         box_record("no-such-hash", 0.1, 0.1, 0.2, 0.2) + "\n" +
                         box_record(project.hash(0), 0.9, 0.1, 0.2, 0.2) + "\n" + "{not json}\n" +
                         box_record("no-such-hash-either", 0.1, 0.1, 0.2, 0.2) + "\n" +
                         classification_record(project.hash(1)) + "\n");
  const auto imported = project.ea({"import", "predictions", "--skip-invalid", file.string()});
  REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
  CHECK(imported.out.find("2 prediction(s)") != std::string::npos);
  CHECK(imported.out.find("Skipped 4 invalid record(s)") != std::string::npos);
  CHECK(imported.out.find("unknown data_hash: 2") != std::string::npos);
  CHECK(imported.out.find("e.g. line 2: data_hash \"no-such-hash\"") != std::string::npos);
  CHECK(imported.out.find("outside the image: 1") != std::string::npos);
  CHECK(imported.out.find("invalid JSON at line 1, column 3: syntax error") != std::string::npos);
  CHECK(imported.out.find("1 data unit(s) have no prediction (e.g. img_3.jpg)") !=
        std::string::npos);
  CHECK(imported.out.find("Classes never predicted: person, dog") != std::string::npos);
  const json listed = sets(project);
  CHECK(listed[0]["predictions"] == 2);
  CHECK(listed[0]["skipped"] == 4);
}

TEST_CASE("predictions on a video carry their frame") {
  const ea::test::TempDir dir;
  fs::create_directories(dir / "media");
  ea::test::write_clip(dir / "media" / "clip.avi", 5);
  const auto media_project = ea::test::init_media_project(
      dir.path(), dir / "media",
      R"({"objects":[{"name":"Person","shape":"bounding_box","feature_hash":"personbb"}]})");
  const std::string project = media_project.root.string();
  const std::string hash = media_project.first_hash;
  std::string text;
  for (int frame = 0; frame < 5; ++frame) {
    text +=
        fmt::format(
            R"({{"data_hash":"{}","frame":{},"confidence":0.5,"object":{{"feature_hash":"personbb","format":"bounding-box","data":{{"x":0.1,"y":0.1,"w":0.5,"h":0.5}}}}}})",
            hash, frame) +
        "\n";
  }
  ea::test::write_file(dir / "frames.jsonl", text);
  const auto imported =
      ea::test::ea({"-t", project, "import", "predictions", (dir / "frames.jsonl").string()});
  REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
  const std::string digest = ea::test::store_digest(dir / "p" / "ea.db");
  for (int frame = 0; frame < 5; ++frame) {
    CHECK(digest.find(fmt::format("|1|1|{}|bounding_box|", frame)) != std::string::npos);
  }
}

TEST_CASE("a plugin's own options are offered after --format, typed, and unknown ones refused") {
  const CliProject project;
  const std::string plugin =
      (ea::test::fixture_plugin_dir() / "ea_plugin_fixture_good.so").string();
  const auto file =
      project.file("boxes.fixture", project.hash(0) + " personbb 10 20 30 40 0.25\n" +
                                        project.hash(1) + " personbb 0 0 256 256 0.5\n");

  const auto help = project.ea({"--plugin", plugin, "import", "--format", "fixture", "--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("--scale") != std::string::npos);
  CHECK(help.out.find("Multiply every confidence by this") != std::string::npos);

  const auto imported = project.ea(
      {"--plugin", plugin, "import", "--format", "fixture", "--scale", "2", file.string()});
  REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
  const std::string digest = project.digest();
  CHECK(digest.find("|bounding_box|1|NULL|0.5|10.0|20.0|30.0|40.0|") != std::string::npos);
  CHECK(digest.find("|bounding_box|1|NULL|1.0|0.0|0.0|256.0|256.0|") != std::string::npos);

  const std::string before = project.digest();
  const auto typed = project.ea({"--plugin", plugin, "import", "--format", "fixture", "--scale",
                                 "two", "--name", "x", file.string()});
  CHECK(typed.exit_code != 0);
  CHECK(typed.err.find("--scale") != std::string::npos);
  const auto unknown = project.ea({"--plugin", plugin, "import", "--format", "fixture", "--bogus",
                                   "1", "--name", "y", file.string()});
  CHECK(unknown.exit_code != 0);
  CHECK(unknown.err.find("--bogus") != std::string::npos);
  CHECK(unknown.err.find("--scale, --limit, --tag, --strict") != std::string::npos);
  CHECK(project.digest() == before);
}
