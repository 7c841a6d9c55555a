// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "mask_decoder.hpp"
#include "mask_instances.hpp"
#include "mask_items.hpp"

namespace ea::masks {

/// How to read one item's images.
struct ReadSettings {
  Encoding encoding = Encoding::class_map;  ///< what the pixels mean
  int connectivity = 8;                     ///< class masks: 4 or 8
  std::uint64_t min_area = 4;               ///< class masks: smaller components are dropped
};

/// The size a data unit says its masks must have.
struct ExpectedSize {
  std::uint32_t width = 0;   ///< columns
  std::uint32_t height = 0;  ///< rows
  std::string title;         ///< the data unit, for messages
};

/// One item's instances, or the sentence saying why it cannot be read. For the binary encoding
/// an instance's key is the position of its file in the item.
struct ItemResult {
  Instances instances;  ///< what the images hold
  std::string problem;  ///< "<file>: <reason>" when the item cannot be used
};

/// Decodes an item's images and finds their instances, in the worker's own `scratch` (runs on
/// worker threads).
ItemResult read_item(const MaskItem& item, const ReadSettings& settings,
                     const std::optional<ExpectedSize>& expected, const MaskDecoder& decoder,
                     Scratch& scratch);

}  // namespace ea::masks
