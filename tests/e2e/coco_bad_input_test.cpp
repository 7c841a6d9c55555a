// SPDX-License-Identifier: Apache-2.0
// Bad COCO input: one sentence naming file, record and reason; the store exactly as it was.
#include <doctest/doctest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json fixture(const std::string& name) {
  std::ifstream in(ea::test::data_dir() / "coco" / name);
  return json::parse(in);
}

// A project made from the fce ground truth, holding one results set already.
class CocoProject {
 public:
  CocoProject() {
    const std::string gt = (ea::test::data_dir() / "coco" / "fce_gt_dataset.json").string();
    const std::string dt = (ea::test::data_dir() / "coco" / "fce_dt_dataset.json").string();
    if (ea::test::ea({"-t", root().string(), "import", "project", gt}).exit_code != 0 ||
        ea::test::ea({"-t", root().string(), "import", dt}).exit_code != 0) {
      throw std::runtime_error("cannot make the COCO test project");
    }
  }
  fs::path root() const { return dir_ / "p"; }
  std::string digest() const { return ea::test::store_digest(root() / "ea.db"); }

  // Imports `content` as `name` with `arguments`; checks the refusal and the unchanged store.
  void refused(const std::string& name, const std::string& content,
               const std::vector<std::string>& arguments,
               const std::vector<std::string>& expected) {
    CAPTURE(name);
    const std::string before = digest();
    ea::test::write_file(dir_ / name, content);
    std::vector<std::string> all{"-t", root().string()};
    all.insert(all.end(), arguments.begin(), arguments.end());
    all.push_back((dir_ / name).string());
    const auto result = ea::test::ea(all);
    CHECK(result.exit_code != 0);
    CHECK(ea::test::line_count(result.err) == 1);
    for (const auto& part : expected) {
      CAPTURE(result.err);
      CHECK(result.err.find(part) != std::string::npos);
    }
    CHECK(digest() == before);
  }

 private:
  ea::test::TempDir dir_;
};

const std::vector<std::string> kResults{"import", "predictions", "--format", "coco"};
const std::vector<std::string> kGroundTruth{"import", "project", "--format", "coco"};

}  // namespace

TEST_CASE("bad COCO results are refused whole") {
  CocoProject project;
  const json good = fixture("fce_dt_dataset.json");
  auto changed = [&good](const std::function<void(json&)>& change) {
    json results = good;
    change(results);
    return results.dump();
  };

  SUBCASE("unknown image id") {
    project.refused("image.json", changed([](json& r) { r[2]["image_id"] = 999; }), kResults,
                    {"image.json, index 2: unknown image id 999"});
  }
  SUBCASE("unknown category id") {
    project.refused("category.json", changed([](json& r) { r[1]["category_id"] = 77; }), kResults,
                    {"category.json, index 1: unknown category id 77"});
  }
  SUBCASE("bbox of length other than 4") {
    project.refused("bbox3.json", changed([](json& r) {
                      r[0]["bbox"] = {1, 2, 3};
                    }),
                    kResults, {"bbox3.json, index 0: \"bbox\" must be [x, y, width, height]"});
  }
  SUBCASE("negative width") {
    project.refused("negative.json", changed([](json& r) { r[0]["bbox"][2] = -4; }), kResults,
                    {"negative.json, index 0: \"bbox\" has a negative width or height"});
  }
  SUBCASE("NaN, as Python writes it") {
    std::string text = changed([](json& r) { r[0]["score"] = "SCORE"; });
    text.replace(text.find("\"SCORE\""), 7, "NaN");
    project.refused("nan.json", text, kResults, {"nan.json: invalid JSON"});
  }
  SUBCASE("a segmentation that is neither polygon nor RLE") {
    project.refused("segmentation.json", changed([](json& r) { r[4]["segmentation"] = "circle"; }),
                    kResults,
                    {"segmentation.json, index 4: \"segmentation\" is neither polygons nor RLE"});
  }
  SUBCASE("RLE whose size is not the image's") {
    project.refused("rle.json", changed([](json& r) {
                      r[0]["segmentation"] = {{"size", {2, 2}}, {"counts", "04"}};
                    }),
                    kResults, {"rle.json, index 0: the mask is 2×2 (height × width)"});
  }
  SUBCASE("relative coordinates") {
    json results = json::array();
    results.push_back(
        {{"image_id", 1}, {"category_id", 1}, {"bbox", {0.1, 0.2, 0.3, 0.4}}, {"score", 0.5}});
    project.refused(
        "relative.json", results.dump(), kResults,
        {"relative.json: every coordinate in the file is at most 1.0", "absolute pixels"});
  }
  SUBCASE("a JSON file that is not COCO") {
    project.refused("other.json", R"({"hello": "world", "data_hash": 1})",
                    {"import", "predictions", "--format", "coco"},
                    {"other.json: this is not COCO results"});
    project.refused("unknown.json", R"({"hello": "world"})", {"import", "predictions"},
                    {"no importer recognises", "unknown.json"});
  }
}

TEST_CASE("unknown ids are grouped in the report with --skip-invalid") {
  CocoProject project;
  json results = fixture("fce_dt_dataset.json");
  results[0]["image_id"] = 999;
  results[1]["image_id"] = 999;
  results[2]["category_id"] = 77;
  const fs::path file = project.root().parent_path() / "grouped.json";
  ea::test::write_file(file, results.dump());
  const auto imported = ea::test::ea({"-t", project.root().string(), "import", "--format", "coco",
                                      "--skip-invalid", file.string()});
  REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
  CHECK(imported.out.find("unknown image id 999: 2") != std::string::npos);
  CHECK(imported.out.find("unknown category id 77: 1") != std::string::npos);
  CHECK(imported.out.find("6 prediction(s)") != std::string::npos);
}

TEST_CASE("bad COCO ground truth is refused whole") {
  CocoProject project;
  const json good = fixture("fce_gt_dataset.json");
  auto changed = [&good](const std::function<void(json&)>& change) {
    json gt = good;
    change(gt);
    return gt.dump();
  };
  SUBCASE("duplicate image ids") {
    project.refused("images.json",
                    changed([](json& gt) { gt["images"][1]["id"] = gt["images"][0]["id"]; }),
                    kGroundTruth, {"images.json: images[1] repeats the image id"});
  }
  SUBCASE("duplicate annotation ids") {
    project.refused("annotations.json", changed([](json& gt) {
                      gt["annotations"][3]["id"] = gt["annotations"][0]["id"];
                    }),
                    kGroundTruth, {"annotations.json: annotations[3] repeats the annotation id"});
  }
  SUBCASE("an annotation of a missing image") {
    project.refused(
        "missing_image.json", changed([](json& gt) { gt["annotations"][2]["image_id"] = 4242; }),
        kGroundTruth,
        {"missing_image.json, index 2:", "refers to image id 4242, which is not in \"images\""});
  }
  SUBCASE("an annotation of a missing category") {
    project.refused("missing_category.json",
                    changed([](json& gt) { gt["annotations"][0]["category_id"] = 4242; }),
                    kGroundTruth,
                    {"missing_category.json, index 0:", "refers to category id 4242"});
  }
  SUBCASE("not COCO at all") {
    project.refused("not_coco.json", R"({"hello": []})", kGroundTruth,
                    {"not_coco.json: a COCO instances file needs a \"images\" list"});
  }
}
