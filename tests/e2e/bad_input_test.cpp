// SPDX-License-Identifier: Apache-2.0
// Every kind of bad input: one sentence on stderr naming the file, the record and the reason, a
// non-zero exit code, and the store exactly as it was.
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli_fixture.hpp"

using ea::test::box_record;
using ea::test::CliProject;

namespace {

struct BadImport {
  std::string file_name;
  std::string content;
  std::vector<std::string> expected;  // parts of the error sentence
};

// A project holding one earlier set, so "unchanged" covers existing data too.
void check_refused(const CliProject& project, const BadImport& bad,
                   const std::vector<std::string>& extra_arguments = {}) {
  CAPTURE(bad.file_name);
  const std::string before = project.digest();
  const auto file = project.file(bad.file_name, bad.content);
  std::vector<std::string> arguments{"import", "predictions", "--name", "bad"};
  arguments.insert(arguments.end(), extra_arguments.begin(), extra_arguments.end());
  arguments.push_back(file.string());
  const auto result = project.ea(arguments);
  CHECK(result.exit_code != 0);
  CHECK(ea::test::line_count(result.err) == 1);
  CHECK(result.err.rfind("error: ", 0) == 0);
  for (const auto& part : bad.expected) {
    CAPTURE(result.err);
    CHECK(result.err.find(part) != std::string::npos);
  }
  CHECK(project.digest() == before);
}

std::string record(const std::string& fields) {
  return "{" + fields + "}\n";
}

}  // namespace

TEST_CASE("bad native input is refused whole, with file, record and reason") {
  const CliProject project;
  REQUIRE(
      project
          .ea({"import", "predictions", "--name", "earlier",
               project.file("earlier.jsonl", box_record(project.hash(0), 0.1, 0.1, 0.1, 0.1) + "\n")
                   .string()})
          .exit_code == 0);
  const std::string h = project.hash(0);
  const std::string good = box_record(h, 0.1, 0.1, 0.2, 0.2) + "\n";
  const std::string object =
      R"("object":{"feature_hash":"personbb","format":"bounding-box","data":{"x":0.1,"y":0.1,"w":0.2,"h":0.2}})";

  SUBCASE("empty file") {
    check_refused(project, {"empty.jsonl", "", {"empty.jsonl", "the file is empty"}});
  }
  SUBCASE("blank file") {
    check_refused(project, {"blank.jsonl", "\n  \n", {"blank.jsonl", "the file is empty"}});
  }
  SUBCASE("invalid JSON Lines names the line and column") {
    check_refused(project, {"broken.jsonl",
                            good + R"({"data_hash": "x", "confidence": })" + "\n",
                            {"broken.jsonl, line 2: invalid JSON at line 1, column"}});
  }
  SUBCASE("invalid JSON array names the line and column") {
    check_refused(project, {"broken.json",
                            "[\n" + box_record(h, 0.1, 0.1, 0.2, 0.2) + ",\n{\"data_hash\": }\n]",
                            {"broken.json: invalid JSON at line 3, column"}});
  }
  SUBCASE("truncated JSON array") {
    check_refused(project, {"truncated.json",
                            "[\n" + box_record(h, 0.1, 0.1, 0.2, 0.2) + ",\n{\"data_",
                            {"truncated.json: invalid JSON at line 3"}});
  }
  SUBCASE("unknown data_hash") {
    check_refused(project,
                  {"hash.jsonl",
                   good + box_record("ffff-not-here", 0.1, 0.1, 0.1, 0.1) + "\n",
                   {"hash.jsonl, line 2: data_hash \"ffff-not-here\" is not a data unit"}});
  }
  SUBCASE("unknown feature_hash") {
    check_refused(
        project,
        {"feature.jsonl",
         record(
             R"("data_hash":")" + h +
             R"(","confidence":0.5,"object":{"feature_hash":"nope","format":"bounding-box","data":{"x":0.1,"y":0.1,"w":0.2,"h":0.2}})"),
         {"feature.jsonl, line 1: feature_hash \"nope\" is not an object"}});
  }
  SUBCASE("frame out of range for an image") {
    check_refused(project,
                  {"frame.jsonl",
                   record(R"("data_hash":")" + h + R"(","frame":3,"confidence":0.5,)" + object),
                   {"frame.jsonl, line 1: frame 3 is out of range for the image \"img_1.jpg\""}});
  }
  SUBCASE("NaN confidence, as Python writes it") {
    check_refused(project,
                  {"nan.jsonl",
                   record(R"("data_hash":")" + h + R"(","confidence":NaN,)" + object),
                   {"nan.jsonl, line 1: the confidence nan is not a finite, non-negative number"}});
  }
  SUBCASE("infinite confidence") {
    check_refused(project, {"inf.jsonl",
                            record(R"("data_hash":")" + h + R"(","confidence":Infinity,)" + object),
                            {"inf.jsonl, line 1: the confidence inf"}});
  }
  SUBCASE("negative confidence") {
    check_refused(project, {"negative.jsonl",
                            record(R"("data_hash":")" + h + R"(","confidence":-0.5,)" + object),
                            {"negative.jsonl, line 1: the confidence -0.5"}});
  }
  SUBCASE("box outside [0,1] beyond 1e-6") {
    check_refused(project, {"outside.jsonl",
                            box_record(h, 0.5, 0.5, 0.5 + 2e-6, 0.1) + "\n",
                            {"outside.jsonl, line 1: the box extends past the image edge (x + w"}});
  }
  SUBCASE("a relative box whose values are obviously pixels") {
    check_refused(project, {"pixels.jsonl",
                            box_record(h, 12, 40, 100, 80) + "\n",
                            {"pixels.jsonl, line 1:", "which look like pixels"}});
  }
  SUBCASE("mask RLE whose size is not the image's") {
    check_refused(
        project,
        {"mask.jsonl",
         record(
             R"("data_hash":")" + h +
             R"(","confidence":0.5,"object":{"feature_hash":"dogmask1","format":"mask","data":{"size":[2,2],"counts":"04"}})"),
         {"mask.jsonl, line 1: the mask is 2×2 (height × width) but the image \"img_1.jpg\" is "
          "256×256"}});
  }
  SUBCASE("mask RLE whose counts do not fill its size") {
    check_refused(
        project,
        {"counts.jsonl",
         record(
             R"("data_hash":")" + h +
             R"(","confidence":0.5,"object":{"feature_hash":"dogmask1","format":"mask","data":{"size":[256,256],"counts":[5,5]}})"),
         {"counts.jsonl, line 1: the mask's runs cover 10 pixels"}});
  }
  SUBCASE("both object and classification") {
    check_refused(
        project,
        {"both.jsonl",
         record(
             R"("data_hash":")" + h + R"(","confidence":0.5,)" + object +
             R"(,"classification":{"feature_hash":"weather1","attribute_hash":"weathatt","option_hash":"optsunny"})"),
         {"both.jsonl, line 1: a record needs exactly one of \"object\" and \"classification\", "
          "not both"}});
  }
  SUBCASE("neither object nor classification") {
    check_refused(project, {"neither.jsonl",
                            record(R"("data_hash":")" + h + R"(","confidence":0.5)"),
                            {"neither.jsonl, line 1:", "and has neither"}});
  }
  SUBCASE("array records are named by index") {
    check_refused(project, {"array.json",
                            "[" + box_record(h, 0.1, 0.1, 0.1, 0.1) + "," +
                                box_record("zz", 0.1, 0.1, 0.1, 0.1) + "]",
                            {"array.json, index 1: data_hash \"zz\""}});
  }
  SUBCASE("an unknown --format") {
    check_refused(
        project,
        {"fine.jsonl", good, {"unknown format 'kitty'", "the formats available are", "native"}},
        {"--format", "kitty"});
  }
}

