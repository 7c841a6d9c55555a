// SPDX-License-Identifier: Apache-2.0
// The 2D part of the KITTI object devkit's evaluate_object.cpp (../shared/reference/kitti.md),
// step for step: cleanData, computeStatistics (a first pass collecting true-positive scores, then
// one pass per sampled score threshold), getThresholds over 41 recall positions, the running
// maximum of precision and AOS. Only the overlaps are computed once per image instead of once per
// threshold; they do not depend on it.
#include "ea/core/eval/kitti_evaluation.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <numeric>
#include <thread>

namespace ea::core::eval {

namespace {

constexpr double kMinHeight[3] = {40, 25, 25};
constexpr double kMaxOcclusion[3] = {0, 1, 2};
constexpr double kMaxTruncation[3] = {0.15, 0.3, 0.5};
constexpr int kSamplePoints = 41;
constexpr double kNoDetection = -10000000;

// boxoverlap: criterion -1 is intersection over union, 0 intersection over the first box's area.
double overlap(const KittiBox& a, const KittiBox& b, int criterion) {
  const double w = std::min(a.x2, b.x2) - std::max(a.x1, b.x1);
  const double h = std::min(a.y2, b.y2) - std::max(a.y1, b.y1);
  if (w <= 0 || h <= 0)
    return 0;
  const double inter = w * h;
  const double a_area = (a.x2 - a.x1) * (a.y2 - a.y1);
  const double b_area = (b.x2 - b.x1) * (b.y2 - b.y1);
  return criterion == -1 ? inter / (a_area + b_area - inter) : inter / a_area;
}

// The overlaps of one image: every label with every detection, every detection with every
// DontCare region.
struct ImageOverlaps {
  std::vector<double> truth_detection;     // [truth * detections + detection]
  std::vector<double> detection_dontcare;  // [detection * regions + region]
  std::vector<std::size_t> dontcare;       // indices of the DontCare labels
};

ImageOverlaps overlaps_of(const KittiImage& image) {
  ImageOverlaps overlaps;
  const std::size_t n = image.detections.size();
  overlaps.truth_detection.resize(image.truths.size() * n);
  for (std::size_t t = 0; t < image.truths.size(); ++t) {
    if (image.truths[t].type == "dontcare")
      overlaps.dontcare.push_back(t);
    for (std::size_t d = 0; d < n; ++d)
      overlaps.truth_detection[t * n + d] =
          overlap(image.detections[d].box, image.truths[t].box, -1);
  }
  const std::size_t m = overlaps.dontcare.size();
  overlaps.detection_dontcare.resize(n * m);
  for (std::size_t d = 0; d < n; ++d) {
    for (std::size_t r = 0; r < m; ++r)
      overlaps.detection_dontcare[d * m + r] =
          overlap(image.detections[d].box, image.truths[overlaps.dontcare[r]].box, 0);
  }
  return overlaps;
}

// cleanData: 0 evaluated, 1 ignored (neither TP nor FP/FN), -1 another class.
struct Cleaned {
  std::vector<int> truths;
  std::vector<int> detections;
  std::size_t counted = 0;  // labels that count
};

Cleaned clean(const std::string& name, const KittiImage& image, int difficulty) {
  Cleaned cleaned;
  for (const KittiObject& truth : image.truths) {
    int valid = -1;
    if (truth.type == name)
      valid = 1;
    else if ((name == "pedestrian" && truth.type == "person_sitting") ||
             (name == "car" && truth.type == "van"))
      valid = 0;  // a neighbouring class is not held against a detector
    const double height = truth.box.y2 - truth.box.y1;
    const bool ignore = truth.occluded > kMaxOcclusion[difficulty] ||
                        truth.truncated > kMaxTruncation[difficulty] ||
                        height <= kMinHeight[difficulty];
    if (valid == 1 && !ignore) {
      cleaned.truths.push_back(0);
      ++cleaned.counted;
    } else if (valid == 0 || (ignore && valid == 1)) {
      cleaned.truths.push_back(1);
    } else {
      cleaned.truths.push_back(-1);
    }
  }
  for (const KittiObject& detection : image.detections) {
    // The devkit truncates the height to an integer, and tests it before the class.
    const auto height = static_cast<std::int32_t>(std::fabs(detection.box.y1 - detection.box.y2));
    if (height < kMinHeight[difficulty])
      cleaned.detections.push_back(1);
    else
      cleaned.detections.push_back(detection.type == name ? 0 : -1);
  }
  return cleaned;
}

struct Statistics {
  long tp = 0, fp = 0, fn = 0;
  double similarity = -1;  // -1: no TP and no FP in the image
};

// Buffers one task reuses for every image and threshold (allocating them per call was a sixth of
// the evaluation).
struct Scratch {
  std::vector<char> assigned, below;
  std::vector<double> delta;
  std::vector<double> scores;  // of the true positives (first pass)
};

// computeStatistics for one image. `threshold` applies when `compute_fp`.
Statistics statistics(const KittiImage& image, const ImageOverlaps& overlaps,
                      const Cleaned& cleaned, double min_overlap, bool compute_fp, bool compute_aos,
                      double threshold, Scratch& scratch) {
  Statistics stat;
  const std::size_t n = image.detections.size();
  std::vector<char>& assigned = scratch.assigned;
  std::vector<char>& below = scratch.below;
  assigned.assign(n, 0);
  below.assign(n, 0);
  if (compute_fp) {
    for (std::size_t d = 0; d < n; ++d)
      below[d] = image.detections[d].score < threshold;
  }
  std::vector<double>& delta = scratch.delta;
  delta.clear();
  for (std::size_t t = 0; t < image.truths.size(); ++t) {
    if (cleaned.truths[t] == -1)
      continue;
    std::ptrdiff_t chosen = -1;
    double valid = kNoDetection;
    double max_iou = 0;
    bool chose_ignored = false;
    for (std::size_t d = 0; d < n; ++d) {
      if (cleaned.detections[d] == -1 || assigned[d] || below[d])
        continue;
      const double iou = overlaps.truth_detection[t * n + d];
      const double score = image.detections[d].score;
      if (!compute_fp && iou > min_overlap && score > valid) {
        chosen = static_cast<std::ptrdiff_t>(d);
        valid = score;
      } else if (compute_fp && iou > min_overlap && (iou > max_iou || chose_ignored) &&
                 cleaned.detections[d] == 0) {
        max_iou = iou;
        chosen = static_cast<std::ptrdiff_t>(d);
        valid = 1;
        chose_ignored = false;
      } else if (compute_fp && iou > min_overlap && valid == kNoDetection &&
                 cleaned.detections[d] == 1) {
        chosen = static_cast<std::ptrdiff_t>(d);
        valid = 1;
        chose_ignored = true;
      }
    }
    if (valid == kNoDetection && cleaned.truths[t] == 0) {
      ++stat.fn;
    } else if (valid != kNoDetection &&
               (cleaned.truths[t] == 1 ||
                cleaned.detections[static_cast<std::size_t>(chosen)] == 1)) {
      assigned[static_cast<std::size_t>(chosen)] = 1;
    } else if (valid != kNoDetection) {
      const auto& detection = image.detections[static_cast<std::size_t>(chosen)];
      ++stat.tp;
      if (!compute_fp)
        scratch.scores.push_back(detection.score);
      if (compute_aos)
        delta.push_back(image.truths[t].alpha - detection.alpha);
      assigned[static_cast<std::size_t>(chosen)] = 1;
    }
  }
  if (!compute_fp)
    return stat;
  for (std::size_t d = 0; d < n; ++d) {
    if (!(assigned[d] || cleaned.detections[d] == -1 || cleaned.detections[d] == 1 || below[d]))
      ++stat.fp;
  }
  // Unassigned detections inside a DontCare region are no false positives.
  long in_dontcare = 0;
  const std::size_t m = overlaps.dontcare.size();
  for (std::size_t r = 0; r < m; ++r) {
    for (std::size_t d = 0; d < n; ++d) {
      if (assigned[d] || cleaned.detections[d] == -1 || cleaned.detections[d] == 1 || below[d])
        continue;
      if (overlaps.detection_dontcare[d * m + r] > min_overlap) {
        assigned[d] = 1;
        ++in_dontcare;
      }
    }
  }
  stat.fp -= in_dontcare;
  if (compute_aos && (stat.tp > 0 || stat.fp > 0)) {
    // False positives have a similarity of 0.
    stat.similarity = 0;
    for (const double difference : delta)
      stat.similarity += (1.0 + std::cos(difference)) / 2.0;
  }
  return stat;
}

// getThresholds: the true-positive scores nearest to 41 evenly spaced recall positions.
std::vector<double> thresholds_of(std::vector<double> scores, std::size_t labels) {
  std::vector<double> thresholds;
  std::sort(scores.begin(), scores.end(), std::greater<>());
  double current_recall = 0;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    const double left = static_cast<double>(i + 1) / static_cast<double>(labels);
    const double right =
        i + 1 < scores.size() ? static_cast<double>(i + 2) / static_cast<double>(labels) : left;
    if ((right - current_recall) < (current_recall - left) && i + 1 < scores.size())
      continue;
    thresholds.push_back(scores[i]);
    current_recall += 1.0 / (kSamplePoints - 1.0);
  }
  return thresholds;
}

// eval_class for one class and difficulty.
void evaluate_class(const std::vector<KittiImage>& images,
                    const std::vector<ImageOverlaps>& overlaps, const std::string& name,
                    int difficulty, bool compute_aos, KittiClassResult& result) {
  std::vector<Cleaned> cleaned;
  cleaned.reserve(images.size());
  std::size_t labels = 0;
  Scratch scratch;
  for (std::size_t i = 0; i < images.size(); ++i) {
    cleaned.push_back(clean(name, images[i], difficulty));
    labels += cleaned.back().counted;
    statistics(images[i], overlaps[i], cleaned.back(), result.min_overlap, false, false, 0,
               scratch);
  }
  const std::vector<double> thresholds = thresholds_of(std::move(scratch.scores), labels);
  std::vector<long> tp(thresholds.size()), fp(thresholds.size()), fn(thresholds.size());
  std::vector<double> similarity(thresholds.size(), 0);
  for (std::size_t i = 0; i < images.size(); ++i) {
    for (std::size_t t = 0; t < thresholds.size(); ++t) {
      const Statistics stat = statistics(images[i], overlaps[i], cleaned[i], result.min_overlap,
                                         true, compute_aos, thresholds[t], scratch);
      tp[t] += stat.tp;
      fp[t] += stat.fp;
      fn[t] += stat.fn;
      if (stat.similarity != -1)
        similarity[t] += stat.similarity;
    }
  }
  std::vector<double> precision(kSamplePoints, 0), aos(kSamplePoints, 0);
  for (std::size_t t = 0; t < thresholds.size(); ++t) {
    precision[t] = static_cast<double>(tp[t]) / static_cast<double>(tp[t] + fp[t]);
    if (compute_aos)
      aos[t] = similarity[t] / static_cast<double>(tp[t] + fp[t]);
  }
  for (std::size_t t = 0; t < thresholds.size(); ++t) {
    precision[t] =
        *std::max_element(precision.begin() + static_cast<std::ptrdiff_t>(t), precision.end());
    if (compute_aos)
      aos[t] = *std::max_element(aos.begin() + static_cast<std::ptrdiff_t>(t), aos.end());
  }
  const auto r40 = [](const std::vector<double>& curve) {
    return std::accumulate(curve.begin() + 1, curve.end(), 0.0) / 40.0;
  };
  const auto r11 = [](const std::vector<double>& curve) {
    double sum = 0;
    for (std::size_t i = 0; i < curve.size(); i += 4)
      sum += curve[i];
    return sum / 11.0;
  };
  const auto d = static_cast<std::size_t>(difficulty);
  result.labels[d] = labels;
  result.ap_r40[d] = r40(precision);
  result.ap_r11[d] = r11(precision);
  if (compute_aos) {
    result.aos_r40[d] = r40(aos);
    result.aos_r11[d] = r11(aos);
  }
  result.precision[d] = std::move(precision);
  result.aos[d] = std::move(aos);
}

}  // namespace

