// SPDX-License-Identifier: Apache-2.0
// Registration of the built-in metrics. Each line: name, description, scope, what it runs on,
// what it needs. Formulas: docs/metrics.md.
#include "ea/sdk/plugin.hpp"
#include "geometry_metrics.hpp"
#include "metric_kinds.hpp"
#include "overlap_metrics.hpp"
#include "pixel_metrics.hpp"

namespace {

using ea::metrics::make_frame_metric;
using ea::metrics::make_object_metric;
using ea::sdk::MetricInfo;
using ea::sdk::MetricScope;

constexpr MetricScope kObjects = MetricScope::objects;
constexpr MetricScope kFrames = MetricScope::frames;

// on_predictions, on_labels, needs_pixels, needs_labels
MetricInfo info(const char* name, const char* description, MetricScope scope, bool predictions,
                bool labels, bool pixels, bool needs_labels) {
  return MetricInfo{name, description, scope, predictions, labels, pixels, needs_labels};
}

}  // namespace

EA_PLUGIN("metrics", "1.0.0") {
  using namespace ea::metrics;
  registrar.add_metric(info("confidence", "The model's score", kObjects, true, false, false, false),
                       &make_object_metric<confidence>);
  registrar.add_metric(
      info("area", "Area in pixels (mask pixels, or box w·h)", kObjects, true, true, false, false),
      &make_object_metric<area>);
  registrar.add_metric(
      info("area-relative", "Area as a fraction of the image", kObjects, true, true, false, false),
      &make_object_metric<area_relative>);
  registrar.add_metric(
      info("aspect-ratio", "Box width ÷ height", kObjects, true, true, false, false),
      &make_object_metric<aspect_ratio>);
  registrar.add_metric(info("border-closeness", "Closeness to the image border (Encord Active's)",
                            kObjects, true, true, false, false),
                       &make_object_metric<border_closeness>);
  registrar.add_metric(info("polygon-vertices", "Vertices of a polygon, all rings", kObjects, true,
                            true, false, false),
                       &make_object_metric<polygon_vertices>);
  registrar.add_metric(info("fragments", "8-connected pieces of a mask or polygon", kObjects, true,
                            true, false, false),
                       &make_object_metric<fragments>);
  registrar.add_metric(info("iou-same-class-label", "Best IoU with a label of the same class",
                            kObjects, true, false, false, true),
                       &make_object_metric<iou_same_class_label>);
  registrar.add_metric(info("iou-any-label", "Best IoU with a label of any class", kObjects, true,
                            false, false, true),
                       &make_object_metric<iou_any_label>);
  registrar.add_metric(
      info("best-label-same-class", "1 when the best-overlapping label has the same class, else 0",
           kObjects, true, false, false, true),
      &make_object_metric<best_label_same_class>);
  registrar.add_metric(info("duplicate-iou", "Max IoU with another object of the same class",
                            kObjects, true, true, false, false),
                       &make_object_metric<duplicate_iou>);
  registrar.add_metric(
      info("brightness", "Mean luma of the object's pixels", kObjects, true, true, true, false),
      &make_object_metric<region_brightness>);
  registrar.add_metric(info("contrast", "Standard deviation of the object's luma", kObjects, true,
                            true, true, false),
                       &make_object_metric<region_contrast>);
  registrar.add_metric(info("saturation", "Mean HSV saturation of the object's pixels", kObjects,
                            true, true, true, false),
                       &make_object_metric<region_saturation>);
  registrar.add_metric(info("sharpness", "Variance of the Laplacian over the object", kObjects,
                            true, true, true, false),
                       &make_object_metric<region_sharpness>);
  registrar.add_metric(
      info("blur", "100 ÷ (100 + sharpness) over the object", kObjects, true, true, true, false),
      &make_object_metric<region_blur>);
  registrar.add_metric(
      info("object-count", "Objects on the frame", kFrames, true, true, false, false),
      &make_frame_metric<object_count>);
  registrar.add_metric(info("object-density", "Fraction of the image the objects cover", kFrames,
                            true, true, false, false),
                       &make_frame_metric<object_density>);
  registrar.add_metric(
      info("frame-brightness", "Mean luma of the frame", kFrames, false, true, true, false),
      &make_frame_metric<frame_brightness>);
  registrar.add_metric(info("frame-contrast", "Standard deviation of the frame's luma", kFrames,
                            false, true, true, false),
                       &make_frame_metric<frame_contrast>);
  registrar.add_metric(info("frame-sharpness", "Variance of the Laplacian of the frame", kFrames,
                            false, true, true, false),
                       &make_frame_metric<frame_sharpness>);
}
