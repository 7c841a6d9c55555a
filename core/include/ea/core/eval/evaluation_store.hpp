// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <SQLiteCpp/Transaction.h>
#include <nlohmann/json.hpp>

#include "ea/core/eval/coco_evaluation.hpp"
#include "ea/core/store.hpp"
#include "ea/core/validated_rows_only.hpp"

namespace ea::core::eval {

/// A prediction set as evaluation reads it: its predictions are ids first..last.
struct SetRange {
  std::int64_t id = 0;     ///< prediction_sets.id
  std::string name;        ///< its name
  std::int64_t first = 0;  ///< first prediction id
  std::int64_t last = -1;  ///< last prediction id (first − 1 when empty)
};

/// The set named `name`, or the most recently imported one when `name` is empty. Throws Failure
/// naming the sets there are when it does not exist.
SetRange find_set(Store& store, const std::string& name);

/// Stores the results of an evaluation that keeps no per-match rows (classification, KITTI),
/// replacing an earlier one of the same set, protocol and parameters; returns its id.
std::int64_t store_protocol_evaluation(Store& store, const SetRange& set,
                                       const std::string& protocol, const std::string& iou_type,
                                       const nlohmann::json& params, const nlohmann::json& results);

/// Stores one evaluation in one transaction: its parameters, each prediction's and label's match,
/// and the JSON of every number. An earlier evaluation of the same set with the same parameters
/// is replaced. Nothing is stored unless commit() is reached.
class EvaluationWriter {
 public:
  /// Opens the transaction and creates the evaluation's row.
  EvaluationWriter(Store& store, const SetRange& set, const CocoParams& params);
  /// The new evaluation's id.
  std::int64_t id() const noexcept { return id_; }
  /// Removes the evaluations this one replaces and writes every prediction's and label's result
  /// (may run on another thread while the caller does not use the store).
  void write_matches(const EvalDataset& dataset, std::span<const DetectionResult> detections,
                     std::span<const TruthResult> truths);
  /// Stores `results` and commits.
  void commit(const nlohmann::json& results);

 private:
  Store& store_;
  ValidatedRowsOnly validated_;  // before the transaction: the pragmas need none open
  SQLite::Transaction transaction_;
  std::int64_t id_ = 0;
  std::vector<std::int64_t> replaced_;  // earlier evaluations this one replaces
};

/// Detection counts of one class at an operating point.
struct OperatingPoint {
  std::string name;                   ///< the class
  std::uint64_t true_positives = 0;   ///< detections matching a label
  std::uint64_t false_positives = 0;  ///< detections matching none
  std::uint64_t false_negatives = 0;  ///< labels no detection above the score matched
  double precision = 0;               ///< tp / (tp + fp), 0 without detections
  double recall = 0;                  ///< tp / (tp + fn), 0 without labels
  double f1 = 0;                      ///< harmonic mean of the two
};

/// Precision, recall and F1 per class (and "all" last) at IoU threshold `iou` (one of the stored
/// thresholds) for detections scoring ≥ `score`, read from evaluation `evaluation_id`'s stored
/// matches with SQL.
std::vector<OperatingPoint> operating_point(Store& store, std::int64_t evaluation_id, double iou,
                                            double score);

}  // namespace ea::core::eval
