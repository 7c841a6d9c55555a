// SPDX-License-Identifier: Apache-2.0
// Class masks: COCO polygons rasterised into class masks come back as the same instances; 16-bit
// and palette images, connectivity, holes, small components, scores and binary file names.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "ea/sdk/iou.hpp"
#include "ea/sdk/rle.hpp"
#include "masks_fixture.hpp"

namespace fs = std::filesystem;

namespace ea::test {
namespace {

using nlohmann::json;

// Calls `visit(x, y)` for every set pixel of a column-major RLE.
template <class Visit>
void for_each_pixel(const sdk::Rle& rle, Visit visit) {
  std::uint64_t position = 0;
  for (std::size_t i = 0; i < rle.counts.size(); ++i) {
    if (i % 2 == 1) {
      for (std::uint64_t p = position; p < position + rle.counts[i]; ++p)
        visit(static_cast<int>(p / rle.height), static_cast<int>(p % rle.height));
    }
    position += rle.counts[i];
  }
}

// One ground-truth instance of the COCO fixture, rasterised.
struct Original {
  std::string title;
  long category = 0;
  sdk::Rle mask;
  bool isolated = true;  // touches no other instance and is one 8-connected piece
};

sdk::Rle rasterise(const json& segmentation, std::uint32_t height, std::uint32_t width) {
  std::vector<sdk::Rle> rings;
  for (const json& ring : segmentation)
    rings.push_back(sdk::rle_from_polygon(ring.get<std::vector<double>>(), height, width));
  return sdk::rle_merge(rings);
}

// Writes one class mask per image (pixel = COCO category id) and returns the instances drawn.
std::vector<Original> write_class_masks(const json& gt, const fs::path& folder) {
  fs::create_directories(folder);
  std::map<long, json> images;
  for (const json& image : gt["images"])
    images[image["id"]] = image;
  std::map<long, std::vector<Original>> by_image;
  for (const json& annotation : gt["annotations"]) {
    if (annotation["iscrowd"] != 0 || !annotation["segmentation"].is_array())
      continue;
    const json& image = images.at(annotation["image_id"]);
    by_image[annotation["image_id"]].push_back(
        Original{image["file_name"], annotation["category_id"],
                 rasterise(annotation["segmentation"], image["height"], image["width"])});
  }
  std::vector<Original> all;
  for (auto& [id, originals] : by_image) {
    const json& image = images.at(id);
    const int height = image["height"], width = image["width"];
    cv::Mat classes = cv::Mat::zeros(height, width, CV_8UC1);
    cv::Mat cover = cv::Mat::zeros(height, width, CV_32SC1);  // instances over each pixel
    cv::Mat owner = cv::Mat::zeros(height, width, CV_32SC1);  // the last of them
    for (std::size_t k = 0; k < originals.size(); ++k) {
      for_each_pixel(originals[k].mask, [&](int x, int y) {
        classes.at<std::uint8_t>(y, x) = static_cast<std::uint8_t>(originals[k].category);
        ++cover.at<int>(y, x);
        owner.at<int>(y, x) = static_cast<int>(k);
      });
    }
    for (std::size_t k = 0; k < originals.size(); ++k) {
      cv::Mat own = cv::Mat::zeros(height, width, CV_8UC1);
      for_each_pixel(originals[k].mask, [&](int x, int y) {
        own.at<std::uint8_t>(y, x) = 1;
        for (int dy = -1; dy <= 1; ++dy) {
          for (int dx = -1; dx <= 1; ++dx) {
            const int nx = x + dx, ny = y + dy;
            if (nx < 0 || ny < 0 || nx >= width || ny >= height || cover.at<int>(ny, nx) == 0)
              continue;
            if (cover.at<int>(ny, nx) > 1 || owner.at<int>(ny, nx) != static_cast<int>(k))
              originals[k].isolated = false;
          }
        }
      });
      cv::Mat labels;
      if (cv::connectedComponents(own, labels, 8) != 2)  // background and one piece
        originals[k].isolated = false;
    }
    const std::string title = image["file_name"];
    REQUIRE(cv::imwrite((folder / (fs::path(title).stem().string() + ".png")).string(), classes));
    for (Original& original : originals)
      all.push_back(std::move(original));
  }
  return all;
}

}  // namespace

TEST_CASE("class masks rasterised from COCO polygons re-import as the same instances") {
  TempDir dir;
  const fs::path root = dir / "p";
  const fs::path gt_file = data_dir() / "coco" / "val2014_100_gt.json";
  REQUIRE(ea({"-t", root.string(), "import", "project", "--format", "coco", gt_file.string()})
              .exit_code == 0);
  const json gt = json::parse(read_file(gt_file));
  const std::vector<Original> originals = write_class_masks(gt, dir / "masks");
  json class_map = json::object();
  for (const json& category : gt["categories"])
    class_map[std::to_string(category["id"].get<long>())] = category["id"];
  write_file(dir / "classes.json", class_map.dump());

  const auto imported =
      ea({"-t", root.string(), "import", "--format", "masks", "--encoding", "class", "--class-map",
          (dir / "classes.json").string(), "--min-area", "1", (dir / "masks").string()});
  REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);

