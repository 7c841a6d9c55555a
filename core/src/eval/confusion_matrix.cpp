// SPDX-License-Identifier: Apache-2.0
#include "ea/core/eval/confusion_matrix.hpp"

#include <algorithm>
#include <numeric>
#include <thread>

#include "ea/core/eval/object_iou.hpp"

namespace ea::core::eval {

namespace {

std::vector<std::vector<std::uint32_t>> by_image(const std::vector<EvalObject>& objects,
                                                 std::size_t images) {
  std::vector<std::vector<std::uint32_t>> lists(images);
  for (std::uint32_t i = 0; i < objects.size(); ++i)
    lists[objects[i].image].push_back(i);
  return lists;
}

// Counts images [begin, end) into `counts`.
void count_images(const EvalDataset& dataset, IouType type, double iou, double score,
                  const std::vector<std::vector<std::uint32_t>>& truths,
                  const std::vector<std::vector<std::uint32_t>>& detections, std::size_t begin,
                  std::size_t end, std::vector<std::uint64_t>& counts) {
  const std::size_t size = dataset.categories.size() + 1, background = size - 1;
  const auto count = [&](std::size_t truth, std::size_t predicted) {
    ++counts[truth * size + predicted];
  };
  std::vector<char> taken;
  std::vector<std::uint32_t> dets;
  for (std::size_t image = begin; image < end; ++image) {
    dets.clear();
    for (const std::uint32_t d : detections[image]) {
      if (dataset.detections[d].score >= score)
        dets.push_back(d);
    }
    std::stable_sort(dets.begin(), dets.end(), [&](std::uint32_t a, std::uint32_t b) {
      return dataset.detections[a].score > dataset.detections[b].score;
    });
    const auto& gts = truths[image];
    taken.assign(gts.size(), 0);
    for (const std::uint32_t d : dets) {
      const EvalObject& detection = dataset.detections[d];
      double best = iou;
      std::ptrdiff_t match = -1;
      bool on_region = false;  // overlaps a crowd or ignored region enough
      for (std::size_t g = 0; g < gts.size(); ++g) {
        const EvalObject& truth = dataset.truths[gts[g]];
        const bool region = truth.crowd || truth.ignore;
        // Only an IoU reaching the bar can change anything; most pairs are ruled out cheaply.
        const double bar = region ? iou : best;
        if ((region && on_region) || (!region && taken[g]))
          continue;
        const double bound = object_iou_bound(dataset, type, detection, truth);
        if (bound < bar)
          continue;
        // For boxes the bound is the IoU itself.
        const double overlap =
            type == IouType::bbox ? bound : object_iou(dataset, type, detection, truth);
        if (region) {
          on_region = on_region || overlap >= iou;
          continue;
        }
        if (taken[g] || overlap < best)
          continue;
        best = overlap;
        match = static_cast<std::ptrdiff_t>(g);
      }
      if (match >= 0) {
        taken[static_cast<std::size_t>(match)] = 1;
        count(dataset.truths[gts[static_cast<std::size_t>(match)]].category, detection.category);
      } else if (!on_region) {
        count(background, detection.category);
      }
    }
    for (std::size_t g = 0; g < gts.size(); ++g) {
      const EvalObject& truth = dataset.truths[gts[g]];
      if (!taken[g] && !truth.crowd && !truth.ignore)
        count(truth.category, background);
    }
  }
}

}  // namespace

ConfusionMatrix confusion_matrix(const EvalDataset& dataset, IouType type, double iou,
                                 double score) {
  ConfusionMatrix matrix;
  for (const EvalCategory& category : dataset.categories)
    matrix.classes.push_back(category.name);
  matrix.iou_threshold = iou;
  matrix.score_threshold = score;
  const std::size_t size = matrix.classes.size() + 1;
  const auto truths = by_image(dataset.truths, dataset.images.size());
  const auto detections = by_image(dataset.detections, dataset.images.size());
  // Images are independent: half of them on each core, the two tallies added.
  std::vector<std::uint64_t> first(size * size, 0), second(size * size, 0);
  const std::size_t images = dataset.images.size();
  std::thread other(
      [&] { count_images(dataset, type, iou, score, truths, detections, 0, images / 2, first); });
  count_images(dataset, type, iou, score, truths, detections, images / 2, images, second);
  other.join();
  matrix.counts.resize(size * size);
  for (std::size_t i = 0; i < size * size; ++i)
    matrix.counts[i] = first[i] + second[i];
  return matrix;
}

}  // namespace ea::core::eval
