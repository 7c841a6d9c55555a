// SPDX-License-Identifier: Apache-2.0
// `ea evaluate --protocol kitti`: a hand-counted case, and generated data checked against a
// straightforward second implementation of the devkit's rules written here.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "cli_fixture.hpp"

namespace fs = std::filesystem;

namespace ea::test {
namespace {

struct Object {
  std::string type;
  double x1, y1, x2, y2;
  double truncated = 0, occluded = 0, alpha = -10, score = 0;
};

std::string label_line(const Object& o, bool result) {
  std::string line = fmt::format("{} {} {} {} {} {} {} {} 1 1 1 1 1 1 0", o.type, o.truncated,
                                 o.occluded, o.alpha, o.x1, o.y1, o.x2, o.y2);
  return line + (result ? fmt::format(" {}\n", o.score) : "\n");
}

// A project of `images` 640×480 images and their KITTI files; returns the project folder.
fs::path kitti_project(const TempDir& dir, const std::vector<std::vector<Object>>& truths,
                       const std::vector<std::vector<Object>>& detections) {
  for (const char* folder : {"images", "gt", "res"})
    fs::create_directories(dir / folder);
  const cv::Mat pixels(480, 640, CV_8UC3, cv::Scalar(1, 2, 3));
  for (std::size_t i = 0; i < truths.size(); ++i) {
    const std::string stem = fmt::format("{:06d}", i);
    cv::imwrite((dir / "images" / (stem + ".png")).string(), pixels);
    std::string gt, res;
    for (const Object& o : truths[i])
      gt += label_line(o, false);
    for (const Object& o : detections[i])
      res += label_line(o, true);
    write_file(dir / "gt" / (stem + ".txt"), gt);
    write_file(dir / "res" / (stem + ".txt"), res);
  }
  const fs::path root = dir / "p";
  REQUIRE(ea({"-t", root.string(), "init", "--images", (dir / "images").string()}).exit_code == 0);
  const auto gt =
      ea({"-t", root.string(), "import", "project", "--format", "kitti", (dir / "gt").string()});
  REQUIRE_MESSAGE(gt.exit_code == 0, gt.err);
  const auto res = ea({"-t", root.string(), "import", "--format", "kitti", "--class-map",
                       (dir / "classes.json").string(), (dir / "res").string()});
  REQUIRE_MESSAGE(res.exit_code == 0, res.err);
  return root;
}

// --- a second, straightforward implementation of evaluate_object.cpp's 2D rules ---------------

double iou(const Object& a, const Object& b, bool over_first) {
  const double w = std::min(a.x2, b.x2) - std::max(a.x1, b.x1);
  const double h = std::min(a.y2, b.y2) - std::max(a.y1, b.y1);
  if (w <= 0 || h <= 0)
    return 0;
  const double area_a = (a.x2 - a.x1) * (a.y2 - a.y1), area_b = (b.x2 - b.x1) * (b.y2 - b.y1);
  return over_first ? w * h / area_a : w * h / (area_a + area_b - w * h);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

struct Curves {
  std::vector<double> precision, aos;
};

Curves reference(const std::vector<std::vector<Object>>& truths,
                 const std::vector<std::vector<Object>>& detections, const std::string& cls,
                 int level, double min_overlap, bool aos) {
  const double min_height[] = {40, 25, 25}, max_occ[] = {0, 1, 2}, max_trunc[] = {.15, .3, .5};
  const std::size_t images = truths.size();
  std::vector<std::vector<int>> ig(images), id(images);
  std::size_t n_gt = 0;
  for (std::size_t i = 0; i < images; ++i) {
    for (const Object& g : truths[i]) {
      const std::string t = lower(g.type);
      const int valid =
          t == cls                                                                         ? 1
          : (cls == "car" && t == "van") || (cls == "pedestrian" && t == "person_sitting") ? 0
                                                                                           : -1;
      const bool skip = g.occluded > max_occ[level] || g.truncated > max_trunc[level] ||
                        g.y2 - g.y1 <= min_height[level];
      ig[i].push_back(valid == 1 && !skip ? 0 : (valid == 0 || valid == 1) ? 1 : -1);
      n_gt += valid == 1 && !skip;
    }
    for (const Object& d : detections[i]) {
      const int height = static_cast<int>(std::fabs(d.y1 - d.y2));
      id[i].push_back(height < min_height[level] ? 1 : lower(d.type) == cls ? 0 : -1);
    }
  }
  struct Stat {
    long tp = 0, fp = 0, fn = 0;
    double similarity = -1;
    std::vector<double> scores;
  };
  const auto run = [&](std::size_t i, bool fp_pass, double thresh) {
    Stat s;
    const auto& gt = truths[i];
    const auto& det = detections[i];
    std::vector<bool> taken(det.size()), low(det.size());
    for (std::size_t j = 0; j < det.size(); ++j)
      low[j] = fp_pass && det[j].score < thresh;
    std::vector<double> delta;
    for (std::size_t g = 0; g < gt.size(); ++g) {
      if (ig[i][g] == -1)
        continue;
      int best = -1;
      double valid = -10000000, max_iou = 0;
      bool on_ignored = false;
      for (std::size_t j = 0; j < det.size(); ++j) {
        if (id[i][j] == -1 || taken[j] || low[j])
          continue;
        const double o = iou(det[j], gt[g], false);
        if (!fp_pass) {
          if (o > min_overlap && det[j].score > valid)
            best = static_cast<int>(j), valid = det[j].score;
        } else if (o > min_overlap && (o > max_iou || on_ignored) && id[i][j] == 0) {
          max_iou = o, best = static_cast<int>(j), valid = 1, on_ignored = false;
        } else if (o > min_overlap && valid == -10000000 && id[i][j] == 1) {
          best = static_cast<int>(j), valid = 1, on_ignored = true;
        }
      }
      if (best < 0) {
        s.fn += ig[i][g] == 0;
      } else if (ig[i][g] == 1 || id[i][static_cast<std::size_t>(best)] == 1) {
        taken[static_cast<std::size_t>(best)] = true;
      } else {
        ++s.tp;
        s.scores.push_back(det[static_cast<std::size_t>(best)].score);
        delta.push_back(gt[g].alpha - det[static_cast<std::size_t>(best)].alpha);
        taken[static_cast<std::size_t>(best)] = true;
      }
    }
    if (fp_pass) {
      for (std::size_t j = 0; j < det.size(); ++j)
        s.fp += !taken[j] && id[i][j] == 0 && !low[j];
      for (const Object& region : gt) {
        if (lower(region.type) != "dontcare")
          continue;
        for (std::size_t j = 0; j < det.size(); ++j) {
          if (!taken[j] && id[i][j] == 0 && !low[j] && iou(det[j], region, true) > min_overlap)
            taken[j] = true, --s.fp;
        }
      }
      if (aos && (s.tp > 0 || s.fp > 0)) {
        s.similarity = 0;
        for (const double d : delta)
          s.similarity += (1 + std::cos(d)) / 2;
      }
    }
    return s;
  };
  std::vector<double> v;
  for (std::size_t i = 0; i < images; ++i) {
    const Stat s = run(i, false, 0);
    v.insert(v.end(), s.scores.begin(), s.scores.end());
  }
  std::sort(v.begin(), v.end(), std::greater<>());
  std::vector<double> thresholds;
  double recall = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const double l = (i + 1.0) / static_cast<double>(n_gt);
    const double r = i + 1 < v.size() ? (i + 2.0) / static_cast<double>(n_gt) : l;
    if (r - recall < recall - l && i + 1 < v.size())
      continue;
    thresholds.push_back(v[i]);
    recall += 1.0 / 40.0;
  }
  Curves curves{std::vector<double>(41, 0), std::vector<double>(41, 0)};
  for (std::size_t t = 0; t < thresholds.size(); ++t) {
    long tp = 0, fp = 0;
    double similarity = 0;
    for (std::size_t i = 0; i < images; ++i) {
      const Stat s = run(i, true, thresholds[t]);
      tp += s.tp, fp += s.fp;
      if (s.similarity != -1)
        similarity += s.similarity;
    }
    curves.precision[t] = static_cast<double>(tp) / static_cast<double>(tp + fp);
    curves.aos[t] = aos ? similarity / static_cast<double>(tp + fp) : 0;
  }
  for (std::size_t t = 0; t < thresholds.size(); ++t) {
    curves.precision[t] =
        *std::max_element(curves.precision.begin() + static_cast<long>(t), curves.precision.end());
    curves.aos[t] = *std::max_element(curves.aos.begin() + static_cast<long>(t), curves.aos.end());
  }
  return curves;
}

double r40(const std::vector<double>& curve) {
  double sum = 0;
  for (std::size_t i = 1; i < 41; ++i)
    sum += curve[i];
  return sum / 40;
}

double r11(const std::vector<double>& curve) {
  double sum = 0;
  for (std::size_t i = 0; i < 41; i += 4)
    sum += curve[i];
  return sum / 11;
}

}  // namespace

TEST_CASE("KITTI protocol: a hand-counted case of cars, a van, pedestrian, cyclists, DontCare") {
  const TempDir dir;
  write_file(dir / "classes.json", "{}");
  // Image 0: cars G1 and G2, a van; detections D1 on G1 (0.9), D2 on the van (0.8: matches a
  // neighbouring class, counts neither way), D3 on nothing (0.7), D7 30 px high on nothing
  // (0.95: below the easy minimum height, a false positive at moderate and hard).
  // Both images hold a cyclist, found at 0.3 in image 0 and 0.8 in image 1, beside a cyclist
  // false positive at 0.9 in image 1.
  // Image 1: cars G3 and G4, a DontCare region, a pedestrian occluded 2 (hard only);
  // detections D4 on G3 (0.6), D5 in the DontCare region (0.65: not a false positive), D6 beside
  // G4 with IoU 1/3 (0.4), a pedestrian on the pedestrian (0.7).
  const std::vector<std::vector<Object>> truths{{{"Car", 10, 10, 110, 110},
                                                 {"Car", 200, 10, 300, 110},
                                                 {"Van", 400, 10, 500, 110},
                                                 {"Cyclist", 450, 200, 480, 290}},
                                                {{"Car", 10, 10, 110, 110},
                                                 {"Car", 200, 10, 300, 110},
                                                 {"DontCare", 400, 10, 500, 110},
                                                 {"Pedestrian", 500, 200, 530, 300, 0, 2},
                                                 {"Cyclist", 300, 200, 330, 290}}};
  const std::vector<std::vector<Object>> detections{
      {{"Car", 10, 10, 110, 110, -1, -1, -10, 0.9},
       {"Car", 400, 10, 500, 110, -1, -1, -10, 0.8},
       {"Car", 550, 10, 630, 110, -1, -1, -10, 0.7},
       {"Car", 10, 200, 60, 230, -1, -1, -10, 0.95},
       {"Cyclist", 450, 200, 480, 290, -1, -1, -10, 0.3}},
      {{"Car", 10, 10, 110, 110, -1, -1, -10, 0.6},
       {"Car", 400, 10, 500, 110, -1, -1, -10, 0.65},
       {"Car", 250, 10, 350, 110, -1, -1, -10, 0.4},
       {"Pedestrian", 500, 200, 530, 300, -1, -1, -10, 0.7},
       {"Cyclist", 300, 200, 330, 290, -1, -1, -10, 0.8},
       {"Cyclist", 100, 300, 130, 390, -1, -1, -10, 0.9}}};
  const fs::path root = kitti_project(dir, truths, detections);
  const auto evaluated = ea({"-t", root.string(), "evaluate", "--protocol", "kitti", "--json"});
  REQUIRE_MESSAGE(evaluated.exit_code == 0, evaluated.err);
  const auto result = nlohmann::json::parse(evaluated.out);
  const auto& car = result["per_class"]["Car"];
  // Car, 4 labels: TP scores 0.9 and 0.6 give thresholds 0.9 and 0.6. Easy: at 0.9 1 TP 0 FP,
  // at 0.6 2 TP and 1 FP (D3; D5 is removed by DontCare). Moderate and hard: D7 adds a FP to
  // both: 1/2 and 2/4.
  CHECK(car["labels"]["easy"] == 4);
  CHECK(car["AP_R40"]["easy"].get<double>() == doctest::Approx(2.0 / 3 / 40).epsilon(1e-12));
  CHECK(car["AP_R11"]["easy"].get<double>() == doctest::Approx(1.0 / 11).epsilon(1e-12));
  for (const char* level : {"moderate", "hard"}) {
    CHECK(car["AP_R40"][level].get<double>() == doctest::Approx(0.5 / 40).epsilon(1e-12));
    CHECK(car["AP_R11"][level].get<double>() == doctest::Approx(0.5 / 11).epsilon(1e-12));
  }
  // Pedestrian: occluded 2, so it counts only at hard, where its detection is the only point.
  const auto& pedestrian = result["per_class"]["Pedestrian"];
  CHECK(pedestrian["labels"]["easy"] == 0);
  CHECK(pedestrian["labels"]["hard"] == 1);
  CHECK(pedestrian["AP_R11"]["easy"].get<double>() == 0);
  CHECK(pedestrian["AP_R11"]["hard"].get<double>() == doctest::Approx(1.0 / 11).epsilon(1e-12));
  CHECK(pedestrian["AP_R40"]["hard"].get<double>() == 0);
  // Cyclist, 2 labels, one per image, found at 0.8 and 0.3, and a false positive at 0.9:
  // thresholds 0.8 (1 TP, 1 FP) and 0.3 (2 TP, 1 FP), precision 1/2 → 2/3 after the maximum.
  const auto& cyclist = result["per_class"]["Cyclist"];
  for (const char* level : {"easy", "moderate", "hard"}) {
    CHECK(cyclist["labels"][level] == 2);
    CHECK(cyclist["AP_R40"][level].get<double>() == doctest::Approx(2.0 / 3 / 40).epsilon(1e-12));
    CHECK(cyclist["AP_R11"][level].get<double>() == doctest::Approx(2.0 / 3 / 11).epsilon(1e-12));
  }
  CHECK(result["not_evaluated"].empty());
  CHECK(result["orientation"] == false);

  // --min-overlap: with Car at 0.3, D6 (IoU 1/3) matches G4 too.
  const auto looser = nlohmann::json::parse(ea({"-t", root.string(), "evaluate", "--protocol",
                                                "kitti", "--json", "--min-overlap", "car=0.3"})
                                                .out);
  CHECK(looser["per_class"]["Car"]["min_overlap"] == 0.3);
  // TP scores 0.9, 0.6, 0.4: precision 1, 2/3 → 3/4 after the running maximum, 3/4.
  CHECK(looser["per_class"]["Car"]["AP_R40"]["easy"].get<double>() ==
        doctest::Approx(1.5 / 40).epsilon(1e-12));
  const auto bad =
      ea({"-t", root.string(), "evaluate", "--protocol", "kitti", "--min-overlap", "car"});
  CHECK(bad.exit_code != 0);
  CHECK(bad.err.find("--min-overlap takes CLASS=OVERLAP") != std::string::npos);
}

TEST_CASE("KITTI protocol: generated data agrees with a second implementation to 1e-6") {
  std::mt19937 random(11);
  std::uniform_real_distribution<double> unit(0, 1);
  const char* types[] = {"Car",     "Car", "Car", "Pedestrian", "Cyclist", "Van", "Person_sitting",
                         "DontCare"};
  std::vector<std::vector<Object>> truths(40), detections(40);
  for (std::size_t i = 0; i < truths.size(); ++i) {
    const int objects = 2 + static_cast<int>(unit(random) * 8);
    for (int k = 0; k < objects; ++k) {
      Object o{types[static_cast<int>(unit(random) * 8)], 0, 0, 0, 0};
      o.x1 = std::round(unit(random) * 500 * 100) / 100;
      o.y1 = std::round(unit(random) * 380 * 100) / 100;
      o.x2 = o.x1 + 15 + std::round(unit(random) * 120 * 100) / 100;
      o.y2 = o.y1 + 15 + std::round(unit(random) * 90 * 100) / 100;
      o.truncated = std::round(unit(random) * 60) / 100;
      o.occluded = static_cast<int>(unit(random) * 4);
      o.alpha = std::round((unit(random) * 6.28 - 3.14) * 100) / 100;
      truths[i].push_back(o);
      if (o.type == "DontCare" || unit(random) < 0.2)
        continue;
      Object d = o;  // a jittered detection
      const double shift = (unit(random) - 0.5) * 30;
      d.x1 += shift, d.x2 += shift;
      d.type = o.type == "Van" ? "Car" : o.type == "Person_sitting" ? "Pedestrian" : o.type;
      d.score = std::round(unit(random) * 1000) / 1000;
      d.alpha = std::round((o.alpha + (unit(random) - 0.5)) * 100) / 100;
      detections[i].push_back(d);
    }
    for (int k = static_cast<int>(unit(random) * 3); k > 0; --k) {  // false positives
      Object d{types[static_cast<int>(unit(random) * 5)], 0, 0, 0, 0};
      d.x1 = std::round(unit(random) * 500), d.y1 = std::round(unit(random) * 380);
      d.x2 = d.x1 + 20 + std::round(unit(random) * 100),
      d.y2 = d.y1 + 20 + std::round(unit(random) * 90);
      d.score = std::round(unit(random) * 1000) / 1000, d.alpha = 0.5;
      detections[i].push_back(d);
    }
  }
  const TempDir dir;
  write_file(dir / "classes.json", "{}");
  const fs::path root = kitti_project(dir, truths, detections);
  const auto evaluated = ea({"-t", root.string(), "evaluate", "--protocol", "kitti", "--json"});
  REQUIRE_MESSAGE(evaluated.exit_code == 0, evaluated.err);
  const auto result = nlohmann::json::parse(evaluated.out);
  REQUIRE(result["orientation"] == true);
  const std::vector<std::pair<std::string, double>> classes{
      {"Car", 0.7}, {"Pedestrian", 0.5}, {"Cyclist", 0.5}};
  for (const auto& [name, overlap] : classes) {
    for (int level = 0; level < 3; ++level) {
      const char* difficulty = level == 0 ? "easy" : level == 1 ? "moderate" : "hard";
      CAPTURE(name);
      CAPTURE(difficulty);
      const Curves expected = reference(truths, detections, lower(name), level, overlap, true);
      const auto& got = result["per_class"][name];
      CHECK(got["AP_R40"][difficulty].get<double>() ==
            doctest::Approx(r40(expected.precision)).epsilon(1e-6));
      CHECK(got["AP_R11"][difficulty].get<double>() ==
            doctest::Approx(r11(expected.precision)).epsilon(1e-6));
      CHECK(got["AOS_R40"][difficulty].get<double>() ==
            doctest::Approx(r40(expected.aos)).epsilon(1e-6));
    }
    CHECK(result["per_class"][name]["AP_R40"]["hard"].get<double>() > 0);  // not a vacuous case
  }
}

}  // namespace ea::test
