// SPDX-License-Identifier: Apache-2.0
#include "ea/core/eval/coco_params.hpp"

namespace ea::core::eval {

std::vector<double> linspace(double start, double stop, std::size_t count) {
  // numpy: step = (stop - start) / (count - 1); y = arange(count) * step + start; y[-1] = stop.
  // Thresholds must be bit-identical to pycocotools' so that `iouThr == 0.75` finds its index.
  std::vector<double> values(count);
  if (count == 0)
    return values;
  if (count == 1) {
    values[0] = start;
    return values;
  }
  const double step = (stop - start) / static_cast<double>(count - 1);
  for (std::size_t i = 0; i < count; ++i)
    values[i] = static_cast<double>(i) * step + start;
  values.back() = stop;
  return values;
}

CocoParams default_coco_params(IouType type) {
  CocoParams params;
  params.iou_type = type;
  params.iou_thresholds = linspace(0.5, 0.95, 10);
  params.recall_thresholds = linspace(0.0, 1.0, 101);
  params.max_dets = {1, 10, 100};
  params.area_ranges = {{"all", 0, 1e5 * 1e5},
                        {"small", 0, 32.0 * 32.0},
                        {"medium", 32.0 * 32.0, 96.0 * 96.0},
                        {"large", 96.0 * 96.0, 1e5 * 1e5}};
  return params;
}

const char* to_string(IouType type) {
  return type == IouType::bbox ? "bbox" : "segm";
}

}  // namespace ea::core::eval
