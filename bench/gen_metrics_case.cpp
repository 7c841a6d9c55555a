// SPDX-License-Identifier: Apache-2.0
// Writes a case for the metrics benchmark with a fixed seed:
//   ea_gen_metrics_case OUT_DIR [IMAGES=5000] [DETECTIONS=500000] [SEED=7]
// OUT_DIR/images/frame_NNNNN.jpg: IMAGES JPEGs of 1280×720 (gradients, shapes and noise, so that
// decoding costs what a photo costs); OUT_DIR/gt.json: a COCO file naming them, with about 7 box
// labels per image over 80 classes; OUT_DIR/results.json: DETECTIONS box detections, 30 % of
// them jittered copies of a label, the rest anywhere.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace fs = std::filesystem;

namespace {

constexpr int kWidth = 1280, kHeight = 720, kClasses = 80;

struct Box {
  double x, y, w, h;
  int category;
};

cv::Mat make_image(std::mt19937& random) {
  cv::Mat image(kHeight, kWidth, CV_8UC3);
  std::uniform_int_distribution<int> colour(0, 255);
  const cv::Vec3b a(colour(random), colour(random), colour(random));
  const cv::Vec3b b(colour(random), colour(random), colour(random));
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) {
      const double t = (x + y) / double(kWidth + kHeight);
      image.at<cv::Vec3b>(y, x) = a * (1 - t) + b * t;
    }
  }
  std::uniform_int_distribution<int> px(0, kWidth - 1), py(0, kHeight - 1), radius(10, 150);
  for (int k = 0; k < 30; ++k) {
    cv::circle(image, {px(random), py(random)}, radius(random),
               cv::Scalar(colour(random), colour(random), colour(random)), cv::FILLED);
  }
  cv::Mat noise(kHeight, kWidth, CV_8UC3);
  cv::randu(noise, cv::Scalar::all(0), cv::Scalar::all(24));
  image += noise;
  return image;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: ea_gen_metrics_case OUT_DIR [IMAGES] [DETECTIONS] [SEED]\n");
    return 2;
  }
  const fs::path out = argv[1];
  const int images = argc > 2 ? std::stoi(argv[2]) : 5000;
  const long detections = argc > 3 ? std::stol(argv[3]) : 500000;
  std::mt19937 random(argc > 4 ? static_cast<unsigned>(std::stoul(argv[4])) : 7u);
  fs::create_directories(out / "images");

  std::vector<std::vector<Box>> labels(static_cast<std::size_t>(images));
  std::uniform_real_distribution<double> unit(0, 1);
  std::uniform_int_distribution<int> category(1, kClasses), per_image(3, 11);
  const auto random_box = [&](int cls) {
    const double w = 20 + unit(random) * 400, h = 20 + unit(random) * 300;
    return Box{unit(random) * (kWidth - w), unit(random) * (kHeight - h), w, h, cls};
  };
  std::ofstream gt(out / "gt.json");
  gt << R"({"images": [)";
  for (int i = 0; i < images; ++i) {
    const std::string name = fmt::format("frame_{:05d}.jpg", i);
    cv::imwrite((out / "images" / name).string(), make_image(random),
                {cv::IMWRITE_JPEG_QUALITY, 90});
    gt << (i ? "," : "")
       << fmt::format(R"({{"id": {}, "file_name": "{}", "width": {}, "height": {}}})", i + 1, name,
                      kWidth, kHeight);
    for (int k = per_image(random); k > 0; --k)
      labels[i].push_back(random_box(category(random)));
  }
  gt << R"(], "annotations": [)";
  long id = 0;
  for (int i = 0; i < images; ++i) {
    for (const Box& box : labels[i]) {
      gt << (id > 0 ? "," : "");
      ++id;
      gt << fmt::format(
          R"({{"id": {}, "image_id": {}, "category_id": {}, "bbox": [{:.2f}, {:.2f}, )"
          R"({:.2f}, {:.2f}], "area": {:.2f}, "iscrowd": 0}})",
          ++id, i + 1, box.category, box.x, box.y, box.w, box.h, box.w * box.h);
    }
  }
  gt << R"(], "categories": [)";
  for (int c = 1; c <= kClasses; ++c)
    gt << (c > 1 ? "," : "") << fmt::format(R"({{"id": {}, "name": "class{}"}})", c, c);
  gt << "]}\n";

  std::ofstream results(out / "results.json");
  results << "[";
  std::uniform_int_distribution<int> image_of(0, images - 1);
  for (long d = 0; d < detections; ++d) {
    const int image = static_cast<int>(d % images);
    Box box = random_box(category(random));
    double score = unit(random) * 0.5;
    if (unit(random) < 0.3 && !labels[image].empty()) {
      const Box& label = labels[image][static_cast<std::size_t>(d) % labels[image].size()];
      box = Box{label.x + (unit(random) - 0.5) * 8, label.y + (unit(random) - 0.5) * 8,
                label.w * (0.95 + unit(random) * 0.1), label.h * (0.95 + unit(random) * 0.1),
                unit(random) < 0.9 ? label.category : category(random)};
      box.x = std::clamp(box.x, 0.0, kWidth - box.w);
      box.y = std::clamp(box.y, 0.0, kHeight - box.h);
      score = 0.5 + unit(random) * 0.5;
    }
    results << (d ? "," : "")
            << fmt::format(
                   R"({{"image_id": {}, "category_id": {}, "bbox": [{:.2f}, {:.2f}, {:.2f}, )"
                   R"({:.2f}], "score": {:.4f}}})",
                   image + 1, box.category, box.x, box.y, box.w, box.h, score);
  }
  results << "]\n";
  return 0;
}
