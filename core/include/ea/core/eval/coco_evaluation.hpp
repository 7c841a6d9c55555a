// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ea/core/eval/coco_params.hpp"
#include "ea/core/eval/eval_dataset.hpp"

namespace ea::core::eval {

/// What became of a detection at the first IoU threshold, area "all".
enum class Outcome : std::uint8_t {
  true_positive,   ///< matched a label
  false_positive,  ///< matched nothing; see FalsePositiveReason
  ignored,         ///< matched a crowd (or, without quirks, an ignored) region
  not_evaluated,   ///< beyond the per-image maxDets, below --min-score, or a class without GT
};

/// Why a detection is a false positive at the first IoU threshold.
enum class FalsePositiveReason : std::uint8_t {
  none,      ///< not a false positive
  no_label,  ///< no label of its class in the frame
  low_iou,   ///< labels of its class exist but overlap too little
  taken,     ///< a label overlaps enough but a higher-scoring detection took it
  id_zero,   ///< it matched a label whose COCO id is 0, which pycocotools never counts
};

/// A detection's stored result.
struct DetectionResult {
  Outcome outcome = Outcome::not_evaluated;                ///< at the first threshold
  FalsePositiveReason reason = FalsePositiveReason::none;  ///< for false positives
  std::int32_t truth = -1;  ///< index into EvalDataset::truths of the label matched, or -1
  double iou = 0;           ///< IoU with that label, else the best IoU with one of its class
  std::uint64_t true_positive_mask = 0;  ///< bit t: a true positive at iou_thresholds[t]
  std::uint64_t ignored_mask = 0;        ///< bit t: neither true nor false positive there
};

/// A label's stored result.
struct TruthResult {
  std::uint64_t matched_mask = 0;  ///< bit t: matched at iou_thresholds[t]
  bool ignored = false;            ///< crowd (or ignored) region, never a miss
};

/// The summary numbers of one class (−1 where pycocotools has no entry > −1).
struct CategoryStats {
  double ap = -1, ap50 = -1, ap75 = -1, ap_small = -1, ap_medium = -1, ap_large = -1;
  double ar1 = -1, ar10 = -1, ar100 = -1;  ///< recall at the three maxDets
  std::uint64_t truths = 0;                ///< non-ignored labels (area all)
  std::uint64_t detections = 0;            ///< detections evaluated
};

/// Names of the 12 summary numbers in pycocotools' order.
inline constexpr std::array<const char*, 12> kStatNames = {
    "AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100", "ARs", "ARm", "ARl"};

/// The full result of a COCO evaluation: pycocotools' arrays, the summary and per-object results.
struct CocoEvaluation {
  CocoParams params;                              ///< what was evaluated
  std::size_t T = 0, R = 0, K = 0, A = 0, M = 0;  ///< array extents as in pycocotools
  /// [T][R][K][A][M], −1 where a class has no GT. Filled where results read it: at maxDets 100,
  /// maxDets[2] and the largest maxDets (pycocotools fills every maxDets; nothing reads the rest).
  std::vector<double> precision;
  std::vector<double> scores;               ///< [T][R][K][A][M], score at each recall point
  std::vector<double> recall;               ///< [T][K][A][M]
  std::array<double, 12> stats{};           ///< pycocotools' summarize() numbers
  std::vector<CategoryStats> per_category;  ///< per class (one entry when class-agnostic)
  std::vector<DetectionResult> detections;  ///< parallel to EvalDataset::detections
  std::vector<TruthResult> truths;          ///< parallel to EvalDataset::truths
  std::vector<std::string> quirk_notes;     ///< one line per quirk that changed a number

  /// precision[t][r][k][a][m].
  double precision_at(std::size_t t, std::size_t r, std::size_t k, std::size_t a,
                      std::size_t m) const {
    return precision[(((t * R + r) * K + k) * A + a) * M + m];
  }
  /// scores[t][r][k][a][m].
  double score_at(std::size_t t, std::size_t r, std::size_t k, std::size_t a, std::size_t m) const {
    return scores[(((t * R + r) * K + k) * A + a) * M + m];
  }
  /// recall[t][k][a][m].
  double recall_at(std::size_t t, std::size_t k, std::size_t a, std::size_t m) const {
    return recall[((t * K + k) * A + a) * M + m];
  }
};

/// Called with the per-object results as soon as they are final (before the curves are
/// accumulated), so that a caller can store them on another core meanwhile. The spans view the
/// returned evaluation's `detections` and `truths`, which do not change afterwards.
using MatchedCallback =
    std::function<void(std::span<const DetectionResult>, std::span<const TruthResult>)>;

/// Evaluates like pycocotools' COCOeval evaluate() + accumulate() + summarize(), using both cores.
/// With quirks on, it also evaluates without them when a quirk could matter and notes each one
/// that changed a number.
CocoEvaluation evaluate_coco(const EvalDataset& dataset, const CocoParams& params,
                             const MatchedCallback& on_matched = nullptr);

}  // namespace ea::core::eval
