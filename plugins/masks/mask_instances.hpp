// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <vector>

#include "ea/sdk/geometry.hpp"
#include "mask_codec.hpp"
#include "mask_decoder.hpp"

namespace ea::masks {

/// One instance found in a mask image.
struct Instance {
  std::uint32_t key = 0;   ///< the pixel value it came from: instance id, segment id or class
  sdk::Rle mask;           ///< its pixels, holes included
  std::uint64_t area = 0;  ///< set pixels
};

/// The instances of one mask image, and how many small components were dropped.
struct Instances {
  std::vector<Instance> found;  ///< in the order the format defines (see the functions)
  std::uint64_t dropped = 0;    ///< components under the minimum area
};

/// Buffers one worker reuses from image to image: fresh multi-megabyte buffers for every image
/// cost more in page faults than the work done in them.
struct Scratch {
  MaskImage image;                       ///< the decoded mask
  std::vector<std::int32_t> labels;      ///< component labels over the whole image
  std::vector<std::int32_t> sub_labels;  ///< component labels inside one box
  std::vector<ComponentBox> boxes;       ///< the components' boxes
  std::vector<ComponentBox> sub_boxes;   ///< the boxes of components inside one box
  std::vector<std::uint32_t> ids;        ///< dense instance ids
};

/// One instance per distinct non-zero value of `scratch.image` (label maps, panoptic ids),
/// ascending by value; an instance is every pixel of its value, connected or not.
Instances instances_by_value(Scratch& scratch);

/// One instance per connected component of each non-zero class value of `scratch.image` (class
/// masks): by class value, then in raster order of the component's first pixel; components with
/// fewer than `min_area` pixels are dropped and counted.
Instances class_components(Scratch& scratch, const MaskDecoder& decoder, int connectivity,
                           std::uint64_t min_area);

}  // namespace ea::masks
