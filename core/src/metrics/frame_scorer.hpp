// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ea/core/plugin_host.hpp"
#include "ea/core/project_snapshot.hpp"
#include "ea/sdk/metric.hpp"
#include "frame_objects.hpp"
#include "metric_values.hpp"

namespace ea::core::metrics {

/// One selected metric, instantiated for the run.
struct RunMetric {
  const MetricRegistration* registration;  ///< name, needs, plugin
  PluginPtr<sdk::Metric> instance;         ///< the plugin's object
};

/// Scores frames with the run's metrics and keeps the values; one per worker thread.
class FrameScorer {
 public:
  /// Scores the predictions of `sets` and, with `ground_truth`, the labels and the frames.
  FrameScorer(const ProjectSnapshot& snapshot, const std::vector<RunMetric>& metrics,
              const std::vector<SetRange>& sets, bool ground_truth)
      : snapshot_(snapshot), metrics_(metrics), sets_(sets), ground_truth_(ground_truth) {}

  /// Scores one frame of `unit`, with its pixels when `image` is given (metrics that need pixels
  /// skip the frame otherwise). Throws Failure naming the metric, data unit and frame.
  void score(const sdk::DataUnit& unit, const FrameWork& work,
             const std::optional<sdk::ImageView>& image);
  /// Everything scored so far.
  MetricValues& values() noexcept { return values_; }

 private:
  void run(const sdk::FrameView& view, std::vector<ObjectValue>& objects, FrameValue key,
           const std::string& where, bool predictions);

  const ProjectSnapshot& snapshot_;
  const std::vector<RunMetric>& metrics_;
  const std::vector<SetRange>& sets_;
  bool ground_truth_;
  MetricValues values_;
};

}  // namespace ea::core::metrics
