// SPDX-License-Identifier: Apache-2.0
#include "mask_instances.hpp"

#include <algorithm>
#include <span>
#include <tuple>
#include <unordered_map>

#include "ea/sdk/rle.hpp"

namespace ea::masks {

namespace {

// A box to scan: only the pixels inside an instance's box are ever looked at again, which on
// class masks with a few dozen objects is a small part of the image.
struct Box {
  std::uint32_t left = UINT32_MAX, top = UINT32_MAX, right = 0, bottom = 0;  // inclusive

  void add(std::uint32_t x, std::uint32_t y) {
    left = std::min(left, x);
    right = std::max(right, x);
    top = std::min(top, y);
    bottom = std::max(bottom, y);
  }
};

Box box_of(const ComponentBox& box, std::uint32_t dx = 0, std::uint32_t dy = 0) {
  return Box{dx + static_cast<std::uint32_t>(box.left), dy + static_cast<std::uint32_t>(box.top),
             dx + static_cast<std::uint32_t>(box.left + box.width - 1),
             dy + static_cast<std::uint32_t>(box.top + box.height - 1)};
}

// The column-major RLE of the pixels of `ids` (row-major) equal to `id`, all inside `box`. COCO's
// RLE walks columns, so pixel (x, y) sits at x·height + y and runs may flow across columns.
template <class Id>
sdk::Rle mask_in_box(const Id* ids, std::uint32_t width, std::uint32_t height, Id id,
                     const Box& box) {
  sdk::Rle rle{height, width, {}};
  std::uint64_t last = 0;  // the position after the last run
  const auto close_run = [&](std::uint64_t start, std::uint64_t stop) {
    if (!rle.counts.empty() && start == last) {
      rle.counts.back() += static_cast<std::uint32_t>(stop - start);
    } else {
      rle.counts.push_back(static_cast<std::uint32_t>(start - last));
      rle.counts.push_back(static_cast<std::uint32_t>(stop - start));
    }
    last = stop;
  };
  for (std::uint32_t x = box.left; x <= box.right; ++x) {
    const std::uint64_t column = static_cast<std::uint64_t>(x) * height;
    const Id* pixel = ids + static_cast<std::size_t>(box.top) * width + x;
    bool inside = false;
    std::uint64_t start = 0;
    for (std::uint32_t y = box.top; y <= box.bottom; ++y, pixel += width) {
      if ((*pixel == id) == inside)
        continue;
      if (inside)
        close_run(start, column + y);
      else
        start = column + y;
      inside = !inside;
    }
    if (inside)
      close_run(start, column + box.bottom + 1);
  }
  const std::uint64_t total = static_cast<std::uint64_t>(width) * height;
  if (last < total)
    rle.counts.push_back(static_cast<std::uint32_t>(total - last));
  return rle;
}

Instance make_instance(std::uint32_t key, sdk::Rle mask) {
  const std::uint64_t area = sdk::rle_area(mask);
  return Instance{key, std::move(mask), area};
}

// What one component of the foreground is.
struct Component {
  std::uint32_t value = 0;           // its class value
  std::uint64_t first = UINT64_MAX;  // its first pixel in raster order
  Box box;                           // where it is
  bool mixed = false;                // it joins several classes: split_mixed replaces it
};

// The class value and first pixel of component `label`, and whether other classes join it.
void describe_component(const Scratch& scratch, std::int32_t label, Component& component) {
  const std::uint32_t width = scratch.image.width;
  for (std::uint32_t y = component.box.top; y <= component.box.bottom; ++y) {
    const std::size_t row = static_cast<std::size_t>(y) * width;
    for (std::uint32_t x = component.box.left; x <= component.box.right; ++x) {
      if (scratch.labels[row + x] != label)
        continue;
      const std::uint32_t value = scratch.image.values[row + x];
      if (component.first == UINT64_MAX) {
        component.first = row + x;
        component.value = value;
      } else if (value != component.value) {
        component.mixed = true;
        return;
      }
    }
  }
}

// Splits component `label`, where pixels of several classes touch, into the components of each
// class inside its box; they are appended to `components` and take ids from its size on.
void split_mixed(Scratch& scratch, const MaskDecoder& decoder, int connectivity, std::int32_t label,
                 std::vector<Component>& components) {
  const Box box = components[static_cast<std::size_t>(label)].box;
  const std::uint32_t width = scratch.image.width;
  const std::uint32_t box_width = box.right - box.left + 1, box_height = box.bottom - box.top + 1;
  const auto at = [&](std::uint32_t x, std::uint32_t y) {
    return static_cast<std::size_t>(box.top + y) * width + box.left + x;
  };
  std::vector<std::uint32_t> classes;  // few: a handful of classes touch in one component
  for (std::uint32_t y = 0; y < box_height; ++y) {
    for (std::uint32_t x = 0; x < box_width; ++x) {
      const std::uint32_t value = scratch.image.values[at(x, y)];
      if (scratch.labels[at(x, y)] == label &&
          std::find(classes.begin(), classes.end(), value) == classes.end())
        classes.push_back(value);
    }
  }
  std::sort(classes.begin(), classes.end());
  std::vector<std::uint32_t> binary(static_cast<std::size_t>(box_width) * box_height);
  for (const std::uint32_t value : classes) {
    for (std::uint32_t y = 0; y < box_height; ++y) {
      for (std::uint32_t x = 0; x < box_width; ++x) {
        binary[static_cast<std::size_t>(y) * box_width + x] =
            scratch.labels[at(x, y)] == label && scratch.image.values[at(x, y)] == value;
      }
    }
    const std::uint32_t count = decoder.components(binary, box_width, box_height, connectivity,
                                                   scratch.sub_labels, scratch.sub_boxes);
    const auto base = static_cast<std::int32_t>(components.size()) - 1;
    for (std::uint32_t sub = 1; sub <= count; ++sub)
      components.push_back(
          Component{value, UINT64_MAX, box_of(scratch.sub_boxes[sub], box.left, box.top), false});
    for (std::uint32_t y = 0; y < box_height; ++y) {
      for (std::uint32_t x = 0; x < box_width; ++x) {
        const std::int32_t sub = scratch.sub_labels[static_cast<std::size_t>(y) * box_width + x];
        if (sub == 0)
          continue;
        const std::size_t pixel = at(x, y);
        scratch.labels[pixel] = base + sub;
        Component& component = components[static_cast<std::size_t>(base + sub)];
        component.first = std::min<std::uint64_t>(component.first, pixel);
      }
    }
  }
}

}  // namespace

Instances instances_by_value(Scratch& scratch) {
  const MaskImage& image = scratch.image;
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
  std::vector<Box> boxes(values.size() + 1);
  std::vector<std::uint32_t>& dense = scratch.ids;
  dense.resize(image.values.size());
  for (std::uint32_t y = 0; y < image.height; ++y) {
    previous = 0;
    std::uint32_t previous_dense = 0;
    const std::size_t row = static_cast<std::size_t>(y) * image.width;
    for (std::uint32_t x = 0; x < image.width; ++x) {
      const std::uint32_t value = image.values[row + x];
      if (value != previous) {
        previous = value;
        previous_dense = value == 0 ? 0 : dense_of.at(value);
      }
      dense[row + x] = previous_dense;
      if (previous_dense != 0)
        boxes[previous_dense].add(x, y);
    }
  }
  Instances instances;
  for (std::uint32_t id = 1; id <= values.size(); ++id) {
    instances.found.push_back(make_instance(
        values[id - 1], mask_in_box(dense.data(), image.width, image.height, id, boxes[id])));
  }
  return instances;
}

// Labels the foreground once; a component holding one class value is an instance as it is, and
// only components where classes touch are split, class by class, inside their boxes. Equal to
// labelling every class separately, at a fraction of the passes over the image.
Instances class_components(Scratch& scratch, const MaskDecoder& decoder, int connectivity,
                           std::uint64_t min_area) {
  const MaskImage& image = scratch.image;
  const std::uint32_t count = decoder.components(image.values, image.width, image.height,
                                                 connectivity, scratch.labels, scratch.boxes);
  std::vector<Component> components(count + 1);
  for (std::uint32_t label = 1; label <= count; ++label) {
    components[label].box = box_of(scratch.boxes[label]);
    describe_component(scratch, static_cast<std::int32_t>(label), components[label]);
  }
  for (std::uint32_t label = 1; label <= count; ++label) {
    if (components[label].mixed)
      split_mixed(scratch, decoder, connectivity, static_cast<std::int32_t>(label), components);
  }
  std::vector<std::size_t> order;
  for (std::size_t id = 1; id < components.size(); ++id) {
    if (!components[id].mixed)  // a split component keeps no pixels of its own
      order.push_back(id);
  }
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(components[a].value, components[a].first) <
           std::tie(components[b].value, components[b].first);
  });
  Instances instances;
  for (const std::size_t id : order) {
    const Component& component = components[id];
    Instance instance =
        make_instance(component.value, mask_in_box(scratch.labels.data(), image.width, image.height,
                                                   static_cast<std::int32_t>(id), component.box));
    if (instance.area < min_area)
      ++instances.dropped;
    else
      instances.found.push_back(std::move(instance));
  }
  return instances;
}

}  // namespace ea::masks
