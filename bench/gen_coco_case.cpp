// SPDX-License-Identifier: Apache-2.0
// Writes a COCO case of realistic shape with a fixed seed:
//   ea_gen_coco_case OUT_DIR [IMAGES=5000] [DETECTIONS=500000] [SEED=7]
// OUT_DIR/gt.json: IMAGES images with COCO-like sizes, 80 categories, about 7.3 ground-truth
// objects per image (boxes with a polygon each, some crowd); OUT_DIR/results.json: DETECTIONS
// box detections with scores, spread over the images.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>

#include <fmt/format.h>

namespace {

struct Size {
  int width, height;
};

// Common COCO image sizes.
constexpr Size kSizes[] = {{640, 480}, {640, 427}, {480, 640}, {640, 425}, {500, 375}, {640, 360}};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: ea_gen_coco_case OUT_DIR [IMAGES] [DETECTIONS] [SEED]\n";
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  const int images = argc > 2 ? std::stoi(argv[2]) : 5000;
  const long detections = argc > 3 ? std::stol(argv[3]) : 500'000;
  std::mt19937_64 random(argc > 4 ? std::stoull(argv[4]) : 7);
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
      fmt::print(
          gt,
          R"({}{{"id":{},"image_id":{},"category_id":{},"bbox":[{:.2f},{:.2f},{:.2f},{:.2f}],"area":{:.2f},"iscrowd":{},"segmentation":[[{}]]}})",
          annotation == 0 ? "" : ",", annotation + 1, i + 1, random() % 80 + 1, x, y, w, h,
          w * h * 0.83, random() % 100 == 0 ? 1 : 0, polygon);
      ++annotation;
    }
  }
  fmt::print(gt, "]}}\n");
  std::fclose(gt);

  std::FILE* results = std::fopen((dir / "results.json").c_str(), "w");
  fmt::print(results, "[");
  for (long d = 0; d < detections; ++d) {
    const int i = static_cast<int>(random() % images);
    const double w = 4 + unit(random) * (sizes[i].width * 0.6);
    const double h = 4 + unit(random) * (sizes[i].height * 0.6);
    const double x = unit(random) * (sizes[i].width - w), y = unit(random) * (sizes[i].height - h);
    fmt::print(
        results,
        R"({}{{"image_id":{},"category_id":{},"bbox":[{:.2f},{:.2f},{:.2f},{:.2f}],"score":{:.5f}}})",
        d == 0 ? "\n" : ",\n", i + 1, random() % 80 + 1, x, y, w, h, unit(random));
  }
  fmt::print(results, "\n]\n");
  std::fclose(results);
  std::cout << fmt::format("{} images, {} ground-truth objects, {} detections in {}\n", images,
                           annotation, detections, dir.string());
  return 0;
}
