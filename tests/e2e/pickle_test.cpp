// SPDX-License-Identifier: Apache-2.0
// Encord Active's `.pkl` prediction files through the native plugin's safe pickle reader: the
// fixtures of tests/data/pickles (written by tests/fixtures/pickles/make_pickles.py) import to
// exactly the rows their native JSON twins give, and hostile or invalid pickles change nothing.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "cli_fixture.hpp"

namespace fs = std::filesystem;

namespace ea::test {
namespace {

fs::path pickles() {
  return data_dir() / "pickles";
}

// Every stored column of a set's predictions except the ids that differ between sets.
std::vector<std::string> stored_rows(const CliProject& project, const std::string& set) {
  SQLite::Database store((project.root() / "ea.db").string(), SQLite::OPEN_READONLY);
  SQLite::Statement query(store,
                          "SELECT p.data_unit_id, p.frame, p.kind, p.object_id, p.option_id, "
                          "p.confidence, p.x, p.y, p.w, p.h, p.theta, p.geometry, p.track_id, "
                          "p.source_record, p.area FROM predictions p JOIN prediction_sets s "
                          "ON p.set_id = s.id WHERE s.name = ? ORDER BY p.id");
  query.bind(1, set);
  std::vector<std::string> rows;
  while (query.executeStep()) {
    std::string row;
    for (int column = 0; column < query.getColumnCount(); ++column) {
      const auto value = query.getColumn(column);
      row += value.isNull()    ? "NULL"
             : value.isFloat() ? fmt::format("{:.17g}", value.getDouble())
                               : value.getString();
      row += '|';
    }
    rows.push_back(row);
  }
  return rows;
}

std::string import_file(const CliProject& project, const fs::path& file, const std::string& set) {
  const auto result = project.ea({"import", "predictions", file.string(), "--name", set});
  return result.exit_code == 0 ? "" : result.err;
}

}  // namespace

TEST_CASE("every generated .pkl imports to the same rows as the native JSON of its objects") {
  const CliProject project;
  for (const std::string kind : {"boxes", "polygons", "masks", "classifications", "mixed"}) {
    REQUIRE(import_file(project, pickles() / (kind + ".json"), kind + "_json") == "");
    const auto expected = stored_rows(project, kind + "_json");
    REQUIRE(expected.size() >= 2);
    for (const int pydantic : {1, 2}) {
      for (const int protocol : {2, 3, 4, 5}) {
        const std::string name = fmt::format("{}_pydantic{}_p{}", kind, pydantic, protocol);
        CAPTURE(name);
        REQUIRE(import_file(project, pickles() / (name + ".pkl"), name) == "");
        CHECK(stored_rows(project, name) == expected);
      }
    }
  }
  // Pythons before 3.11 pickle the Format member as Format("bounding-box").
  REQUIRE(import_file(project, pickles() / "boxes_pydantic1_p4_enum_by_value.pkl", "by_value") ==
          "");
  CHECK(stored_rows(project, "by_value") == stored_rows(project, "boxes_json"));
}

TEST_CASE("objects shared by predictions across the pickle's 1,000-item batches read right") {
  const CliProject project;
  REQUIRE(import_file(project, pickles() / "shared_objects.json", "json") == "");
  REQUIRE(import_file(project, pickles() / "shared_objects_pydantic1_p4.pkl", "pkl") == "");
  const auto expected = stored_rows(project, "json");
  CHECK(expected.size() == 2100);
  CHECK(stored_rows(project, "pkl") == expected);
}

TEST_CASE("a hostile pickle is refused, runs nothing and leaves the store as it was") {
  const CliProject project;
  const fs::path canary = "/tmp/ea_pickle_canary";  // what the hostile pickles would create
  fs::remove(canary);
  const auto before = project.digest();
  const std::vector<std::pair<std::string, std::string>> cases{
      {"hostile_os_system.pkl", "the pickle refers to posix.system, which is not allowed"},
      {"hostile_eval.pkl", "the pickle refers to builtins.eval, which is not allowed"},
      {"hostile_subprocess.pkl", "the pickle refers to subprocess.call, which is not allowed"},
      {"hostile_deep_nesting.pkl", "the pickle nests values more than 100 levels deep"},
      {"hostile_huge_length.pkl", "it declares 4294967296 bytes where only 3 remain"},
      {"hostile_truncated.pkl", "the pickle is truncated"},
      {"hostile_protocol_1.pkl", "the file is not a pickle of protocol 2 or later"},
  };
  for (const auto& [file, sentence] : cases) {
    CAPTURE(file);
    const auto result = project.ea({"import", "predictions", (pickles() / file).string()});
    CHECK(result.exit_code != 0);
    CHECK(result.err.find((pickles() / file).string() + ": ") != std::string::npos);
    CHECK(result.err.find(sentence) != std::string::npos);
    CHECK(line_count(result.err) == 1);
    CHECK(project.digest() == before);
    CHECK_FALSE(fs::exists(canary));
  }
}

TEST_CASE("a pickle that breaks Encord Active's rules or ea's is refused, naming the record") {
  const CliProject project;
  const auto before = project.digest();
  const std::vector<std::pair<std::string, std::string>> cases{
      {"invalid_box_past_edge.pkl", "index 0: the box extends past the image edge"},
      {"invalid_polygon_point_outside.pkl", "index 0: the polygon point (1.5, 0.1) is above 1"},
      {"invalid_polygon_two_points.pkl", "index 0: a polygon needs at least 3 points"},
      {"invalid_polygon_not_n_by_2.pkl",
       "a polygon must be an N×2 array of points, not an array "
       "of shape 3×3"},
      {"invalid_mask_values.pkl", "index 0: a mask may hold only 0 and 1, not 2"},
      {"invalid_mask_size.pkl", "index 0: the mask is 256×128 (height × width) but the image"},
      {"invalid_both_object_and_classification.pkl",
       "index 0: a Prediction must have exactly one \"object\" or \"classification\""},
      {"invalid_neither_object_nor_classification.pkl",
       "index 0: a Prediction must have exactly one \"object\" or \"classification\""},
      {"invalid_unknown_option.pkl", "option_hash \"nosuchop\") is not a radio option"},
      {"invalid_not_a_list.pkl", "the pickle holds a dict, not a list of Prediction objects"},
      {"invalid_list_of_strings.pkl",
       "index 0: the item is a str, not an encord_active Prediction"},
  };
  for (const auto& [file, sentence] : cases) {
    CAPTURE(file);
    const auto result = project.ea({"import", "predictions", (pickles() / file).string()});
    CHECK(result.exit_code != 0);
    CHECK(result.err.find(sentence) != std::string::npos);
    CHECK(line_count(result.err) == 1);
    CHECK(project.digest() == before);
  }
}

TEST_CASE("a .pkl file is refused as ground truth") {
  const CliProject project;
  const auto before = project.digest();
  const auto result = project.ea(
      {"import", "project", "--format", "native", (pickles() / "boxes_pydantic1_p4.pkl").string()});
  CHECK(result.exit_code != 0);
  CHECK(result.err.find("a .pkl file holds predictions; use `ea import predictions`") !=
        std::string::npos);
  CHECK(project.digest() == before);
}

TEST_CASE("an unsupported pickle protocol is named") {
  const CliProject project;
  const auto before = project.digest();
  const auto file = project.file("future.pkl", std::string("\x80\x06]\x94.", 5));
  const auto result = project.ea({"import", "predictions", file.string()});
  CHECK(result.exit_code != 0);
  CHECK(result.err.find("pickle protocol 6 is not supported (2 to 5 are)") != std::string::npos);
  CHECK(project.digest() == before);
}

}  // namespace ea::test
