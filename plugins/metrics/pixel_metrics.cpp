// SPDX-License-Identifier: Apache-2.0
#include "pixel_metrics.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ea/sdk/rle.hpp"
#include "pixel_planes.hpp"

namespace ea::metrics {

namespace {

constexpr double kLumaScale = 255;        // PixelPlanes' luma of white
constexpr double kSaturationScale = 255;  // PixelPlanes' saturation of a pure colour

std::optional<RegionSums> sums_of(const sdk::MetricObject& object, const PixelPlanes& planes) {
  return object.mask != nullptr ? planes.mask(*object.mask) : planes.box(object.box);
}

// The sums of every object of the frame's list, looked up once for all five region metrics (each
// lookup reads two values on every row of the object, from tables too large for the cache).
using ObjectSums = std::vector<std::optional<RegionSums>>;

std::optional<RegionSums> region(const sdk::MetricObject& object, const sdk::FrameView& frame) {
  if (!frame.image)
    return std::nullopt;
  const std::span<const sdk::MetricObject> objects = frame.objects;
  if (&object < objects.data() || &object >= objects.data() + objects.size())
    return sums_of(object, *PixelPlanes::of(frame));
  // A frame's lists are its labels and each set's predictions; ids are unique within each kind
  // and a set's predictions are a range of ids, so kind, first id and count name one list.
  // Written into a buffer: this runs for every object and region metric, and the cache copies
  // the key only when it is new.
  std::array<char, 64> buffer{};
  const auto written =
      fmt::format_to_n(buffer.data(), buffer.size(), "metrics.object-sums/{}/{}/{}",
                       frame.predictions ? 'p' : 'l', objects.front().id, objects.size());
  const std::string_view key(buffer.data(), written.size);
  const std::shared_ptr<const void> cached = frame.cache->get(key, [&] {
    // The boxes together (each band of rows read once for all), then the masks.
    std::vector<sdk::BoundingBox> boxes;
    boxes.reserve(objects.size());
    for (const sdk::MetricObject& each : objects)
      boxes.push_back(each.mask == nullptr ? each.box : sdk::BoundingBox{});
    const PixelPlanes* planes = PixelPlanes::of(frame);
    auto all = std::make_shared<ObjectSums>(planes->boxes(boxes));
    for (std::size_t i = 0; i < objects.size(); ++i) {
      if (objects[i].mask != nullptr)
        (*all)[i] = planes->mask(*objects[i].mask);
    }
    return std::static_pointer_cast<const void>(std::shared_ptr<const ObjectSums>(all));
  });
  return (*static_cast<const ObjectSums*>(cached.get()))[&object - objects.data()];
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
// in each strip the merged y intervals of the boxes spanning it. The boxes are sorted by their
// clipped top once, so each strip meets its intervals in order without sorting them again.
double union_of_boxes(std::span<const sdk::MetricObject> objects, double width, double height) {
  struct Span {
    double left, right, top, bottom;
  };
  std::vector<Span> boxes;
  std::vector<double> edges;
  boxes.reserve(objects.size());
  edges.reserve(2 * objects.size());
  for (const sdk::MetricObject& object : objects) {
    boxes.push_back(Span{object.box.x, object.box.x + object.box.w,
                         std::clamp(object.box.y, 0.0, height),
                         std::clamp(object.box.y + object.box.h, 0.0, height)});
    edges.push_back(std::clamp(object.box.x, 0.0, width));
    edges.push_back(std::clamp(object.box.x + object.box.w, 0.0, width));
  }
  std::sort(edges.begin(), edges.end());
  std::sort(boxes.begin(), boxes.end(), [](const Span& a, const Span& b) {
    return std::pair(a.top, a.bottom) < std::pair(b.top, b.bottom);
  });
  double area = 0;
  for (std::size_t i = 0; i + 1 < edges.size(); ++i) {
    const double left = edges[i], right = edges[i + 1];
    if (right <= left)
      continue;
    double covered = 0, top = 0, bottom = 0;
    for (const Span& box : boxes) {
      if (box.left > left || box.right < right)
        continue;
      if (box.top > bottom) {
        covered += bottom - top;
        top = box.top;
        bottom = box.bottom;
      } else {
        bottom = std::max(bottom, box.bottom);
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
