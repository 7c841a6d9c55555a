// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>

#include "ea/core/eval/coco_evaluation.hpp"
#include "ea/core/eval/confusion_matrix.hpp"
#include "ea/core/eval/kitti_evaluation.hpp"

namespace ea::core::eval {

/// Writes into `folder` (created if needed): pr_overall.png (the class-mean PR curve at IoU .50
/// and .75), pr_classes_iou50.png (the ten classes with most labels), classes/pr_<class>.png
/// (each class at IoU .50 and .75), confusion_matrix.png, and pr_curves.csv with every curve.
void write_evaluation_plots(const std::filesystem::path& folder, const CocoEvaluation& evaluation,
                            const EvalDataset& dataset, const ConfusionMatrix& confusion);

/// Writes kitti_pr_<class>.png (precision over the 41 recall positions at easy, moderate and
/// hard) into `folder`.
void write_kitti_plots(const std::filesystem::path& folder, const KittiEvaluation& evaluation);

}  // namespace ea::core::eval