TEST_CASE("a video prediction without a frame, or past the last frame, is refused") {
  const ea::test::TempDir dir;
  std::filesystem::create_directories(dir / "media");
  ea::test::write_clip(dir / "media" / "clip.avi", 3);
  const auto media_project = ea::test::init_media_project(
      dir.path(), dir / "media",
      R"({"objects":[{"name":"Person","shape":"bounding_box","feature_hash":"personbb"}]})");
  const std::string project = media_project.root.string();
  const std::string hash = media_project.first_hash;
  const std::string before = ea::test::store_digest(dir / "p" / "ea.db");
  const std::string object =
      R"("object":{"feature_hash":"personbb","format":"bounding-box","data":{"x":0.1,"y":0.1,"w":0.2,"h":0.2}})";

  ea::test::write_file(dir / "no_frame.jsonl",
                       record(R"("data_hash":")" + hash + R"(","confidence":0.5,)" + object));
  const auto no_frame =
      ea::test::ea({"-t", project, "import", "predictions", (dir / "no_frame.jsonl").string()});
  CHECK(no_frame.exit_code != 0);
  CHECK(ea::test::line_count(no_frame.err) == 1);
  CHECK(no_frame.err.find(
            "no_frame.jsonl, line 1: a record on the video \"clip.avi\" needs a frame number") !=
        std::string::npos);

  ea::test::write_file(dir / "late.jsonl", record(R"("data_hash":")" + hash +
                                                  R"(","frame":3,"confidence":0.5,)" + object));
  const auto late =
      ea::test::ea({"-t", project, "import", "predictions", (dir / "late.jsonl").string()});
  CHECK(late.exit_code != 0);
  CHECK(late.err.find("late.jsonl, line 1: frame 3 is out of range for the video \"clip.avi\" "
                      "(frames 0 to 2)") != std::string::npos);
  CHECK(ea::test::store_digest(dir / "p" / "ea.db") == before);
}

TEST_CASE("missing files, folders and non-projects are refused with one sentence") {
  const CliProject project;
  const std::string before = project.digest();
  const auto missing =
      project.ea({"import", "predictions", (project.scratch() / "absent.jsonl").string()});
  CHECK(missing.exit_code != 0);
  CHECK(ea::test::line_count(missing.err) == 1);
  CHECK(missing.err.find("absent.jsonl does not exist") != std::string::npos);

  const auto folder = project.ea({"import", "--format", "native", project.scratch().string()});
  CHECK(folder.exit_code != 0);
  CHECK(ea::test::line_count(folder.err) == 1);
  CHECK(folder.err.find("is a folder") != std::string::npos);
  CHECK(project.digest() == before);

  const ea::test::TempDir empty;
  const auto not_project = ea::test::ea({"-t", empty.path().string(), "predictions", "list"});
  CHECK(not_project.exit_code != 0);
  CHECK(ea::test::line_count(not_project.err) == 1);
  CHECK(not_project.err.find("is not an ea project (it has no ea.json)") != std::string::npos);
}
