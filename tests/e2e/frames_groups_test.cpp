// SPDX-License-Identifier: Apache-2.0
// Image groups (`ea init --groups`) and video frames named by COCO files: images written as
// "<video>__<frame>", or a "frame" field on annotations and results.
#include <doctest/doctest.h>

#include <string>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli_fixture.hpp"

namespace fs = std::filesystem;

namespace ea::test {
namespace {

constexpr const char* kCar =
    R"({"objects":[{"name":"car","shape":"bounding_box","feature_hash":"carbox01"}]})";

// A COCO ground truth with box A (x 6) on even frames of clip.avi and box B (x 38) on odd ones,
// and one category "car" (id 3). Each frame is an image "clip.avi__<frame>" (ids 100 + frame), or
// with `frame_field` the video is one image (id 1) and annotations say their "frame".
std::string frame_ground_truth(bool frame_field) {
  std::string images, annotations;
  if (frame_field)
    images = R"({"id":1,"file_name":"clip.avi","width":64,"height":48})";
  for (int frame = 0; frame < 6; ++frame) {
    const char* comma = frame == 0 ? "" : ",";
    if (!frame_field) {
      images += fmt::format(R"({}{{"id":{},"file_name":"clip.avi__{}","width":64,"height":48}})",
                            comma, 100 + frame, frame);
    }
    annotations += fmt::format(
        R"({}{{"id":{},"image_id":{},"category_id":3,"bbox":[{},5,19,14],"area":266,"iscrowd":0{}}})",
        comma, frame + 1, frame_field ? 1 : 100 + frame, frame % 2 == 0 ? 6 : 38,
        frame_field ? fmt::format(R"(,"frame":{})", frame) : std::string());
  }
  return fmt::format(
      R"({{"images":[{}],"categories":[{{"id":3,"name":"car"}}],"annotations":[{}]}})", images,
      annotations);
}

// Box A on every frame at one score: frames 0, 2, 4 hit, 1, 3, 5 miss.
std::string frame_results(bool frame_field) {
  std::string results;
  for (int frame = 0; frame < 6; ++frame) {
    results +=
        fmt::format(R"({}{{"image_id":{},"category_id":3,"bbox":[6,5,19,14],"score":0.9{}}})",
                    frame == 0 ? "" : ",", frame_field ? 1 : 100 + frame,
                    frame_field ? fmt::format(R"(,"frame":{})", frame) : std::string());
  }
  return "[" + results + "]";
}

// TP FP TP FP TP FP over 6 labels: precision 1 to recall 1/6, 2/3 to 2/6, 3/5 to 3/6.
constexpr double kExpectedAp = (17 * 1.0 + 17 * 2.0 / 3 + 17 * 0.6) / 101;

void check_video_evaluation(bool frame_field) {
  const TempDir dir;
  fs::create_directories(dir / "media");
  write_clip(dir / "media" / "clip.avi", 6);
  const auto project = init_media_project(dir.path(), dir / "media", kCar);
  const std::string root = project.root.string();
  write_file(dir / "gt.json", frame_ground_truth(frame_field));
  write_file(dir / "results.json", frame_results(frame_field));
  const auto gt =
      ea({"-t", root, "import", "project", "--format", "coco", (dir / "gt.json").string()});
  REQUIRE_MESSAGE(gt.exit_code == 0, gt.err);
  CHECK(gt.out.find("0 data unit(s)") != std::string::npos);
  CHECK(gt.out.find("6 label(s)") != std::string::npos);
  const auto results = ea(
      {"-t", root, "import", "--format", "coco", (dir / "results.json").string(), "--name", "r"});
  REQUIRE_MESSAGE(results.exit_code == 0, results.err);
  // The metrics after the import decode the video's frames in order, each once.
  CHECK(results.out.find("on 6 frame(s)") != std::string::npos);
  CHECK(results.out.find("no readable image") == std::string::npos);
  SQLite::Database store((project.root / "ea.db").string(), SQLite::OPEN_READONLY);
  CHECK(store.execAndGet("SELECT count(*) FROM prediction_metrics WHERE metric = 'brightness'")
            .getInt() == 6);
  const auto evaluated = ea({"-t", root, "evaluate", "--json"});
  REQUIRE_MESSAGE(evaluated.exit_code == 0, evaluated.err);
  const auto stats = nlohmann::json::parse(evaluated.out)["stats"];
  CHECK(stats[1].get<double>() == doctest::Approx(kExpectedAp).epsilon(1e-12));

  // Export names each frame as the ground truth did.
  const auto exported = ea(
      {"-t", root, "predictions", "export", "r", "--format", "coco", (dir / "out.json").string()});
  REQUIRE_MESSAGE(exported.exit_code == 0, exported.err);
  const auto out = nlohmann::json::parse(read_file(dir / "out.json"));
  REQUIRE(out.size() == 6);
  if (frame_field) {
    CHECK(out[3]["image_id"] == 1);
    CHECK(out[3]["frame"] == 3);
  } else {
    CHECK(out[3]["image_id"] == 103);
    CHECK_FALSE(out[3].contains("frame"));
  }
}

}  // namespace

TEST_CASE("COCO images named <video>__<frame> are frames of the project's video") {
  check_video_evaluation(false);
}

TEST_CASE("a \"frame\" field on COCO annotations and results names a frame of a video") {
  check_video_evaluation(true);
}

TEST_CASE("a COCO result on a video without a frame, or past its end, changes nothing") {
  const TempDir dir;
  fs::create_directories(dir / "media");
  write_clip(dir / "media" / "clip.avi", 6);
  const auto project = init_media_project(dir.path(), dir / "media", kCar);
  const std::string root = project.root.string();
  write_file(dir / "gt.json", frame_ground_truth(true));
  REQUIRE(ea({"-t", root, "import", "project", "--format", "coco", (dir / "gt.json").string()})
              .exit_code == 0);
  const std::string before = store_digest(project.root / "ea.db");
  write_file(dir / "no_frame.json",
             R"([{"image_id":1,"category_id":3,"bbox":[6,5,19,14],"score":0.9}])");
  const auto no_frame =
      ea({"-t", root, "import", "--format", "coco", (dir / "no_frame.json").string()});
  CHECK(no_frame.exit_code != 0);
  CHECK(no_frame.err.find("index 0: a record on the video \"clip.avi\" needs a frame number") !=
        std::string::npos);
  write_file(dir / "late.json",
             R"([{"image_id":1,"frame":6,"category_id":3,"bbox":[6,5,19,14],"score":0.9}])");
  const auto late = ea({"-t", root, "import", "--format", "coco", (dir / "late.json").string()});
  CHECK(late.exit_code != 0);
  CHECK(late.err.find("frame 6 is out of range for the video \"clip.avi\"") != std::string::npos);
  CHECK(store_digest(project.root / "ea.db") == before);
}

TEST_CASE("ea init --groups makes each sub-folder an image group of separate data units") {
  const TempDir dir;
  for (const char* folder : {"media/seqA", "media/seqB"})
    fs::create_directories(dir / folder);
  const auto image = data_dir() / "images" / "img_1.jpg";
  fs::copy_file(image, dir / "media" / "seqA" / "0002.jpg");
  fs::copy_file(image, dir / "media" / "seqA" / "0001.jpg");
  fs::copy_file(image, dir / "media" / "seqB" / "a.jpg");
  fs::copy_file(image, dir / "media" / "top.jpg");
  write_file(dir / "ontology.json", kCar);
  const std::string root = (dir / "p").string();
  const auto init = ea({"-t", root, "init", "--images", (dir / "media").string(), "--ontology",
                        (dir / "ontology.json").string(), "--groups"});
  REQUIRE_MESSAGE(init.exit_code == 0, init.err);
  CHECK(init.out.find("4 image(s) (2 image group(s))") != std::string::npos);
  const auto groups = nlohmann::json::parse(ea({"-t", root, "print", "groups"}).out);
  REQUIRE(groups.size() == 2);
  REQUIRE(groups["seqA"].size() == 2);
  CHECK(groups["seqA"][0]["title"] == "seqA/0001.jpg");
  CHECK(groups["seqA"][1]["title"] == "seqA/0002.jpg");
  CHECK(groups["seqB"][0]["title"] == "seqB/a.jpg");
  const std::string second = groups["seqA"][1]["data_hash"];
  CHECK(second != groups["seqA"][0]["data_hash"].get<std::string>());

  // Encord Active gives the second image of a group frame 1 (its place in the group); it is
  // accepted and stored as that image's frame 0. Any other frame is refused.
  const auto record = [&](int frame) {
    return fmt::format(
               R"({{"data_hash":"{}","frame":{},"confidence":0.5,"object":{{"feature_hash":)"
               R"("carbox01","format":"bounding-box","data":{{"x":0.1,"y":0.1,"w":0.2,"h":0.2}}}}}})",
               second, frame) +
           "\n";
  };
  write_file(dir / "bad.jsonl", record(2));
  const std::string before = store_digest(dir / "p" / "ea.db");
  const auto bad = ea({"-t", root, "import", "predictions", (dir / "bad.jsonl").string()});
  CHECK(bad.exit_code != 0);
  CHECK(bad.err.find("frame 2 is out of range for the image \"seqA/0002.jpg\"") !=
        std::string::npos);
  CHECK(store_digest(dir / "p" / "ea.db") == before);
  write_file(dir / "good.jsonl", record(1) + record(0));
  const auto good = ea({"-t", root, "import", "predictions", (dir / "good.jsonl").string()});
  REQUIRE_MESSAGE(good.exit_code == 0, good.err);
  CHECK(store_digest(dir / "p" / "ea.db").find("|1|2|0|bounding_box|") != std::string::npos);
}

}  // namespace ea::test
