// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "ea/sdk/export.hpp"
#include "ea/sdk/geometry.hpp"

namespace ea::sdk {

/// Decodes COCO's compressed RLE string (pycocotools rleFrString); nullopt if it is malformed.
EA_SDK_EXPORT std::optional<Rle> rle_from_string(std::string_view counts, std::uint32_t height,
                                                 std::uint32_t width);

/// Encodes counts as COCO's compressed RLE string (pycocotools rleToString).
EA_SDK_EXPORT std::string rle_to_string(const Rle& rle);

/// Encodes a row-major binary mask (non-zero = set) as column-major RLE.
EA_SDK_EXPORT Rle rle_from_row_major(std::span<const std::uint8_t> pixels, std::uint32_t height,
                                     std::uint32_t width);

/// The number of set pixels.
EA_SDK_EXPORT std::uint64_t rle_area(const Rle& rle);

/// The tight box around the set pixels as pycocotools' toBbox gives it (x, y, w, h; zeros when
/// the mask is empty).
EA_SDK_EXPORT BoundingBox rle_bbox(const Rle& rle);

}  // namespace ea::sdk
