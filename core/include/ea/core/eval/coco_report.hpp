// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "ea/core/eval/coco_evaluation.hpp"

namespace ea::core::eval {

/// The 12 lines pycocotools' summarize() prints, character for character.
std::string summary_text(const CocoEvaluation& evaluation);

/// What both `ea evaluate` and `ea cocoeval` print: the summary, a "Note:" line per quirk that
/// changed a number, and with `per_class` the per-class table.
std::string report_text(const CocoEvaluation& evaluation, const EvalDataset& dataset,
                        bool per_class);

/// A table of AP, AP50, AP75, APs/m/l and AR1/10/100 per class, with label and detection counts;
/// classes without labels are listed after it (COCO leaves them out of the means).
std::string per_class_table(const CocoEvaluation& evaluation, const EvalDataset& dataset);

/// The evaluation for machines (DESIGN §6): stats, stats_named, per_category keyed by class name
/// (null where pycocotools has no value), the PR curves at IoU .50 and .75 (area all, the largest
/// maxDets), parameters and quirk notes.
nlohmann::json evaluation_json(const CocoEvaluation& evaluation, const EvalDataset& dataset);

/// The parameters as JSON (stored with an evaluation and printed with --json).
nlohmann::json params_json(const CocoParams& params);

/// The name of the class at evaluation index `k` ("all classes" when class-agnostic).
std::string category_name(const CocoEvaluation& evaluation, const EvalDataset& dataset,
                          std::size_t k);

}  // namespace ea::core::eval
