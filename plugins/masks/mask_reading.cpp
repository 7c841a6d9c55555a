// SPDX-License-Identifier: Apache-2.0
#include "mask_reading.hpp"

namespace ea::masks {

namespace {

void check_layout(const MaskImage& image, Encoding encoding) {
  if (encoding == Encoding::panoptic) {
    if (image.layout != PixelLayout::rgb)
      throw MaskProblem("it is not an 8-bit RGB image, as COCO panoptic PNGs are");
    return;
  }
  if (image.layout == PixelLayout::rgb) {
    throw MaskProblem(std::string("it is an RGB image, but ") + to_string(encoding) +
                      " masks must be 8- or 16-bit gray or palette images");
  }
  if (image.layout == PixelLayout::other) {
    throw MaskProblem(std::string("it is neither gray nor palette (gray with alpha, RGBA or "
                                  "16-bit colour), as ") +
                      to_string(encoding) + " masks must be");
  }
}

void check_size(const MaskImage& image, const std::optional<ExpectedSize>& expected) {
  if (expected && (image.width != expected->width || image.height != expected->height)) {
    throw MaskProblem("it is " + std::to_string(image.width) + "×" + std::to_string(image.height) +
                      " but data unit \"" + expected->title + "\" is " +
                      std::to_string(expected->width) + "×" + std::to_string(expected->height));
  }
}

Instances instances_of(Scratch& scratch, const ReadSettings& settings, const MaskDecoder& decoder) {
  switch (settings.encoding) {
    case Encoding::class_map:
      return class_components(scratch, decoder, settings.connectivity, settings.min_area);
    case Encoding::label_map:
    case Encoding::panoptic:
      return instances_by_value(scratch);
    case Encoding::binary:
      for (std::uint32_t& value : scratch.image.values)
        value = value != 0;
      return instances_by_value(scratch);
  }
  return {};
}

}  // namespace

ItemResult read_item(const MaskItem& item, const ReadSettings& settings,
                     const std::optional<ExpectedSize>& expected, const MaskDecoder& decoder,
                     Scratch& scratch) {
  ItemResult result;
  for (std::size_t i = 0; i < item.files.size(); ++i) {
    const std::string name =
        item.files.size() == 1 ? item.name : item.name + "/" + item.files[i].filename().string();
    try {
      decoder.decode(item.files[i], scratch.image);
      check_layout(scratch.image, settings.encoding);
      check_size(scratch.image, expected);
      Instances found = instances_of(scratch, settings, decoder);
      result.instances.dropped += found.dropped;
      for (Instance& instance : found.found) {
        if (settings.encoding == Encoding::binary)
          instance.key = static_cast<std::uint32_t>(i);
        result.instances.found.push_back(std::move(instance));
      }
    } catch (const MaskProblem& problem) {
      result.problem = name + ": " + problem.what();
      return result;
    }
  }
  return result;
}

}  // namespace ea::masks
