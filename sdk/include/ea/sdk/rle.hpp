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

/// How many run lengths a compressed COCO RLE string holds; nullopt when it holds a character
/// outside the format's alphabet.
EA_SDK_EXPORT std::optional<std::size_t> rle_string_runs(std::string_view counts);

/// Decodes a compressed COCO RLE string into `runs`, which must be rle_string_runs() long, for
/// callers keeping runs in their own storage; false when the string is malformed or its runs do
/// not add up to height × width.
EA_SDK_EXPORT bool rle_decode_into(std::string_view counts, std::uint32_t height,
                                   std::uint32_t width, std::span<std::uint32_t> runs);

/// Encodes counts as COCO's compressed RLE string (pycocotools rleToString).
EA_SDK_EXPORT std::string rle_to_string(const Rle& rle);

/// Encodes a row-major binary mask (non-zero = set) as column-major RLE.
EA_SDK_EXPORT Rle rle_from_row_major(std::span<const std::uint8_t> pixels, std::uint32_t height,
                                     std::uint32_t width);

/// Rasterises one polygon ring given as pixel coordinates x0, y0, x1, y1, … exactly as
/// pycocotools' rleFrPoly does (5× upsampling, boundary walk, downsampling).
EA_SDK_EXPORT Rle rle_from_polygon(std::span<const double> xy, std::uint32_t height,
                                   std::uint32_t width);

/// Rasterises a box (x, y, w, h in pixels) as pycocotools' rleFrBbox does: as the polygon of its
/// four corners.
EA_SDK_EXPORT Rle rle_from_box(const BoundingBox& box, std::uint32_t height, std::uint32_t width);

/// The union (or, with `intersect`, the intersection) of masks of one size, as pycocotools'
/// rleMerge; masks of different sizes give an empty 0×0 mask.
EA_SDK_EXPORT Rle rle_merge(std::span<const Rle> masks, bool intersect = false);

/// The number of set pixels.
EA_SDK_EXPORT std::uint64_t rle_area(RleView rle);

/// The tight box around the set pixels as pycocotools' toBbox gives it (x, y, w, h; zeros when
/// the mask is empty).
EA_SDK_EXPORT BoundingBox rle_bbox(RleView rle);

}  // namespace ea::sdk
