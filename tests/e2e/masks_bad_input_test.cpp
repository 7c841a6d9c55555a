// SPDX-License-Identifier: Apache-2.0
// Bad mask input is refused with one sentence naming the file and the reason, and the store is
// left exactly as it was.
#include <doctest/doctest.h>

#include <functional>
#include <string>

#include <opencv2/imgcodecs.hpp>

#include "masks_fixture.hpp"

namespace fs = std::filesystem;

namespace ea::test {

TEST_CASE("bad mask input is refused with its file and reason, and the store is unchanged") {
  const PanopticProject project;
  const std::string before = project.digest();
  const fs::path folder = project.dir / "bad";
  const fs::path png = folder / "000000142238.png";
  write_file(project.dir / "map.json", R"({"1": "person"})");
  write_file(project.dir / "instances.json", R"({"142238": {"1": "person"}})");
  const std::string class_map = (project.dir / "map.json").string();
  const std::string labelmap = read_file(data_dir() / "masks" / "labelmap" / "142238.png");
  const cv::Mat person = [] {
    cv::Mat mask = cv::Mat::zeros(427, 640, CV_8UC1);
    mask(cv::Rect(1, 1, 10, 10)).setTo(1);
    return mask;
  }();

  struct Case {
    std::string name;
    std::function<void()> write;  // fills the folder
    std::vector<std::string> options;
    std::string sentence;
  };
  const std::vector<std::string> as_classes{"--class-map", class_map};
  const std::vector<std::string> as_labels{"--encoding", "label-map", "--instances",
                                           (project.dir / "instances.json").string()};
  const std::vector<Case> cases{
      {"corrupt",
       [&] {
         write_file(png, labelmap.substr(0, 2000) + std::string(8, 'x') + labelmap.substr(2008));
       },
       as_classes, "000000142238.png: it is a corrupt PNG (the checksum of chunk 1, IDAT"},
      {"truncated", [&] { write_file(png, labelmap.substr(0, labelmap.size() / 2)); }, as_classes,
       "000000142238.png: it is a truncated PNG"},
      {"not an image", [&] { write_file(png, "not an image"); }, as_classes,
       "000000142238.png: it is not an image OpenCV can decode"},
      {"size", [&] { REQUIRE(cv::imwrite(png.string(), cv::Mat::zeros(100, 120, CV_8UC1))); },
       as_classes, "000000142238.png: it is 120×100 but data unit \"000000142238.jpg\" is 640×427"},
      {"rgb", [&] { REQUIRE(cv::imwrite(png.string(), cv::Mat::zeros(427, 640, CV_8UC3))); },
       as_classes,
       "000000142238.png: it is an RGB image, but class masks must be 8- or 16-bit gray or "
       "palette images"},
      {"value",
       [&] {
         cv::Mat mask = person.clone();
         mask(cv::Rect(50, 50, 5, 5)).setTo(7);
         REQUIRE(cv::imwrite(png.string(), mask));
       },
       as_classes, "000000142238.png: pixel value 7 is not in the class map"},
      {"no data unit", [&] { REQUIRE(cv::imwrite((folder / "other.png").string(), person)); },
       as_classes, "other.png matches no data unit"},
      {"empty", [] {}, as_classes, "the folder holds no mask images (.png)"},
      {"instances",
       [&] {
         cv::Mat mask = person.clone();
         mask(cv::Rect(50, 50, 5, 5)).setTo(2);
         REQUIRE(cv::imwrite((folder / "142238.png").string(), mask));
       },
       as_labels, "142238.png: instance id 2 is not in --instances"},
  };
  for (const Case& bad : cases) {
    CAPTURE(bad.name);
    fs::remove_all(folder);
    fs::create_directories(folder);
    bad.write();
    std::vector<std::string> arguments{"import", "--format", "masks", "--name", "bad"};
    arguments.insert(arguments.end(), bad.options.begin(), bad.options.end());
    arguments.push_back(folder.string());
    const CommandResult result = project.run(arguments);
    CHECK(result.exit_code != 0);
    CHECK_MESSAGE(result.err.find(bad.sentence) != std::string::npos, result.err);
    CHECK(line_count(result.err) == 1);
    CHECK(project.digest() == before);
  }
}

TEST_CASE("with --skip-invalid, unusable mask files are skipped and listed") {
  const PanopticProject project(false);
  const fs::path folder = project.dir / "masks";
  fs::create_directories(folder);
  cv::Mat mask = cv::Mat::zeros(427, 640, CV_8UC1);
  mask(cv::Rect(1, 1, 10, 10)).setTo(1);
  REQUIRE(cv::imwrite((folder / "000000142238.png").string(), mask));
  REQUIRE(cv::imwrite((folder / "unknown.png").string(), mask));
  write_file(folder / "000000439180.png", "broken");
  write_file(project.dir / "map.json", R"({"1": "person"})");
  const auto result = project.run({"import", "--format", "masks", "--skip-invalid", "--class-map",
                                   (project.dir / "map.json").string(), folder.string()});
  REQUIRE_MESSAGE(result.exit_code == 0, result.err);
  CHECK(result.out.find("1 prediction(s)") != std::string::npos);
  CHECK(result.out.find("unknown.png matches no data unit") != std::string::npos);
  CHECK(result.out.find("000000439180.png: it is not an image OpenCV can decode") !=
        std::string::npos);
}

}  // namespace ea::test
