// SPDX-License-Identifier: Apache-2.0
#include "pixel_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <span>
#include <vector>

#include "ea/sdk/rle.hpp"
#include "pixel_planes.hpp"

namespace ea::metrics {

namespace {

constexpr double kLumaScale = 255;        // PixelPlanes' luma of white
constexpr double kSaturationScale = 255;  // PixelPlanes' saturation of a pure colour

std::optional<RegionSums> region(const sdk::MetricObject& object, const sdk::FrameView& frame) {
  const PixelPlanes* planes = PixelPlanes::of(frame);
  if (planes == nullptr)
    return std::nullopt;
  return object.mask != nullptr ? planes->mask(*object.mask) : planes->box(object.box);
}

double brightness(const RegionSums& sums) {
  return sums.luma / sums.pixels / kLumaScale;
}
double contrast(const RegionSums& sums) {
  const double mean = sums.luma / sums.pixels;
  return std::sqrt(std::max(0.0, sums.luma2 / sums.pixels - mean * mean)) / kLumaScale;
}
double sharpness(const RegionSums& sums) {
  const double mean = sums.laplacian / sums.pixels;
  return std::max(0.0, sums.laplacian2 / sums.pixels - mean * mean);
}

// The area of the union of the boxes clipped to the image: a sweep over the boxes' x edges, and
// in each strip the merged y intervals of the boxes spanning it.
double union_of_boxes(std::span<const sdk::MetricObject> objects, double width, double height) {
  std::vector<double> edges;
  for (const sdk::MetricObject& object : objects) {
    edges.push_back(std::clamp(object.box.x, 0.0, width));
    edges.push_back(std::clamp(object.box.x + object.box.w, 0.0, width));
  }
  std::sort(edges.begin(), edges.end());
  double area = 0;
  std::vector<std::pair<double, double>> spans;
  for (std::size_t i = 0; i + 1 < edges.size(); ++i) {
    const double left = edges[i], right = edges[i + 1];
    if (right <= left)
      continue;
    spans.clear();
    for (const sdk::MetricObject& object : objects) {
      if (object.box.x <= left && object.box.x + object.box.w >= right)
        spans.emplace_back(std::clamp(object.box.y, 0.0, height),
                           std::clamp(object.box.y + object.box.h, 0.0, height));
    }
    std::sort(spans.begin(), spans.end());
    double covered = 0, top = 0, bottom = 0;
    for (const auto& [from, to] : spans) {
      if (from > bottom) {
        covered += bottom - top;
        top = from;
        bottom = to;
      } else {
        bottom = std::max(bottom, to);
      }
    }
    covered += bottom - top;
    area += covered * (right - left);
  }
  return area;
}

template <double (*Statistic)(const RegionSums&)>
std::optional<double> of_region(const sdk::MetricObject& object, const sdk::FrameView& frame) {
  const std::optional<RegionSums> sums = region(object, frame);
  return sums ? std::optional(Statistic(*sums)) : std::nullopt;
}

template <double (*Statistic)(const RegionSums&)>
std::optional<double> of_frame(const sdk::FrameView& frame) {
  const PixelPlanes* planes = PixelPlanes::of(frame);
  return planes ? std::optional(Statistic(planes->whole())) : std::nullopt;
}

}  // namespace

std::optional<double> region_brightness(const sdk::MetricObject& object,
                                        const sdk::FrameView& frame) {
  return of_region<brightness>(object, frame);
}

std::optional<double> region_contrast(const sdk::MetricObject& object,
                                      const sdk::FrameView& frame) {
  return of_region<contrast>(object, frame);
}

std::optional<double> region_saturation(const sdk::MetricObject& object,
                                        const sdk::FrameView& frame) {
  const std::optional<RegionSums> sums = region(object, frame);
  return sums ? std::optional(sums->saturation / sums->pixels / kSaturationScale) : std::nullopt;
}

std::optional<double> region_sharpness(const sdk::MetricObject& object,
                                       const sdk::FrameView& frame) {
  return of_region<sharpness>(object, frame);
}

std::optional<double> region_blur(const sdk::MetricObject& object, const sdk::FrameView& frame) {
  const std::optional<double> crisp = region_sharpness(object, frame);
  return crisp ? std::optional(100 / (100 + *crisp)) : std::nullopt;
}

std::optional<double> frame_brightness(const sdk::FrameView& frame) {
  return of_frame<brightness>(frame);
}

std::optional<double> frame_contrast(const sdk::FrameView& frame) {
  return of_frame<contrast>(frame);
}

std::optional<double> frame_sharpness(const sdk::FrameView& frame) {
  return of_frame<sharpness>(frame);
}

std::optional<double> object_count(const sdk::FrameView& frame) {
  return static_cast<double>(frame.objects.size());
}

std::optional<double> object_density(const sdk::FrameView& frame) {
  const std::uint32_t height = frame.unit->height, width = frame.unit->width;
  const double image = static_cast<double>(width) * height;
  const bool boxes_only =
      std::all_of(frame.objects.begin(), frame.objects.end(),
                  [](const sdk::MetricObject& object) { return object.mask == nullptr; });
  if (boxes_only)
    return union_of_boxes(frame.objects, width, height) / image;
  // With masks the union is counted in pixels, each box rasterised as pycocotools does.
  std::vector<sdk::Rle> masks;
  masks.reserve(frame.objects.size());
  for (const sdk::MetricObject& object : frame.objects)
    masks.push_back(object.mask ? *object.mask : sdk::rle_from_box(object.box, height, width));
  const sdk::Rle all = masks.size() == 1 ? masks.front() : sdk::rle_merge(masks);
  return static_cast<double>(sdk::rle_area(all)) / image;
}

}  // namespace ea::metrics
