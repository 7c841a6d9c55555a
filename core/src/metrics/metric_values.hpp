// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ea/core/store.hpp"
#include "frame_objects.hpp"

namespace ea::core::metrics {

/// One value of an object (a prediction or a label).
struct ObjectValue {
  std::int64_t id = 0;       ///< prediction or label id
  std::uint32_t metric = 0;  ///< index into the run's metric names
  double value = 0;          ///< finite
};

/// One value of a frame, for the ground truth (set 0) or a prediction set.
struct FrameValue {
  std::int64_t data_unit_id = 0;  ///< data_units.id
  std::int64_t frame = 0;         ///< frame index
  std::int64_t set_id = 0;        ///< 0, or prediction_sets.id
  std::uint32_t metric = 0;       ///< index into the run's metric names
  double value = 0;               ///< finite
};

/// Everything a run computed.
struct MetricValues {
  std::vector<ObjectValue> predictions;  ///< per prediction
  std::vector<ObjectValue> labels;       ///< per label
  std::vector<FrameValue> frames;        ///< per frame

  /// Appends `other`'s values.
  void append(MetricValues&& other);
};

/// Replaces, in one transaction, the values of `metrics` for the predictions of `sets` and, with
/// `ground_truth`, for every label and frame, by `values` (which it sorts).
void store_metric_values(Store& store, const std::vector<std::string>& metrics,
                         const std::vector<SetRange>& sets, bool ground_truth,
                         MetricValues& values);

}  // namespace ea::core::metrics