  std::map<std::pair<std::string, long>, std::vector<sdk::Rle>> stored;
  SQLite::Database store((root / "ea.db").string(), SQLite::OPEN_READONLY);
  SQLite::Statement rows(store,
                         "SELECT u.title, e.external_id, p.geometry, u.height, u.width "
                         "FROM predictions p JOIN data_units u ON u.id = p.data_unit_id "
                         "JOIN ontology_objects o ON o.id = p.object_id JOIN external_ids e ON "
                         "e.hash = o.feature_hash AND e.space = 'coco.category'");
  while (rows.executeStep()) {
    const auto mask = sdk::rle_from_string(
        rows.getColumn(2).getString(), rows.getColumn(3).getUInt(), rows.getColumn(4).getUInt());
    REQUIRE(mask);
    stored[{rows.getColumn(0).getString(), std::stol(rows.getColumn(1).getString())}].push_back(
        *mask);
  }
  int isolated = 0;
  for (const Original& original : originals) {
    if (!original.isolated)
      continue;
    ++isolated;
    double best = 0;
    for (const sdk::Rle& mask : stored[{original.title, original.category}])
      best = std::max(best, sdk::mask_iou(mask, original.mask, false));
    CAPTURE(original.title);
    CHECK(best == 1.0);
  }
  MESSAGE(isolated, " of ", originals.size(), " instances do not touch another");
  CHECK(isolated > 150);  // 208 of the 830 polygons
}

TEST_CASE("class masks: 16-bit values, connectivity, holes, small components and scores") {
  const PanopticProject project(false);
  const fs::path folder = project.dir / "classes";
  fs::create_directories(folder);
  cv::Mat mask = cv::Mat::zeros(427, 640, CV_16UC1);
  mask(cv::Rect(10, 10, 20, 20)).setTo(300);  // two squares touching only at a corner
  mask(cv::Rect(30, 30, 20, 20)).setTo(300);
  mask(cv::Rect(100, 100, 50, 50)).setTo(1);  // a ring: 50×50 with a 10×10 hole
  mask(cv::Rect(120, 120, 10, 10)).setTo(0);
  mask.at<std::uint16_t>(300, 300) = 1;  // a speck
  REQUIRE(cv::imwrite((folder / "000000142238.png").string(), mask));
  write_file(project.dir / "map.json", R"({"1": "person", "300": "car"})");

  const auto eight = project.run({"import", "--format", "masks", "--name", "eight", "--class-map",
                                  (project.dir / "map.json").string(), folder.string()});
  REQUIRE_MESSAGE(eight.exit_code == 0, eight.err);
  CHECK(eight.out.find("2 prediction(s)") != std::string::npos);
  CHECK(eight.out.find("Note: 1 connected component(s) under --min-area 4 pixel(s) were dropped") !=
        std::string::npos);
  // The ring keeps its hole; the diagonal squares are one instance with 8-connectivity.
  CHECK(project.count("SELECT count(*) FROM predictions p JOIN ontology_objects o ON o.id = "
                      "p.object_id WHERE o.name = 'person' AND p.w = 50 AND p.h = 50") == 1);
  CHECK(project.count("SELECT count(*) FROM predictions p JOIN ontology_objects o ON o.id = "
                      "p.object_id WHERE o.name = 'car' AND p.w = 40 AND p.h = 40") == 1);
  SQLite::Database store(project.store().string(), SQLite::OPEN_READONLY);
  const std::string ring =
      store.execAndGet("SELECT geometry FROM predictions WHERE w = 50").getString();
  CHECK(sdk::rle_area(*sdk::rle_from_string(ring, 427, 640)) == 50 * 50 - 10 * 10);

  // 4-connectivity splits the squares; scores come per class value in raster order.
  write_file(project.dir / "scores.json", R"({"000000142238": {"300": [0.7, 0.6], "1": [0.9]}})");
  const auto four =
      project.run({"import", "--format", "masks", "--name", "four", "--class-map",
                   (project.dir / "map.json").string(), "--connectivity", "4", "--scores",
                   (project.dir / "scores.json").string(), folder.string()});
  REQUIRE_MESSAGE(four.exit_code == 0, four.err);
  CHECK(four.out.find("3 prediction(s)") != std::string::npos);
  CHECK(project.count("SELECT count(*) FROM predictions WHERE confidence = 0.7 AND x = 10") == 1);
  CHECK(project.count("SELECT count(*) FROM predictions WHERE confidence = 0.6 AND x = 30") == 1);
  CHECK(project.count("SELECT count(*) FROM predictions WHERE confidence = 0.9 AND x = 100") == 1);
}

