// SPDX-License-Identifier: Apache-2.0
// The masks plugin on the COCO panoptic sample: binary masks, label maps and panoptic PNGs all
// give exactly the masks pycocotools computes, as predictions and as ground truth.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include "ea/sdk/rle.hpp"
#include "masks_fixture.hpp"

namespace fs = std::filesystem;

namespace ea::test {
namespace {

using nlohmann::json;

// index.json's segments by image id, then by segment id.
std::map<std::string, std::map<long, json>> expected_segments() {
  std::map<std::string, std::map<long, json>> segments;
  const json index = json::parse(read_file(data_dir() / "rle" / "panoptic_instance_masks.json"));
  for (const json& image : index["images"]) {
    for (const json& segment : image["segments"])
      segments[std::to_string(image["image_id"].get<long>())][segment["segment_id"]] = segment;
  }
  return segments;
}

// --instances for the label maps (ids 1..N) or the binary masks (file stem = segment id).
fs::path write_instances(const fs::path& file, bool by_label) {
  json instances = json::object();
  for (const auto& [image, segments] : expected_segments()) {
    for (const auto& [id, segment] : segments) {
      const std::string key =
          by_label ? std::to_string(segment["label"].get<long>()) : std::to_string(id);
      instances[image][key] = segment["category_id"];
    }
  }
  write_file(file, instances.dump());
  return file;
}

// Every stored mask of the set `set` (or the labels) equals its segment in index.json; the
// segment is found by its mask string, and each is found once.
void check_masks_equal_index(const fs::path& store_file, const std::string& table,
                             const std::string& set) {
  SQLite::Database store(store_file.string(), SQLite::OPEN_READONLY);
  SQLite::Statement rows(store,
                         "SELECT u.title, r.geometry, r.x, r.y, r.w, r.h, e.external_id "
                         "FROM " +
                             table +
                             " r JOIN data_units u ON u.id = r.data_unit_id "
                             "JOIN ontology_objects o ON o.id = r.object_id "
                             "JOIN external_ids e ON e.hash = o.feature_hash "
                             "AND e.space = 'coco.category'" +
                             (set.empty() ? std::string()
                                          : " WHERE r.set_id = (SELECT id FROM "
                                            "prediction_sets WHERE name = '" +
                                                set + "')"));
  auto expected = expected_segments();
  std::map<std::string, int> per_image;
  int matched = 0;
  while (rows.executeStep()) {
    const std::string title = rows.getColumn(0).getString();
    const std::string image = std::to_string(std::stol(title.substr(0, title.find('.'))));
    const std::string counts = rows.getColumn(1).getString();
    ++per_image[image];
    bool found = false;
    for (auto& [id, segment] : expected.at(image)) {
      if (segment.is_null() || segment["rle"]["counts"] != counts)
        continue;
      CAPTURE(id);
      const json& bbox = segment["bbox"];
      CHECK(rows.getColumn(2).getDouble() == bbox[0].get<double>());
      CHECK(rows.getColumn(3).getDouble() == bbox[1].get<double>());
      CHECK(rows.getColumn(4).getDouble() == bbox[2].get<double>());
      CHECK(rows.getColumn(5).getDouble() == bbox[3].get<double>());
      CHECK(rows.getColumn(6).getString() == std::to_string(segment["category_id"].get<long>()));
      const auto mask =
          sdk::rle_from_string(counts, segment["rle"]["size"][0], segment["rle"]["size"][1]);
      REQUIRE(mask);
      CHECK(sdk::rle_area(*mask) == segment["area"].get<std::uint64_t>());
      segment = nullptr;  // each segment once
      found = true;
      ++matched;
      break;
    }
    CHECK_MESSAGE(found, "a stored mask of ", title, " matches no segment of index.json");
  }
  // The segment counts are those of the panoptic sample.
  const json counts =
      json::parse(read_file(data_dir() / "expected" / "panoptic_sample_masks.json"));
  for (const json& image : counts["images"]) {
    const std::string id = std::to_string(image["image_id"].get<long>());
    CHECK(per_image[id] == image["num_segments"].get<int>());
  }
  CHECK(matched == 50);
}

}  // namespace

TEST_CASE("panoptic sample masks import in all three encodings, equal to index.json") {
  const PanopticProject project;
  const fs::path masks = data_dir() / "masks";

  const auto binary = project.run(
      {"import", "--format", "masks", "--encoding", "binary", "--name", "binary", "--instances",
       write_instances(project.dir / "binary.json", false).string(), (masks / "binary").string()});
  REQUIRE_MESSAGE(binary.exit_code == 0, binary.err);
  CHECK(binary.out.find("50 prediction(s) (50 mask)") != std::string::npos);
  check_masks_equal_index(project.store(), "predictions", "binary");

  // The label maps are 16-bit; --encoding is chosen from --instances.
  const auto labels = project.run(
      {"import", "--format", "masks", "--name", "labelmap", "--instances",
       write_instances(project.dir / "labels.json", true).string(), (masks / "labelmap").string()});
  REQUIRE_MESSAGE(labels.exit_code == 0, labels.err);
  check_masks_equal_index(project.store(), "predictions", "labelmap");

  // Panoptic: the PNG folder with its JSON beside it; recognised without --format.
  const auto panoptic =
      project.run({"import", "--name", "panoptic", (masks / "panoptic_examples").string()});
  REQUIRE_MESSAGE(panoptic.exit_code == 0, panoptic.err);
  CHECK(panoptic.out.find("(masks format)") != std::string::npos);
  check_masks_equal_index(project.store(), "predictions", "panoptic");
}

TEST_CASE("panoptic PNGs import as ground truth with crowd flags and segment ids") {
  const PanopticProject project(false);
  // The panoptic JSON itself names the PNG folder (its name without .json).
  const auto gt = project.run({"import", "project", "--format", "masks",
                               (data_dir() / "masks" / "panoptic_examples.json").string()});
  REQUIRE_MESSAGE(gt.exit_code == 0, gt.err);
  CHECK(gt.out.find("50 label(s) (50 mask) of which 3 crowd") != std::string::npos);
  check_masks_equal_index(project.store(), "labels", "");
  CHECK(project.count("SELECT count(*) FROM labels WHERE source_id = 4260062") == 1);
}

TEST_CASE("label maps import as ground truth, classes the ontology lacks added") {
  const PanopticProject project(false);
  // Instance 1 of each image names a class the project does not have yet.
  write_instances(project.dir / "labels.json", true);
  json instances = json::parse(read_file(project.dir / "labels.json"));
  for (auto& [image, ids] : instances.items())
    ids["1"] = {{"class", "pedestrian"}, {"iscrowd", 1}};
  write_file(project.dir / "labels.json", instances.dump());
  const auto gt = project.run({"import", "project", "--format", "masks", "--encoding", "label-map",
                               "--instances", (project.dir / "labels.json").string(),
                               (data_dir() / "masks" / "labelmap").string()});
  REQUIRE_MESSAGE(gt.exit_code == 0, gt.err);
  CHECK(gt.out.find("1 class(es), 0 classification(s), 50 label(s) (50 mask) of which 2 crowd") !=
        std::string::npos);
  CHECK(project.count("SELECT count(*) FROM labels l JOIN ontology_objects o ON o.id = "
                      "l.object_id WHERE o.name = 'pedestrian' AND o.shape = 'bitmask'") == 2);
  CHECK(project.count("SELECT count(DISTINCT source_id) FROM labels") == 32);
}

}  // namespace ea::test
