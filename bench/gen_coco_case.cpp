// SPDX-License-Identifier: Apache-2.0
// Writes a COCO case of realistic shape with a fixed seed:
//   ea_gen_coco_case OUT_DIR [IMAGES=5000] [DETECTIONS=500000] [SEED=7] [bbox|segm]
// OUT_DIR/gt.json: IMAGES images with COCO-like sizes, 80 categories, about 7.6 ground-truth
// objects per image (boxes with a polygon each, some crowd); OUT_DIR/results.json: DETECTIONS
// detections with scores spread over the images, 30 % of them jittered copies of a label (the
// class right nine times in ten, high scores) and the rest anywhere (low scores) — so matching
// works as hard as for a real model. With `segm` each detection is an octagon mask as
// compressed RLE instead of a box.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>

#include <fmt/format.h>

#include "ea/sdk/rle.hpp"

namespace {

struct Size {
  int width, height;
};

// Common COCO image sizes.
constexpr Size kSizes[] = {{640, 480}, {640, 427}, {480, 640}, {640, 425}, {500, 375}, {640, 360}};

struct Object {
  double x = 0, y = 0, w = 0, h = 0;
  int category = 0;
};

// The octagon inscribed in the object's box, rasterised and encoded as pycocotools would.
std::string octagon_rle(const Object& object, Size size) {
  std::vector<double> xy;
  for (int corner = 0; corner < 8; ++corner) {
    const double angle = corner * 3.14159265358979 / 4;
    xy.push_back(object.x + object.w / 2 + object.w / 2 * std::cos(angle));
    xy.push_back(object.y + object.h / 2 + object.h / 2 * std::sin(angle));
  }
  const std::string counts = ea::sdk::rle_to_string(ea::sdk::rle_from_polygon(
      xy, static_cast<std::uint32_t>(size.height), static_cast<std::uint32_t>(size.width)));
  std::string escaped;  // the RLE alphabet includes the backslash, which JSON escapes
  for (const char c : counts) {
    if (c == '\\')
      escaped += '\\';
    escaped += c;
  }
  return escaped;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: ea_gen_coco_case OUT_DIR [IMAGES] [DETECTIONS] [SEED] [bbox|segm]\n";
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  const int images = argc > 2 ? std::stoi(argv[2]) : 5000;
  const long detections = argc > 3 ? std::stol(argv[3]) : 500'000;
  std::mt19937_64 random(argc > 4 ? std::stoull(argv[4]) : 7);
  const bool segm = argc > 5 && std::string(argv[5]) == "segm";
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::filesystem::create_directories(dir);

  std::vector<Size> sizes;
  std::FILE* gt = std::fopen((dir / "gt.json").c_str(), "w");
  fmt::print(gt, R"({{"info":{{"description":"ea benchmark case"}},"images":[)");
  for (int i = 0; i < images; ++i) {
    const Size size = kSizes[random() % std::size(kSizes)];
    sizes.push_back(size);
    fmt::print(gt, R"({}{{"id":{},"file_name":"{:012d}.jpg","width":{},"height":{}}})",
               i == 0 ? "" : ",", i + 1, i + 1, size.width, size.height);
  }
  fmt::print(gt, R"(],"categories":[)");
  for (int c = 0; c < 80; ++c) {
    fmt::print(gt, R"({}{{"id":{},"name":"class{}","supercategory":"group{}"}})", c == 0 ? "" : ",",
               c + 1, c, c / 10);
  }
  fmt::print(gt, R"(],"annotations":[)");
  long annotation = 0;
  std::vector<std::vector<Object>> objects_of(static_cast<std::size_t>(images));
  for (int i = 0; i < images; ++i) {
    const int objects = static_cast<int>(random() % 14) + 1;  // mean 7.5
    for (int k = 0; k < objects; ++k) {
      const double w = 8 + unit(random) * (sizes[i].width * 0.5);
      const double h = 8 + unit(random) * (sizes[i].height * 0.5);
      const double x = unit(random) * (sizes[i].width - w),
                   y = unit(random) * (sizes[i].height - h);
      // An octagon inside the box as the instance's polygon.
      std::string polygon;
      for (int corner = 0; corner < 8; ++corner) {
        const double angle = corner * 3.14159265358979 / 4;
        polygon +=
            fmt::format("{}{:.2f},{:.2f}", corner == 0 ? "" : ",",
                        x + w / 2 + w / 2 * std::cos(angle), y + h / 2 + h / 2 * std::sin(angle));
      }
      const int category = static_cast<int>(random() % 80) + 1;
      objects_of[i].push_back({x, y, w, h, category});
      fmt::print(
          gt,
          R"({}{{"id":{},"image_id":{},"category_id":{},"bbox":[{:.2f},{:.2f},{:.2f},{:.2f}],"area":{:.2f},"iscrowd":{},"segmentation":[[{}]]}})",
          annotation == 0 ? "" : ",", annotation + 1, i + 1, category, x, y, w, h, w * h * 0.83,
          random() % 100 == 0 ? 1 : 0, polygon);
      ++annotation;
    }
  }
  fmt::print(gt, "]}}\n");
  std::fclose(gt);

  std::FILE* results = std::fopen((dir / "results.json").c_str(), "w");
  fmt::print(results, "[");
  std::normal_distribution<double> jitter(0.0, 0.08);
  for (long d = 0; d < detections; ++d) {
    const int i = static_cast<int>(random() % images);
    const Size size = sizes[i];
    Object found;
    double score = 0;
    if (unit(random) < 0.3) {
      // A detection of a labelled object: the box jittered, the class mostly right, a high score.
      const Object& object = objects_of[i][random() % objects_of[i].size()];
      found.w = std::clamp(object.w * (1 + jitter(random)), 2.0, double(size.width));
      found.h = std::clamp(object.h * (1 + jitter(random)), 2.0, double(size.height));
      found.x = std::clamp(object.x + object.w * jitter(random), 0.0, size.width - found.w);
      found.y = std::clamp(object.y + object.h * jitter(random), 0.0, size.height - found.h);
      found.category = unit(random) < 0.9 ? object.category : int(random() % 80) + 1;
      score = 0.3 + 0.7 * unit(random);
    } else {
      found.w = 4 + unit(random) * (size.width * 0.6);
      found.h = 4 + unit(random) * (size.height * 0.6);
      found.x = unit(random) * (size.width - found.w);
      found.y = unit(random) * (size.height - found.h);
      found.category = int(random() % 80) + 1;
      score = 0.6 * unit(random);
    }
    const char* separator = d == 0 ? "\n" : ",\n";
    if (segm) {
      fmt::print(
          results,
          R"({}{{"image_id":{},"category_id":{},"segmentation":{{"size":[{},{}],"counts":"{}"}},"score":{:.5f}}})",
          separator, i + 1, found.category, size.height, size.width, octagon_rle(found, size),
          score);
    } else {
      fmt::print(
          results,
          R"({}{{"image_id":{},"category_id":{},"bbox":[{:.2f},{:.2f},{:.2f},{:.2f}],"score":{:.5f}}})",
          separator, i + 1, found.category, found.x, found.y, found.w, found.h, score);
    }
  }
  fmt::print(results, "\n]\n");
  std::fclose(results);
  std::cout << fmt::format("{} images, {} ground-truth objects, {} detections in {}\n", images,
                           annotation, detections, dir.string());
  return 0;
}
