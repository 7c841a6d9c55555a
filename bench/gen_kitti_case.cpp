// SPDX-License-Identifier: Apache-2.0
// Writes a KITTI-shaped case: OUT/gt/<nnnnnn>.txt (ground truth, 15 values a line) and
// OUT/res/<nnnnnn>.txt (results, 16), for IMAGES images of 1242×375 with OBJECTS labels in all
// (Car 70 %, Pedestrian 12 %, Van 6 %, Cyclist 5 %, DontCare 7 %), random truncation and
// occlusion, and results that find most objects with jittered boxes plus some false positives.
//   ea_gen_kitti_case OUT_DIR [IMAGES=7500] [OBJECTS=50000] [SEED=7]
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include <fmt/format.h>
#include <fmt/os.h>

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: ea_gen_kitti_case OUT_DIR [IMAGES] [OBJECTS] [SEED]\n");
    return 2;
  }
  const fs::path out = argv[1];
  const int images = argc > 2 ? std::stoi(argv[2]) : 7500;
  const int objects = argc > 3 ? std::stoi(argv[3]) : 50000;
  std::mt19937 random(argc > 4 ? static_cast<unsigned>(std::stoul(argv[4])) : 7u);
  std::uniform_real_distribution<double> unit(0, 1);
  fs::create_directories(out / "gt");
  fs::create_directories(out / "res");
  const auto type_of = [&] {
    const double r = unit(random);
    return r < 0.70   ? "Car"
           : r < 0.82 ? "Pedestrian"
           : r < 0.88 ? "Van"
           : r < 0.93 ? "Cyclist"
                      : "DontCare";
  };
  for (int i = 0; i < images; ++i) {
    // Spread the objects evenly, the remainder over the first images.
    const int count = objects / images + (i < objects % images ? 1 : 0);
    auto gt = fmt::output_file((out / "gt" / fmt::format("{:06d}.txt", i)).string());
    auto res = fmt::output_file((out / "res" / fmt::format("{:06d}.txt", i)).string());
    for (int k = 0; k < count; ++k) {
      const std::string type = type_of();
      const double height = 20 + unit(random) * 150;
      const double width = height * (type == "Pedestrian" ? 0.4 : 1.6);
      const double left = unit(random) * (1242 - width),
                   top = 100 + unit(random) * (275 - height / 2);
      const double bottom = std::min(374.0, top + height);
      const double truncated = unit(random) < 0.8 ? 0 : unit(random) * 0.6;
      const int occluded = static_cast<int>(unit(random) * 3);
      const double alpha = unit(random) * 6.28 - 3.14;
      gt.print(
          "{} {:.2f} {} {:.2f} {:.2f} {:.2f} {:.2f} {:.2f} 1.50 1.60 3.90 1.00 1.70 8.40 "
          "0.10\n",
          type, truncated, occluded, alpha, left, top, left + width, bottom);
      if (type == "DontCare" || unit(random) < 0.15)
        continue;
      const double shift = (unit(random) - 0.5) * width * 0.3;
      res.print(
          "{} -1 -1 {:.2f} {:.2f} {:.2f} {:.2f} {:.2f} -1 -1 -1 -1000 -1000 -1000 -10 "
          "{:.4f}\n",
          type == "Van" ? "Car" : type, alpha + (unit(random) - 0.5), left + shift, top,
          left + width + shift, bottom, unit(random));
    }
    if (unit(random) < 0.3) {  // a false positive
      const double left = unit(random) * 1100, top = 100 + unit(random) * 200;
      res.print(
          "Car -1 -1 0.00 {:.2f} {:.2f} {:.2f} {:.2f} -1 -1 -1 -1000 -1000 -1000 -10 "
          "{:.4f}\n",
          left, top, left + 80, top + 50, unit(random));
    }
  }
  return 0;
}
