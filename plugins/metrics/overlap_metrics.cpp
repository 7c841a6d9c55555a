// SPDX-License-Identifier: Apache-2.0
#include "overlap_metrics.hpp"

#include <algorithm>

#include "ea/sdk/iou.hpp"
#include "ea/sdk/rle.hpp"

namespace ea::metrics {

namespace {

// The best IoU of `object` with the labels `accept` lets through, and that label.
template <class Accept>
std::pair<double, const sdk::MetricObject*> best_label(const sdk::MetricObject& object,
                                                       const sdk::FrameView& frame, Accept accept) {
  double best = 0;
  const sdk::MetricObject* found = nullptr;
  for (const sdk::MetricObject& label : frame.labels) {
    if (!accept(label))
      continue;
    const double iou = object_iou(object, label, frame);
    if (iou > best) {
      best = iou;
      found = &label;
    }
  }
  return {best, found};
}

}  // namespace

double object_iou(const sdk::MetricObject& a, const sdk::MetricObject& b,
                  const sdk::FrameView& frame) {
  if (a.mask == nullptr && b.mask == nullptr)
    return sdk::box_iou(a.box, b.box, false);
  const std::uint32_t height = frame.unit->height, width = frame.unit->width;
  const sdk::Rle a_mask = a.mask ? *a.mask : sdk::rle_from_box(a.box, height, width);
  const sdk::Rle b_mask = b.mask ? *b.mask : sdk::rle_from_box(b.box, height, width);
  return std::max(0.0, sdk::mask_iou(a_mask, b_mask, false));
}

std::optional<double> iou_same_class_label(const sdk::MetricObject& object,
                                           const sdk::FrameView& frame) {
  return best_label(object, frame,
                    [&](const sdk::MetricObject& label) {
                      return label.feature_hash == object.feature_hash;
                    })
      .first;
}

std::optional<double> iou_any_label(const sdk::MetricObject& object, const sdk::FrameView& frame) {
  return best_label(object, frame, [](const sdk::MetricObject&) { return true; }).first;
}

std::optional<double> best_label_same_class(const sdk::MetricObject& object,
                                            const sdk::FrameView& frame) {
  const auto [iou, label] =
      best_label(object, frame, [](const sdk::MetricObject&) { return true; });
  if (label == nullptr)
    return std::nullopt;
  return label->feature_hash == object.feature_hash ? 1.0 : 0.0;
}

std::optional<double> duplicate_iou(const sdk::MetricObject& object, const sdk::FrameView& frame) {
  double best = 0;
  for (const sdk::MetricObject& other : frame.objects) {
    if (other.id != object.id && other.feature_hash == object.feature_hash)
      best = std::max(best, object_iou(object, other, frame));
  }
  return best;
}

}  // namespace ea::metrics
