// SPDX-License-Identifier: Apache-2.0
// pycocotools' summarize(): the 12 numbers, and the same selections per class.
#include <optional>
#include <string_view>

#include "coco_matching.hpp"

namespace ea::core::eval::detail {

namespace {

// One _summarize() call: the mean of the selected entries that are > −1, else −1.
struct Selection {
  bool precision = true;          // AP (precision) or AR (recall)
  std::optional<double> iou;      // a single threshold, compared exactly as numpy does
  std::string_view area = "all";  // area range by name
  std::uint32_t max_det = 100;    // maxDets by value
};

double mean_of(const CocoEvaluation& e, const Selection& selection, std::optional<std::size_t> k) {
  const CocoParams& p = e.params;
  double sum = 0;
  std::size_t count = 0;
  for (std::size_t t = 0; t < e.T; ++t) {
    if (selection.iou && p.iou_thresholds[t] != *selection.iou)
      continue;
    for (std::size_t a = 0; a < e.A; ++a) {
      if (p.area_ranges[a].name != selection.area)
        continue;
      for (std::size_t m = 0; m < e.M; ++m) {
        if (p.max_dets[m] != selection.max_det)
          continue;
        for (std::size_t kk = k.value_or(0); kk < (k ? *k + 1 : e.K); ++kk) {
          if (selection.precision) {
            for (std::size_t r = 0; r < e.R; ++r) {
              const double value = e.precision_at(t, r, kk, a, m);
              if (value > -1) {
                sum += value;
                ++count;
              }
            }
          } else {
            const double value = e.recall_at(t, kk, a, m);
            if (value > -1) {
              sum += value;
              ++count;
            }
          }
        }
      }
    }
  }
  return count == 0 ? -1.0 : sum / static_cast<double>(count);
}

// pycocotools indexes maxDets[0..2]; with fewer values the last one stands in.
std::uint32_t max_det_at(const CocoParams& p, std::size_t index) {
  return p.max_dets[std::min(index, p.max_dets.size() - 1)];
}

std::array<double, 12> twelve(const CocoEvaluation& e, std::optional<std::size_t> k) {
  const CocoParams& p = e.params;
  // Stat 0 is hard-wired to maxDets=100 in pycocotools (AP is −1 when 100 is not among them).
  const std::uint32_t ap_max_det = p.quirks ? 100 : p.max_dets.back();
  const std::uint32_t last = max_det_at(p, 2);
  return {
      mean_of(e, {true, std::nullopt, "all", ap_max_det}, k),
      mean_of(e, {true, 0.5, "all", last}, k),
      mean_of(e, {true, 0.75, "all", last}, k),
      mean_of(e, {true, std::nullopt, "small", last}, k),
      mean_of(e, {true, std::nullopt, "medium", last}, k),
      mean_of(e, {true, std::nullopt, "large", last}, k),
      mean_of(e, {false, std::nullopt, "all", max_det_at(p, 0)}, k),
      mean_of(e, {false, std::nullopt, "all", max_det_at(p, 1)}, k),
      mean_of(e, {false, std::nullopt, "all", last}, k),
      mean_of(e, {false, std::nullopt, "small", last}, k),
      mean_of(e, {false, std::nullopt, "medium", last}, k),
      mean_of(e, {false, std::nullopt, "large", last}, k),
  };
}

}  // namespace

void summarize(CocoEvaluation& evaluation) {
  evaluation.stats = twelve(evaluation, std::nullopt);
  evaluation.per_category.resize(evaluation.K);
  for (std::size_t k = 0; k < evaluation.K; ++k) {
    const std::array<double, 12> s = twelve(evaluation, k);
    CategoryStats& c = evaluation.per_category[k];
    c.ap = s[0];
    c.ap50 = s[1];
    c.ap75 = s[2];
    c.ap_small = s[3];
    c.ap_medium = s[4];
    c.ap_large = s[5];
    c.ar1 = s[6];
    c.ar10 = s[7];
    c.ar100 = s[8];
  }
}

}  // namespace ea::core::eval::detail
