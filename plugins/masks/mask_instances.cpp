// SPDX-License-Identifier: Apache-2.0
#include "mask_instances.hpp"

#include <algorithm>
#include <span>
#include <unordered_map>

#include "ea/sdk/rle.hpp"

namespace ea::masks {

namespace {

// Column-major run-length masks of dense ids 1..count in one pass over the image: COCO's RLE
// walks columns, so the position of pixel (x, y) is x·height + y and runs flow across columns.
std::vector<sdk::Rle> masks_of_ids(std::span<const std::uint32_t> ids, std::uint32_t width,
                                   std::uint32_t height, std::uint32_t count) {
  std::vector<sdk::Rle> masks(count, sdk::Rle{height, width, {}});
  std::vector<std::uint64_t> end(count, 0);  // position after each id's last run
  const auto close_run = [&](std::uint32_t id, std::uint64_t start, std::uint64_t stop) {
    std::vector<std::uint32_t>& counts = masks[id - 1].counts;
    std::uint64_t& last = end[id - 1];
    if (!counts.empty() && start == last) {
      counts.back() += static_cast<std::uint32_t>(stop - start);
    } else {
      counts.push_back(static_cast<std::uint32_t>(start - last));
      counts.push_back(static_cast<std::uint32_t>(stop - start));
    }
    last = stop;
  };
  std::uint32_t current = 0;
  std::uint64_t start = 0;
  std::uint64_t position = 0;
  for (std::uint32_t x = 0; x < width; ++x) {
    const std::uint32_t* pixel = ids.data() + x;
    for (std::uint32_t y = 0; y < height; ++y, ++position, pixel += width) {
      if (*pixel == current)
        continue;
      if (current != 0)
        close_run(current, start, position);
      current = *pixel;
      start = position;
    }
  }
  if (current != 0)
    close_run(current, start, position);
  for (std::uint32_t id = 0; id < count; ++id) {
    if (end[id] < position)
      masks[id].counts.push_back(static_cast<std::uint32_t>(position - end[id]));
  }
  return masks;
}

Instance make_instance(std::uint32_t key, sdk::Rle mask) {
  const std::uint64_t area = sdk::rle_area(mask);
  return Instance{key, std::move(mask), area};
}

// The bounding rectangle of each class value's pixels, so components are labelled only there.
struct Extent {
  std::uint32_t left = UINT32_MAX, top = UINT32_MAX, right = 0, bottom = 0;
};

}  // namespace

Instances instances_by_value(const MaskImage& image) {
  std::vector<std::uint32_t> values;
  std::uint32_t previous = 0;
  for (const std::uint32_t value : image.values) {
    if (value != 0 && value != previous)
      values.push_back(value);
    previous = value;
  }
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  std::unordered_map<std::uint32_t, std::uint32_t> dense_of;
  for (std::size_t i = 0; i < values.size(); ++i)
    dense_of.emplace(values[i], static_cast<std::uint32_t>(i + 1));
  std::vector<std::uint32_t> dense(image.values.size());
  previous = 0;
  std::uint32_t previous_dense = 0;
  for (std::size_t i = 0; i < dense.size(); ++i) {
    const std::uint32_t value = image.values[i];
    if (value != previous) {
      previous = value;
      previous_dense = value == 0 ? 0 : dense_of.at(value);
    }
    dense[i] = previous_dense;
  }
  std::vector<sdk::Rle> masks =
      masks_of_ids(dense, image.width, image.height, static_cast<std::uint32_t>(values.size()));
  Instances instances;
  for (std::size_t i = 0; i < values.size(); ++i)
    instances.found.push_back(make_instance(values[i], std::move(masks[i])));
  return instances;
}

Instances class_components(const MaskImage& image, const MaskDecoder& decoder, int connectivity,
                           std::uint64_t min_area) {
  const std::uint32_t width = image.width;
  std::unordered_map<std::uint32_t, Extent> extents;
  for (std::uint32_t y = 0; y < image.height; ++y) {
    const std::uint32_t* row = image.values.data() + static_cast<std::size_t>(y) * width;
    for (std::uint32_t x = 0; x < width; ++x) {
      if (row[x] == 0)
        continue;
      Extent& extent = extents[row[x]];
      extent.left = std::min(extent.left, x);
      extent.right = std::max(extent.right, x);
      extent.top = std::min(extent.top, y);
      extent.bottom = std::max(extent.bottom, y);
    }
  }
  std::vector<std::uint32_t> classes;
  for (const auto& [value, extent] : extents)
    classes.push_back(value);
  std::sort(classes.begin(), classes.end());

  std::vector<std::uint32_t> ids(image.values.size(), 0);
  std::vector<std::uint32_t> class_of_id;
  for (const std::uint32_t value : classes) {
    const Extent& extent = extents.at(value);
    const std::uint32_t roi_width = extent.right - extent.left + 1;
    const std::uint32_t roi_height = extent.bottom - extent.top + 1;
    std::vector<std::uint8_t> binary(static_cast<std::size_t>(roi_width) * roi_height);
    for (std::uint32_t y = 0; y < roi_height; ++y) {
      const std::uint32_t* row =
          image.values.data() + static_cast<std::size_t>(extent.top + y) * width + extent.left;
      for (std::uint32_t x = 0; x < roi_width; ++x)
        binary[static_cast<std::size_t>(y) * roi_width + x] = row[x] == value;
    }
    std::uint32_t count = 0;
    const std::vector<std::int32_t> labels =
        decoder.components(binary, roi_width, roi_height, connectivity, count);
    const auto offset = static_cast<std::uint32_t>(class_of_id.size());
    class_of_id.insert(class_of_id.end(), count, value);
    for (std::uint32_t y = 0; y < roi_height; ++y) {
      std::uint32_t* row =
          ids.data() + static_cast<std::size_t>(extent.top + y) * width + extent.left;
      for (std::uint32_t x = 0; x < roi_width; ++x) {
        if (const std::int32_t label = labels[static_cast<std::size_t>(y) * roi_width + x])
          row[x] = offset + static_cast<std::uint32_t>(label);
      }
    }
  }
  std::vector<sdk::Rle> masks =
      masks_of_ids(ids, width, image.height, static_cast<std::uint32_t>(class_of_id.size()));
  Instances instances;
  for (std::size_t i = 0; i < masks.size(); ++i) {
    Instance instance = make_instance(class_of_id[i], std::move(masks[i]));
    if (instance.area < min_area)
      ++instances.dropped;
    else
      instances.found.push_back(std::move(instance));
  }
  return instances;
}

}  // namespace ea::masks