KittiEvaluation evaluate_kitti(
    const std::vector<KittiImage>& images,
    const std::vector<std::pair<std::string, std::pair<std::string, double>>>& classes) {
  KittiEvaluation evaluation;
  evaluation.images = images.size();
  // The devkit evaluates orientation unless some detection has no alpha (-10).
  evaluation.orientation = true;
  for (const KittiImage& image : images) {
    for (const KittiObject& detection : image.detections)
      evaluation.orientation = evaluation.orientation && detection.alpha != -10;
  }
  std::vector<std::string> keys;  // lower-case name of each evaluated class
  for (const auto& [key, named] : classes) {
    std::size_t detections = 0;
    for (const KittiImage& image : images) {
      detections += static_cast<std::size_t>(
          std::count_if(image.detections.begin(), image.detections.end(),
                        [&key](const KittiObject& detection) { return detection.type == key; }));
    }
    if (detections == 0) {
      evaluation.not_evaluated.push_back(named.first);
      continue;
    }
    KittiClassResult result;
    result.name = named.first;
    result.min_overlap = named.second;
    result.detections = detections;
    evaluation.classes.push_back(std::move(result));
    keys.push_back(key);
  }
  std::vector<ImageOverlaps> overlaps;
  overlaps.reserve(images.size());
  for (const KittiImage& image : images)
    overlaps.push_back(overlaps_of(image));

  // Each (class, difficulty) is independent: both cores take the next one.
  std::vector<std::pair<std::size_t, int>> tasks;
  for (std::size_t c = 0; c < evaluation.classes.size(); ++c) {
    for (int difficulty = 0; difficulty < 3; ++difficulty)
      tasks.emplace_back(c, difficulty);
  }
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i = next++; i < tasks.size(); i = next++) {
      const auto [c, difficulty] = tasks[i];
      evaluate_class(images, overlaps, keys[c], difficulty, evaluation.orientation,
                     evaluation.classes[c]);
    }
  };
  {
    std::jthread helper(work);
    work();
  }
  return evaluation;
}

}  // namespace ea::core::eval
