// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <optional>

#include "ea/sdk/metric.hpp"

namespace ea::metrics {

/// A value of one object on its frame, or none when the metric does not apply to it.
using ObjectFunction = std::optional<double> (*)(const sdk::MetricObject& object,
                                                 const sdk::FrameView& frame);
/// A value of the frame, or none.
using FrameFunction = std::optional<double> (*)(const sdk::FrameView& frame);

/// A metric that scores each object with one function.
class ObjectMetric final : public sdk::Metric {
 public:
  explicit ObjectMetric(ObjectFunction function) : function_(function) {}
  void compute(const sdk::FrameView& frame, sdk::MetricSink& sink) const override {
    for (const sdk::MetricObject& object : frame.objects) {
      if (const std::optional<double> value = function_(object, frame))
        sink.object(object.id, *value);
    }
  }

 private:
  ObjectFunction function_;
};

/// A metric that scores the frame with one function.
class FrameMetric final : public sdk::Metric {
 public:
  explicit FrameMetric(FrameFunction function) : function_(function) {}
  void compute(const sdk::FrameView& frame, sdk::MetricSink& sink) const override {
    if (const std::optional<double> value = function_(frame))
      sink.frame(*value);
  }

 private:
  FrameFunction function_;
};

/// The factory of an object metric computed by `Function` (a plain function pointer, as the
/// registrar wants).
template <ObjectFunction Function>
std::unique_ptr<sdk::Metric> make_object_metric() {
  return std::make_unique<ObjectMetric>(Function);
}

/// The factory of a frame metric computed by `Function`.
template <FrameFunction Function>
std::unique_ptr<sdk::Metric> make_frame_metric() {
  return std::make_unique<FrameMetric>(Function);
}

}  // namespace ea::metrics
