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

/// How many values a scorer has given.
struct ValueCounts {
  std::uint64_t predictions = 0;  ///< prediction values
  std::uint64_t labels = 0;       ///< label values
};

/// Scores frames with the run's metrics; one per worker thread. Object values go straight into
/// the run's tables (shared by the workers: each object is on one frame, scored by one of them);
/// frame values stay with the scorer.
class FrameScorer {
 public:
  /// Scores the predictions of `sets` into `values.predictions` (a table per set, in the same
  /// order) and, with `ground_truth`, the labels into `values.labels`, and the frames.
  FrameScorer(const ProjectSnapshot& snapshot, const std::vector<RunMetric>& metrics,
              const std::vector<SetRange>& sets, bool ground_truth, MetricValues& values)
      : snapshot_(snapshot),
        metrics_(metrics),
        sets_(sets),
        ground_truth_(ground_truth),
        values_(values) {}

  /// Scores one frame of `unit`, with its pixels when `image` is given (metrics that need pixels
  /// skip the frame otherwise). Throws Failure naming the metric, data unit and frame.
  void score(const sdk::DataUnit& unit, const FrameWork& work,
             const std::optional<sdk::ImageView>& image);
  /// The frame values scored so far.
  std::vector<FrameValue>& frame_values() noexcept { return frames_; }
  /// How many object values it gave.
  ValueCounts counts() const noexcept { return counts_; }

 private:
  void run(const sdk::FrameView& view, ObjectValues& objects, std::uint64_t& count, FrameValue key,
           const std::string& where, bool predictions);

  const ProjectSnapshot& snapshot_;
  const std::vector<RunMetric>& metrics_;
  const std::vector<SetRange>& sets_;
  bool ground_truth_;
  MetricValues& values_;
  std::vector<FrameValue> frames_;
  ValueCounts counts_;
};

}  // namespace ea::core::metrics
