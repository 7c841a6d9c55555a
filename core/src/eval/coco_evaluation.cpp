// SPDX-License-Identifier: Apache-2.0
#include "ea/core/eval/coco_evaluation.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "coco_matching.hpp"
#include "ea/core/failure.hpp"

namespace ea::core::eval {

namespace {

void check(const EvalDataset& dataset, const CocoParams& params) {
  if (params.iou_thresholds.empty() || params.iou_thresholds.size() > 64)
    throw Failure("give between 1 and 64 IoU thresholds.");
  if (!std::is_sorted(params.iou_thresholds.begin(), params.iou_thresholds.end()))
    throw Failure("the IoU thresholds must be ascending.");
  if (params.max_dets.empty() || !std::is_sorted(params.max_dets.begin(), params.max_dets.end()))
    throw Failure("maxDets must be one or more ascending numbers.");
  if (params.area_ranges.empty())
    throw Failure("give at least one area range.");
  if (params.iou_type == IouType::segm) {
    const auto unmasked = [](const EvalObject& object) { return object.mask == kNoMask; };
    if (std::any_of(dataset.detections.begin(), dataset.detections.end(), unmasked) ||
        std::any_of(dataset.truths.begin(), dataset.truths.end(), unmasked)) {
      throw Failure("segm evaluation needs a mask for every label and detection.");
    }
  }
}

CocoEvaluation evaluate_once(const EvalDataset& dataset, const CocoParams& params,
                             const MatchedCallback& on_matched) {
  CocoEvaluation evaluation;
  evaluation.params = params;
  evaluation.T = params.iou_thresholds.size();
  evaluation.R = params.recall_thresholds.size();
  evaluation.K = params.use_categories ? dataset.categories.size() : 1;
  evaluation.A = params.area_ranges.size();
  evaluation.M = params.max_dets.size();
  const detail::MatchTable table =
      detail::match_groups(dataset, params, evaluation.detections, evaluation.truths);
  if (on_matched)
    on_matched(evaluation.detections, evaluation.truths);
  detail::accumulate(table, evaluation);
  detail::summarize(evaluation);
  for (std::size_t k = 0; k < evaluation.K; ++k) {
    for (std::size_t g = table.category_groups[k]; g < table.category_groups[k + 1]; ++g) {
      evaluation.per_category[k].truths += table.counted_truths[g * evaluation.A];
      evaluation.per_category[k].detections += table.groups[g].slot_count;
    }
  }
  return evaluation;
}

bool same_numbers(const CocoEvaluation& a, const CocoEvaluation& b) {
  for (std::size_t i = 0; i < a.stats.size(); ++i) {
    if (std::fabs(a.stats[i] - b.stats[i]) > 1e-12)
      return false;
  }
  return true;
}

// Runs the evaluation again without quirks when one could matter, and says which did.
void note_quirks(const EvalDataset& dataset, CocoEvaluation& evaluation) {
  const auto id_zero = std::count_if(dataset.truths.begin(), dataset.truths.end(),
                                     [](const EvalObject& t) { return t.source_id == 0; });
  const auto ignore_flags = std::count_if(dataset.truths.begin(), dataset.truths.end(),
                                          [](const EvalObject& t) { return t.ignore && !t.crowd; });
  const auto& max_dets = evaluation.params.max_dets;
  const bool no_100 = std::find(max_dets.begin(), max_dets.end(), 100u) == max_dets.end();
  if (id_zero == 0 && ignore_flags == 0 && !no_100)
    return;
  CocoParams corrected = evaluation.params;
  corrected.quirks = false;
  if (same_numbers(evaluation, evaluate_once(dataset, corrected, nullptr)))
    return;
  if (id_zero > 0) {
    evaluation.quirk_notes.push_back(
        fmt::format("{} label(s) have COCO id 0, which pycocotools never counts as matched; "
                    "--no-quirks counts them and gives different numbers.",
                    id_zero));
  }
  if (ignore_flags > 0) {
    evaluation.quirk_notes.push_back(
        fmt::format("{} label(s) carry `ignore` without `iscrowd`, which pycocotools discards; "
                    "--no-quirks honours it and gives different numbers.",
                    ignore_flags));
  }
  if (no_100) {
    evaluation.quirk_notes.push_back(
        "AP is computed at maxDets 100, which --max-dets leaves out, so it is -1 as in "
        "pycocotools; --no-quirks uses the largest maxDets.");
  }
}

}  // namespace

CocoEvaluation evaluate_coco(const EvalDataset& dataset, const CocoParams& params,
                             const MatchedCallback& on_matched) {
  check(dataset, params);
  CocoEvaluation evaluation = evaluate_once(dataset, params, on_matched);
  if (params.quirks)
    note_quirks(dataset, evaluation);
  return evaluation;
}

}  // namespace ea::core::eval
