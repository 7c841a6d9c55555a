// SPDX-License-Identifier: Apache-2.0
#include "ea/core/eval/confusion_matrix.hpp"

#include <algorithm>
#include <numeric>

#include "ea/sdk/iou.hpp"

namespace ea::core::eval {

namespace {

std::vector<std::vector<std::uint32_t>> by_image(const std::vector<EvalObject>& objects,
                                                 std::size_t images) {
  std::vector<std::vector<std::uint32_t>> lists(images);
  for (std::uint32_t i = 0; i < objects.size(); ++i)
    lists[objects[i].image].push_back(i);
  return lists;
}

}  // namespace

ConfusionMatrix confusion_matrix(const EvalDataset& dataset, IouType type, double iou,
                                 double score) {
  ConfusionMatrix matrix;
  for (const EvalCategory& category : dataset.categories)
    matrix.classes.push_back(category.name);
  matrix.iou_threshold = iou;
  matrix.score_threshold = score;
  const std::size_t size = matrix.classes.size() + 1, background = matrix.classes.size();
  matrix.counts.assign(size * size, 0);
  const auto count = [&](std::size_t truth, std::size_t predicted) {
    ++matrix.counts[truth * size + predicted];
  };
  const auto truths = by_image(dataset.truths, dataset.images.size());
  const auto detections = by_image(dataset.detections, dataset.images.size());
  std::vector<char> taken;
  for (std::size_t image = 0; image < dataset.images.size(); ++image) {
    std::vector<std::uint32_t> dets;
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
        const double overlap = type == IouType::bbox
                                   ? sdk::box_iou(detection.box, truth.box, truth.crowd)
                                   : sdk::mask_iou(dataset.masks[detection.mask],
                                                   dataset.masks[truth.mask], truth.crowd);
        if (truth.crowd || truth.ignore) {
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
  return matrix;
}

}  // namespace ea::core::eval
