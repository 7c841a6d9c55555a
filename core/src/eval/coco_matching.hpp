// SPDX-License-Identifier: Apache-2.0
// Internal to the COCO evaluation: per (class, image) matching, pycocotools' evaluateImg.
#pragma once

#include <cstdint>
#include <thread>
#include <vector>

#include "ea/core/eval/coco_evaluation.hpp"

namespace ea::core::eval::detail {

/// The detections and labels of one class in one image (all classes when class-agnostic).
struct Group {
  std::uint32_t category = 0;   ///< evaluation class index (0 when class-agnostic)
  std::size_t first_truth = 0;  ///< range in MatchTable::truth_order
  std::size_t truth_count = 0;
  std::size_t first_detection = 0;  ///< range in MatchTable::detection_order (file order)
  std::size_t detection_count = 0;
  std::size_t first_slot = 0;  ///< range in the slot arrays: the detections kept, by score
  std::size_t slot_count = 0;
};

/// evaluateImg's output for every group and area range, in flat arrays.
struct MatchTable {
  std::vector<Group> groups;                   ///< by class, then image in evaluation order
  std::vector<std::size_t> category_groups;    ///< K + 1 offsets into groups
  std::vector<std::uint32_t> truth_order;      ///< truth indices grouped
  std::vector<std::uint32_t> detection_order;  ///< detection indices grouped, file order inside
  std::vector<std::uint32_t> slot_detection;   ///< detection index of each slot
  std::vector<double> slot_score;              ///< its score
  std::vector<std::uint64_t> matched;  ///< [A][slot]: bit t = dtMatches non-zero at threshold t
  std::vector<std::uint64_t> ignored;  ///< [A][slot]: bit t = dtIgnore at threshold t
  std::vector<std::uint32_t> counted_truths;  ///< [group][A]: labels not ignored (npig share)
};

/// Groups the dataset and matches every group on all cores; fills the per-object results.
MatchTable match_groups(const EvalDataset& dataset, const CocoParams& params,
                        std::vector<DetectionResult>& detections, std::vector<TruthResult>& truths);

/// pycocotools' accumulate(): fills precision, scores and recall of `evaluation`.
void accumulate(const MatchTable& table, CocoEvaluation& evaluation);

/// pycocotools' summarize() and the same numbers per class.
void summarize(CocoEvaluation& evaluation);

/// Calls work(begin, end) for [0, split) on a second thread and [split, count) on this one.
template <class Work>
void run_on_both_cores(std::size_t count, std::size_t split, const Work& work) {
  std::thread other([&] { work(std::size_t{0}, split); });
  try {
    work(split, count);
  } catch (...) {
    other.join();
    throw;
  }
  other.join();
}

}  // namespace ea::core::eval::detail
