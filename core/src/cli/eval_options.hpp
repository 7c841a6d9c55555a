// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "ea/core/eval/coco_params.hpp"

namespace ea::cli {

/// The COCO protocol options `ea evaluate` and `ea cocoeval` share, as typed on the command line.
struct EvalOptions {
  std::string iou_type = "bbox";  ///< --iou-type
  std::string iou_thresholds;     ///< --iou-thrs: "0.5:0.95:0.05" or "0.5,0.75"
  std::string max_dets;           ///< --max-dets: "1,10,100"
  std::string area_ranges;        ///< --area-ranges: "all=0:1e10,small=0:1024,…"
  bool no_categories = false;     ///< --no-cats
  bool no_quirks = false;         ///< --no-quirks
  double min_score = 0;           ///< --min-score
  bool per_class = false;         ///< --per-class
  bool json = false;              ///< --json

  /// The parameters these options describe; throws Failure on a malformed value.
  core::eval::CocoParams params() const;
};

/// Registers the shared options on `command`.
void add_eval_options(CLI::App& command, EvalOptions& options);

}  // namespace ea::cli
