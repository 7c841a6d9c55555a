// SPDX-License-Identifier: Apache-2.0
// Frame classification evaluation on a hand-checked project, and object evaluation on the frames
// of a real video made here with OpenCV.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "cli_fixture.hpp"

namespace fs = std::filesystem;

namespace ea::test {
namespace {

constexpr const char* kTimeOfDay = R"({"objects": [], "classifications": [
  {"name": "time of day", "feature_hash": "tod00001", "attribute_hash": "todattr1",
   "options": [{"name": "day", "option_hash": "optday01"}, {"name": "night",
                "option_hash": "optnight"}, {"name": "dusk", "option_hash": "optdusk1"}]}]})";

std::string answer(const std::string& data_hash, const std::string& option,
                   std::optional<double> confidence = std::nullopt) {
  const std::string score =
      confidence ? fmt::format(R"("confidence":{},)", *confidence) : std::string();
  return fmt::format(R"({{"data_hash":"{}",{}"classification":{{"feature_hash":"tod00001",)"
                     R"("attribute_hash":"todattr1","option_hash":"{}"}}}})",
                     data_hash, score, option) +
         "\n";
}

// Eight images img0 … img7 and their data hashes by title.
struct ClassificationProject {
  TempDir dir;
  fs::path root = dir / "p";
  std::map<std::string, std::string> hash;

  ClassificationProject() {
    fs::create_directories(dir / "media");
    for (int i = 0; i < 8; ++i)
      cv::imwrite((dir / "media" / fmt::format("img{}.png", i)).string(),
                  cv::Mat(24, 32, CV_8UC3, cv::Scalar(i * 30, 0, 0)));
    init_media_project(dir.path(), dir / "media", kTimeOfDay);
    const auto mapping =
        nlohmann::json::parse(ea({"-t", root.string(), "print", "data-mapping"}).out);
    for (const auto& [data_hash, title] : mapping.items())
      hash[title.get<std::string>().substr(0, 4)] = data_hash;
  }
  CommandResult run(const std::vector<std::string>& arguments) const {
    std::vector<std::string> all{"-t", root.string()};
    all.insert(all.end(), arguments.begin(), arguments.end());
    return ea(all);
  }
};

// Imports native labels and predictions into the project at `root`.
void import_native(const std::string& root, const fs::path& labels, const fs::path& predictions) {
  REQUIRE(ea({"-t", root, "import", "project", "--format", "native", labels.string()}).exit_code ==
          0);
  REQUIRE(ea({"-t", root, "import", "predictions", predictions.string()}).exit_code == 0);
}

}  // namespace

