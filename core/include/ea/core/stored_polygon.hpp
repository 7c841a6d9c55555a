// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string_view>

#include "ea/sdk/geometry.hpp"
#include "ea/sdk/rle.hpp"

namespace ea::core {

/// A polygon as the store keeps it: JSON rings `[[x, y, x, y, …], …]` in pixels. Throws Failure
/// naming object `id` when the text is not that.
sdk::Polygon parse_stored_polygon(std::string_view rings_json, std::int64_t id);

/// The polygon's mask on an image of this size: every ring rasterised and the rings merged, as
/// pycocotools' annToRLE does with the parts of one annotation.
sdk::Rle polygon_mask(const sdk::Polygon& polygon, std::uint32_t height, std::uint32_t width);

}  // namespace ea::core
