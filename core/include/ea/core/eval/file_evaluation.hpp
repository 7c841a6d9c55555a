// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>

#include "ea/core/eval/coco_params.hpp"
#include "ea/core/eval/eval_dataset.hpp"
#include "ea/core/plugin_host.hpp"
#include "ea/core/store.hpp"

namespace ea::core::eval {

/// Ground truth and results read from two files into memory, with no project.
struct FileDataset {
  Store store;          ///< an in-memory store holding the ground truth (images, classes, labels)
  EvalDataset dataset;  ///< what evaluation reads
};

/// Reads a COCO ground-truth file and a COCO results file with the `coco` importer, validating
/// them as `ea import` does (the first invalid record fails), without writing anything to disk.
FileDataset load_coco_files(const PluginHost& host, const std::filesystem::path& truth_file,
                            const std::filesystem::path& results_file, IouType type);

}  // namespace ea::core::eval