TEST_CASE("a classification set evaluates to the hand-counted accuracy and confusion matrix") {
  const ClassificationProject project;
  const auto& h = project.hash;
  // Labels: img0-2 day, img3-4 night, img5-6 dusk, img7 unlabelled.
  std::string labels;
  for (const auto& [image, option] :
       std::vector<std::pair<std::string, std::string>>{{"img0", "optday01"},
                                                        {"img1", "optday01"},
                                                        {"img2", "optday01"},
                                                        {"img3", "optnight"},
                                                        {"img4", "optnight"},
                                                        {"img5", "optdusk1"},
                                                        {"img6", "optdusk1"}})
    labels += answer(h.at(image), option);
  write_file(project.dir / "labels.jsonl", labels);
  const auto imported = project.run(
      {"import", "project", "--format", "native", (project.dir / "labels.jsonl").string()});
  REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);

  // img0 day (right); img1 night 0.6 over day 0.55 (wrong); img2 nothing; img3 night (right);
  // img4 day and night tie at 0.7, the first in the file wins (day: wrong); img5 dusk at 0.4
  // (right, unless --score 0.5); img6 dusk (right); img7 has no label.
  const std::string predictions =
      answer(h.at("img0"), "optday01", 0.9) + answer(h.at("img1"), "optnight", 0.6) +
      answer(h.at("img1"), "optday01", 0.55) + answer(h.at("img3"), "optnight", 0.8) +
      answer(h.at("img4"), "optday01", 0.7) + answer(h.at("img4"), "optnight", 0.7) +
      answer(h.at("img5"), "optdusk1", 0.4) + answer(h.at("img6"), "optdusk1", 0.95) +
      answer(h.at("img7"), "optday01", 0.9);
  write_file(project.dir / "predictions.jsonl", predictions);
  REQUIRE(project
              .run({"import", "predictions", (project.dir / "predictions.jsonl").string(), "--name",
                    "tod"})
              .exit_code == 0);

  const auto evaluated =
      project.run({"evaluate", "--json", "--out", (project.dir / "out").string()});
  REQUIRE_MESSAGE(evaluated.exit_code == 0, evaluated.err);
  const auto result = nlohmann::json::parse(evaluated.out);
  const auto& q = result["questions"]["time of day"];
  CHECK(q["frames"] == 7);
  CHECK(q["correct"] == 4);
  CHECK(q["accuracy"].get<double>() == doctest::Approx(4.0 / 7).epsilon(1e-12));
  CHECK(q["unlabelled_frames"] == 1);
  const nlohmann::json expected_counts = {{1, 1, 0, 1}, {1, 1, 0, 0}, {0, 0, 2, 0}};
  CHECK(q["confusion_matrix"]["counts"] == expected_counts);
  CHECK(q["per_option"]["day"]["precision"].get<double>() == doctest::Approx(0.5));
  CHECK(q["per_option"]["day"]["recall"].get<double>() == doctest::Approx(1.0 / 3));
  CHECK(q["per_option"]["day"]["f1"].get<double>() == doctest::Approx(0.4));
  CHECK(q["per_option"]["night"]["f1"].get<double>() == doctest::Approx(0.5));
  CHECK(q["per_option"]["dusk"]["f1"].get<double>() == doctest::Approx(1.0));
  CHECK(q["macro"]["recall"].get<double>() == doctest::Approx(11.0 / 18));
  CHECK(fs::file_size(project.dir / "out" / "classification_confusion_time_of_day.png") > 1000);

  const auto at_half =
      nlohmann::json::parse(project.run({"evaluate", "--json", "--score", "0.5"}).out);
  CHECK(at_half["questions"]["time of day"]["correct"] == 3);
  CHECK(at_half["questions"]["time of day"]["confusion_matrix"]["counts"][2] ==
        nlohmann::json{0, 0, 1, 1});

  const auto printed = project.run({"evaluate"});
  CHECK(printed.out.find("accuracy 0.571 (4 of 7 labelled frames); 1 frame(s) with predictions "
                         "but no label left out") != std::string::npos);
}

TEST_CASE("a classification set in a project without classification labels is a clear error") {
  const ClassificationProject project;
  write_file(project.dir / "p.jsonl", answer(project.hash.at("img0"), "optday01", 0.9));
  REQUIRE(project.run({"import", "predictions", (project.dir / "p.jsonl").string()}).exit_code ==
          0);
  const std::string before = store_digest(project.root / "ea.db");
  const auto result = project.run({"evaluate"});
  CHECK(result.exit_code != 0);
  CHECK(result.err.find("the project has no classification labels to evaluate the set") !=
        std::string::npos);
  CHECK(store_digest(project.root / "ea.db") == before);
}

TEST_CASE("a set of objects and classifications gets both evaluations") {
  const TempDir dir;
  fs::create_directories(dir / "media");
  cv::imwrite((dir / "media" / "a.png").string(), cv::Mat(24, 32, CV_8UC3, cv::Scalar(9, 9, 9)));
  std::string ontology = kTimeOfDay;
  ontology.replace(
      ontology.find(R"("objects": [])"), std::string_view(R"("objects": [])").size(),
      R"("objects": [{"name":"car","shape":"bounding_box","feature_hash":"carbox01"}])");
  const auto project = init_media_project(dir.path(), dir / "media", ontology);
  const std::string root = project.root.string();
  const auto car = [&](std::optional<double> confidence) {
    const std::string score =
        confidence ? fmt::format(R"("confidence":{},)", *confidence) : std::string();
    return fmt::format(R"({{"data_hash":"{}",{}"object":{{"feature_hash":"carbox01",)"
                       R"("format":"bounding-box","data":{{"x":0.1,"y":0.1,"w":0.5,"h":0.5}}}}}})",
                       project.first_hash, score) +
           "\n";
  };
  write_file(dir / "labels.jsonl", car(std::nullopt) + answer(project.first_hash, "optnight"));
  write_file(dir / "predictions.jsonl", car(0.9) + answer(project.first_hash, "optday01", 0.8));
  import_native(root, dir / "labels.jsonl", dir / "predictions.jsonl");
  const auto evaluated = ea({"-t", root, "evaluate", "--json"});
  REQUIRE_MESSAGE(evaluated.exit_code == 0, evaluated.err);
  const auto result = nlohmann::json::parse(evaluated.out);
  CHECK(result["stats"][1].get<double>() == doctest::Approx(1.0));
  CHECK(result["classification"]["questions"]["time of day"]["correct"] == 0);
  CHECK(result["classification"]["questions"]["time of day"]["confusion_matrix"]["counts"][1] ==
        nlohmann::json{1, 0, 0, 0});
  const auto printed = ea({"-t", root, "evaluate"});
  CHECK(printed.out.find("Average Precision") != std::string::npos);
  CHECK(printed.out.find("Classification 'time of day': accuracy 0.000") != std::string::npos);
}