TEST_CASE("palette class masks are read by index, binary masks by their file names") {
  const PanopticProject project(false);
  // tests/fixtures/masks/make_palette_mask.py: 640×360, index 2 in a box, index 5 in another.
  const fs::path palette = project.dir / "palette";
  fs::create_directories(palette);
  fs::copy_file(data_dir() / "masks" / "palette_000000439180.png", palette / "000000439180.png");
  write_file(project.dir / "map.json", R"({"2": "dog", "5": 18})");
  const auto read = project.run({"import", "--format", "masks", "--name", "palette", "--class-map",
                                 (project.dir / "map.json").string(), palette.string()});
  REQUIRE_MESSAGE(read.exit_code == 0, read.err);
  CHECK(project.count("SELECT count(*) FROM predictions p JOIN ontology_objects o ON o.id = "
                      "p.object_id WHERE o.name = 'dog' AND x = 10 AND y = 20 AND w = 30 AND h = "
                      "40") == 1);
  CHECK(project.count("SELECT count(*) FROM predictions p JOIN ontology_objects o ON o.id = "
                      "p.object_id WHERE o.name = 'dog' AND x = 100 AND y = 50 AND w = 60 AND "
                      "h = 20") == 1);

  const fs::path binary = project.dir / "binary" / "142238";
  fs::create_directories(binary);
  cv::Mat one = cv::Mat::zeros(427, 640, CV_8UC1);
  one(cv::Rect(5, 6, 7, 8)).setTo(255);
  REQUIRE(cv::imwrite((binary / "traffic light_1_0.85.png").string(), one));
  REQUIRE(cv::imwrite((binary / "person_2.png").string(), one));
  REQUIRE(cv::imwrite((binary / "person_3.png").string(), cv::Mat::zeros(427, 640, CV_8UC1)));
  const auto named = project.run(
      {"import", "--format", "masks", "--name", "named", (project.dir / "binary").string()});
  REQUIRE_MESSAGE(named.exit_code == 0, named.err);
  CHECK(named.out.find("Note: 1 binary mask file(s) were empty") != std::string::npos);
  CHECK(project.count("SELECT count(*) FROM predictions p JOIN ontology_objects o ON o.id = "
                      "p.object_id WHERE o.name = 'traffic light' AND p.confidence = 0.85 AND "
                      "p.w = 7") == 1);
  CHECK(project.count("SELECT count(*) FROM predictions p JOIN ontology_objects o ON o.id = "
                      "p.object_id WHERE o.name = 'person' AND p.confidence = 1.0") == 1);
  // A folder of folders of masks is recognised without --format.
  const auto probed =
      project.run({"import", "--name", "probed", (project.dir / "binary").string()});
  REQUIRE_MESSAGE(probed.exit_code == 0, probed.err);
  CHECK(probed.out.find("(masks format): 2 prediction(s)") != std::string::npos);
}

}  // namespace ea::test
