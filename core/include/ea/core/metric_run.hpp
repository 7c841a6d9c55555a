// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ea/core/diagnostics.hpp"
#include "ea/core/plugin_host.hpp"
#include "ea/core/project.hpp"

namespace ea::core {

/// The plugin that ships the built-in metrics: they are the default selection.
inline constexpr const char* kBuiltinMetricPlugin = "metrics";

/// The metrics to run: `names` when given, else the project's `metrics` list, else every built-in.
/// Throws Failure naming an unknown metric and listing the available ones.
std::vector<const MetricRegistration*> select_metrics(const PluginHost& host,
                                                      const ProjectConfig& config,
                                                      const std::vector<std::string>& names);

/// What `ea metrics run` computes.
struct MetricRunRequest {
  std::vector<std::string> names;  ///< metrics by name; empty: the project's selection
  std::optional<std::string> set;  ///< only this prediction set; none: every set
  bool ground_truth = true;        ///< also score the labels and the frames themselves
  bool progress = false;           ///< draw a progress bar on stderr
};

/// What a metric run did.
struct MetricRunReport {
  std::vector<std::string> metrics;         ///< the metrics run, in order
  std::uint64_t frames = 0;                 ///< frames visited
  std::uint64_t prediction_values = 0;      ///< values stored per prediction
  std::uint64_t label_values = 0;           ///< values stored per label
  std::uint64_t frame_values = 0;           ///< values stored per frame
  std::uint64_t frames_without_pixels = 0;  ///< frames whose image could not be read
  std::vector<std::string> unreadable;      ///< the first such images, with the reason
  double seconds = 0;                       ///< wall time
};

/// Runs the selected metrics over the project's frames (each image decoded at most once, frames
/// on both cores) and stores every value in one transaction, replacing earlier values of the same
/// metrics for the same predictions, labels and frames. A metric that throws fails the run with
/// its name, the data unit and the frame, and the store is unchanged.
MetricRunReport run_metrics(Project& project, const PluginHost& host,
                            const MetricRunRequest& request, Diagnostics& diagnostics);

}  // namespace ea::core
