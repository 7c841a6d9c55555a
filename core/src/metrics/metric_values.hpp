// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ea/core/store.hpp"
#include "frame_objects.hpp"

namespace ea::core::metrics {

/// The values of the objects whose ids run from `first` to `last` (a prediction set's, or the
/// labels'): a row per id and a slot per run metric, NaN (never a value: values are finite) where
/// there is none. Rows are set in place as frames are scored — no list of millions of values to
/// sort before storing — and rows of different objects may be set from different threads at once.
class ObjectValues {
 public:
  /// No objects.
  ObjectValues() = default;
  /// Room for ids first..last, `metrics` values each.
  ObjectValues(std::int64_t first, std::int64_t last, std::size_t metrics);

  /// Sets the value of metric `metric` (a run index) of object `id`, which must be in range.
  void set(std::int64_t id, std::uint32_t metric, double value) {
    slots_[static_cast<std::size_t>(id - first_) * metrics_ + metric] = value;
  }
  /// Notes that object `id` was scored: its row is written, values or not, so that no value of
  /// an earlier run of the same metrics survives.
  void mark_scored(std::int64_t id) { scored_[static_cast<std::size_t>(id - first_)] = 1; }
  /// Whether object `id` was scored.
  bool scored(std::int64_t id) const { return scored_[static_cast<std::size_t>(id - first_)] != 0; }
  /// The first id.
  std::int64_t first() const noexcept { return first_; }
  /// The last id (first − 1 when there are none).
  std::int64_t last() const noexcept { return first_ + static_cast<std::int64_t>(rows()) - 1; }
  /// The slots of object `id`.
  const double* row(std::int64_t id) const {
    return slots_.data() + static_cast<std::size_t>(id - first_) * metrics_;
  }

 private:
  std::size_t rows() const noexcept { return metrics_ == 0 ? 0 : slots_.size() / metrics_; }

  std::int64_t first_ = 0;
  std::size_t metrics_ = 0;
  std::vector<double> slots_;
  std::vector<unsigned char> scored_;  // bytes, not bits: workers mark rows side by side
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
  std::vector<ObjectValues> predictions;  ///< per prediction, one table per set of the run
  ObjectValues labels;                    ///< per label (with ground truth)
  std::vector<FrameValue> frames;         ///< per frame
};

/// A metric of the run, as stored.
struct StoredMetric {
  std::string name;     ///< its name
  bool scores_objects;  ///< objects (true) or frames
};

/// Replaces, in one transaction, the values of `metrics` for the scored predictions of `sets`
/// (whose values are `values.predictions`, in the same order) and, with `ground_truth`, for every
/// scored label and every frame, by `values` (whose frame values it sorts).
void store_metric_values(Store& store, const std::vector<StoredMetric>& metrics,
                         const std::vector<SetRange>& sets, bool ground_truth,
                         MetricValues& values);

}  // namespace ea::core::metrics
