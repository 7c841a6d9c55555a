// SPDX-License-Identifier: Apache-2.0
// Writes a class-mask case for the masks benchmark: N 1280×720 8-bit class masks with about
// `instances` filled ellipses and boxes each over 5 classes, a COCO file naming their images (so
// that a project can be made of them) and the --class-map.
//   ea_gen_masks_case OUT_DIR [IMAGES=1000] [INSTANCES=20] [SEED=7]
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include <fmt/format.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: ea_gen_masks_case OUT_DIR [IMAGES] [INSTANCES] [SEED]\n");
    return 2;
  }
  const fs::path out = argv[1];
  const int images = argc > 2 ? std::stoi(argv[2]) : 1000;
  const int instances = argc > 3 ? std::stoi(argv[3]) : 20;
  std::mt19937 random(argc > 4 ? static_cast<unsigned>(std::stoul(argv[4])) : 7u);
  constexpr int kWidth = 1280, kHeight = 720, kClasses = 5;
  fs::create_directories(out / "masks");

  std::ofstream gt(out / "gt.json");
  gt << R"({"images": [)";
  for (int i = 0; i < images; ++i) {
    const std::string stem = fmt::format("frame_{:05d}", i);
    gt << (i ? "," : "")
       << fmt::format(R"({{"id": {}, "file_name": "{}.jpg", "width": {}, "height": {}}})", i + 1,
                      stem, kWidth, kHeight);
    cv::Mat mask = cv::Mat::zeros(kHeight, kWidth, CV_8UC1);
    std::uniform_int_distribution<int> x(0, kWidth - 1), y(0, kHeight - 1), size(12, 90),
        cls(1, kClasses), shape(0, 1);
    for (int k = 0; k < instances; ++k) {
      const cv::Point centre(x(random), y(random));
      const cv::Scalar value(cls(random));
      if (shape(random) == 0)
        cv::ellipse(mask, centre, cv::Size(size(random), size(random)), 0, 0, 360, value,
                    cv::FILLED);
      else
        cv::rectangle(mask, cv::Rect(centre, cv::Size(size(random), size(random))), value,
                      cv::FILLED);
    }
    cv::imwrite((out / "masks" / (stem + ".png")).string(), mask);
  }
  gt << R"(], "annotations": [], "categories": [)";
  std::ofstream classes(out / "classes.json");
  classes << "{";
  for (int c = 1; c <= kClasses; ++c) {
    gt << (c > 1 ? "," : "") << fmt::format(R"({{"id": {}, "name": "class{}"}})", c, c);
    classes << (c > 1 ? "," : "") << fmt::format(R"("{}": "class{}")", c, c);
  }
  gt << "]}\n";
  classes << "}\n";
  return 0;
}