TEST_CASE("objects on the frames of a video are matched frame by frame") {
  const TempDir dir;
  fs::create_directories(dir / "media");
  write_clip(dir / "media" / "clip.avi", 6);
  const auto project = init_media_project(
      dir.path(), dir / "media",
      R"({"objects":[{"name":"car","shape":"bounding_box","feature_hash":"carbox01"}]})");
  const auto box = [&](int frame, double x, std::optional<double> confidence) {
    const std::string score =
        confidence ? fmt::format(R"("confidence":{},)", *confidence) : std::string();
    return fmt::format(R"({{"data_hash":"{}","frame":{},{}"object":{{"feature_hash":"carbox01",)"
                       R"("format":"bounding-box","data":{{"x":{},"y":0.1,"w":0.3,"h":0.3}}}}}})",
                       project.first_hash, frame, score, x) +
           "\n";
  };
  // Labels: box A (x 0.1) on even frames, box B (x 0.6) on odd ones. Predictions: A on every
  // frame, all at one score: frames 0, 2, 4 are hits, 1, 3, 5 misses.
  std::string labels, predictions;
  for (int frame = 0; frame < 6; ++frame) {
    labels += box(frame, frame % 2 == 0 ? 0.1 : 0.6, std::nullopt);
    predictions += box(frame, 0.1, 0.9);
  }
  write_file(dir / "labels.jsonl", labels);
  write_file(dir / "predictions.jsonl", predictions);
  const std::string root = project.root.string();
  import_native(root, dir / "labels.jsonl", dir / "predictions.jsonl");
  const auto evaluated = ea({"-t", root, "evaluate", "--json"});
  REQUIRE_MESSAGE(evaluated.exit_code == 0, evaluated.err);
  const auto stats = nlohmann::json::parse(evaluated.out)["stats"];
  // Ties keep frame order: TP FP TP FP TP FP over 6 labels. The interpolated precision is 1 up
  // to recall 1/6, 2/3 up to 2/6 and 3/5 up to 3/6: 17 of the 101 recall points each.
  const double ap = (17 * 1.0 + 17 * 2.0 / 3 + 17 * 0.6) / 101;
  CHECK(stats[0].get<double>() == doctest::Approx(ap).epsilon(1e-12));
  CHECK(stats[1].get<double>() == doctest::Approx(ap).epsilon(1e-12));

  // A label on a video needs its frame, and the frame must exist.
  const std::string before = store_digest(project.root / "ea.db");
  write_file(
      dir / "no_frame.jsonl",
      fmt::format(R"({{"data_hash":"{}","object":{{"feature_hash":"carbox01",)"
                  R"("format":"bounding-box","data":{{"x":0.1,"y":0.1,"w":0.3,"h":0.3}}}}}})",
                  project.first_hash) +
          "\n");
  const auto no_frame = ea(
      {"-t", root, "import", "project", "--format", "native", (dir / "no_frame.jsonl").string()});
  CHECK(no_frame.exit_code != 0);
  CHECK(no_frame.err.find("line 1: a record on the video \"clip.avi\"") != std::string::npos);
  CHECK(no_frame.err.find("needs a frame number") != std::string::npos);
  write_file(dir / "late.jsonl", box(6, 0.1, std::nullopt));
  const auto late =
      ea({"-t", root, "import", "project", "--format", "native", (dir / "late.jsonl").string()});
  CHECK(late.exit_code != 0);
  CHECK(late.err.find("frame 6 is out of range for the video \"clip.avi\" (frames 0 to 5)") !=
        std::string::npos);
  CHECK(store_digest(project.root / "ea.db") == before);
}

}  // namespace ea::test
