// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "ea/sdk/export.hpp"
#include "ea/sdk/geometry.hpp"
#include "ea/sdk/records.hpp"

namespace ea::sdk {

/// A frame's pixels: 8-bit RGB, row-major, `stride` bytes from one row to the next. A view: the
/// host owns the pixels for the duration of Metric::compute.
struct ImageView {
  std::uint32_t width = 0;             ///< columns
  std::uint32_t height = 0;            ///< rows
  std::uint32_t channels = 3;          ///< 3 (R, G, B)
  std::size_t stride = 0;              ///< bytes per row
  const std::uint8_t* data = nullptr;  ///< the first row
};

/// One object of a frame as a metric sees it: a prediction of the set being scored, or a label.
/// Pointers are views valid for the duration of Metric::compute.
struct MetricObject {
  std::int64_t id = 0;                ///< the prediction's or label's id in the store
  std::string_view feature_hash;      ///< its class
  double confidence = 1;              ///< the model's score; 1 for labels
  Shape shape = Shape::bounding_box;  ///< bounding_box, polygon or bitmask (a mask)
  BoundingBox box;                    ///< its axis-aligned box in pixels (theta 0; a rotated box's
                                      ///< rotation is in `rotation`)
  double rotation = 0;                ///< a rotated box's angle in degrees
  const Polygon* polygon = nullptr;   ///< its rings in pixels, for polygons
  const Rle* mask = nullptr;          ///< its pixels, for polygons (rasterised) and masks
};

/// Derived data the metrics of one frame share (integral images of the pixels, say): computed by
/// the first metric that asks, then handed to the others. The host keeps one per frame and thread.
class EA_SDK_EXPORT FrameCache {
 public:
  virtual ~FrameCache();
  /// The value stored under `key` for this frame, made by `make` when nobody has asked yet. Keys
  /// are the asking plugin's own (prefix them with its name); the value stays for the frame.
  virtual std::shared_ptr<const void> get(
      std::string_view key, const std::function<std::shared_ptr<const void>()>& make) = 0;
};

/// Everything a metric may look at on one frame.
struct FrameView {
  const DataUnit* unit = nullptr;  ///< the data unit
  std::int64_t frame = 0;          ///< the frame (0 for an image)
  /// The objects being scored: a prediction set's predictions of this frame, or its labels.
  std::span<const MetricObject> objects;
  /// Whether `objects` are predictions (true) or labels (false).
  bool predictions = true;
  /// The frame's object labels (for metrics that need ground truth), crowd regions left out.
  std::span<const MetricObject> labels;
  /// The pixels, for metrics that need them; absent when the image could not be read.
  std::optional<ImageView> image;
  /// Shared derived data of this frame; never null.
  FrameCache* cache = nullptr;
};

/// Receives a metric's values for one frame.
class EA_SDK_EXPORT MetricSink {
 public:
  virtual ~MetricSink();
  /// The value of the object with this id (one of FrameView::objects).
  virtual void object(std::int64_t id, double value) = 0;
  /// The value of the frame itself.
  virtual void frame(double value) = 0;
};

/// A quality metric over objects (predictions, labels) or frames. One instance serves one run and
/// may be called from several threads at once: compute() must not change the object.
class EA_SDK_EXPORT Metric {
 public:
  virtual ~Metric();
  /// Scores `frame`'s objects or the frame itself into `sink`; a non-finite value is an error.
  /// Throws to fail the run (the host names the metric, data unit and frame).
  virtual void compute(const FrameView& frame, MetricSink& sink) const = 0;
};

}  // namespace ea::sdk
