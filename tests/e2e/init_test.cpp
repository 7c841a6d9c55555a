// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>

#include "cli_fixture.hpp"

namespace fs = std::filesystem;
using ea::test::CliProject;

TEST_CASE("init makes a data unit per image with its real size") {
  const CliProject project;
  CHECK(fs::is_regular_file(project.root() / "ea.json"));
  const auto units = project.ea({"print", "data-mapping"});
  REQUIRE(units.exit_code == 0);
  const auto mapping = nlohmann::ordered_json::parse(units.out);
  std::vector<std::string> titles;
  for (const auto& [hash, title] : mapping.items())
    titles.push_back(title.get<std::string>());
  CHECK(titles == std::vector<std::string>{"img_1.jpg", "img_2.jpg", "img_3.jpg"});
  const std::string digest = project.digest();
  CHECK(digest.find("|img_1.jpg|img_1.jpg|image|256|256|1|") != std::string::npos);
}

TEST_CASE("data hashes are stable: the same files give the same hashes") {
  const CliProject first, second;
  for (std::size_t i = 0; i < 3; ++i)
    CHECK(first.hash(i) == second.hash(i));
  const auto again =
      first.ea({"init", "--force", "--images", (ea::test::data_dir() / "images").string()});
  REQUIRE(again.exit_code == 0);
  const auto mapping = nlohmann::ordered_json::parse(first.ea({"print", "data-mapping"}).out);
  CHECK(mapping.begin().key() == first.hash(0));
}

TEST_CASE("a second init is refused unless --force, and leaves the project as it was") {
  const CliProject project;
  const std::string before = project.digest();
  const auto again = project.ea({"init", "--images", (ea::test::data_dir() / "images").string()});
  CHECK(again.exit_code != 0);
  CHECK(ea::test::line_count(again.err) == 1);
  CHECK(again.err.find("is already an ea project; pass --force") != std::string::npos);
  CHECK(project.digest() == before);
}

TEST_CASE("videos become one data unit with their frame count") {
  const ea::test::TempDir dir;
  fs::create_directories(dir / "media" / "clips");
  ea::test::write_clip(dir / "media" / "clips" / "clip.avi", 7);
  cv::imwrite((dir / "media" / "still.png").string(), cv::Mat(20, 30, CV_8UC1, cv::Scalar(9)));
  ea::test::write_file(dir / "media" / "notes.txt", "not media");
  const auto init =
      ea::test::ea({"-t", (dir / "p").string(), "init", "--images", (dir / "media").string()});
  REQUIRE(init.exit_code == 0);
  CHECK(init.out.find("1 image(s), 1 video(s)") != std::string::npos);
  const std::string digest = ea::test::store_digest(dir / "p" / "ea.db");
  CHECK(digest.find("|clips/clip.avi|clips/clip.avi|video|64|48|7|") != std::string::npos);
  CHECK(digest.find("|still.png|still.png|image|30|20|1|") != std::string::npos);
}

TEST_CASE("an unreadable image fails init, naming the file, and creates no project") {
  const ea::test::TempDir dir;
  fs::create_directories(dir / "media");
  fs::copy_file(ea::test::data_dir() / "images" / "img_1.jpg", dir / "media" / "good.jpg");
  ea::test::write_file(dir / "media" / "broken.jpg", "this is not a JPEG");
  const auto init =
      ea::test::ea({"-t", (dir / "p").string(), "init", "--images", (dir / "media").string()});
  CHECK(init.exit_code != 0);
  CHECK(ea::test::line_count(init.err) == 1);
  CHECK(init.err.find("broken.jpg") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "p" / "ea.json"));
  CHECK_FALSE(fs::exists(dir / "p" / "ea.db"));
}

TEST_CASE("an ontology file with a bad entry fails init, naming the entry") {
  const ea::test::TempDir dir;
  ea::test::write_file(dir / "ontology.json", R"({"objects":[{"name":"car","shape":"circle"}]})");
  const auto init = ea::test::ea(
      {"-t", (dir / "p").string(), "init", "--ontology", (dir / "ontology.json").string()});
  CHECK(init.exit_code != 0);
  CHECK(ea::test::line_count(init.err) == 1);
  CHECK(init.err.find("objects[0] has the shape \"circle\"") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "p" / "ea.db"));
}

TEST_CASE("missing ontology hashes are derived from names: 8 characters, stable") {
  const ea::test::TempDir dir;
  ea::test::write_file(
      dir / "ontology.json",
      R"({"objects":[{"name":"car","shape":"bounding_box"},{"name":"car","shape":"polygon"}]})");
  for (const char* name : {"a", "b"}) {
    REQUIRE(ea::test::ea({"-t", (dir / name).string(), "init", "--ontology",
                          (dir / "ontology.json").string()})
                .exit_code == 0);
  }
  const auto a =
      nlohmann::json::parse(ea::test::ea({"-t", (dir / "a").string(), "print", "ontology"}).out);
  const auto b =
      nlohmann::json::parse(ea::test::ea({"-t", (dir / "b").string(), "print", "ontology"}).out);
  CHECK(a == b);
  const auto box_hash = a["objects"]["car (bounding_box)"].get<std::string>();
  const auto polygon_hash = a["objects"]["car (polygon)"].get<std::string>();
  CHECK(box_hash.size() == 8);
  CHECK(box_hash != polygon_hash);
}
