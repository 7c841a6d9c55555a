// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <simdjson.h>

#include "ea/sdk/records.hpp"

namespace ea::coco {

/// A COCO JSON document held in memory with the parser that owns it.
struct Document {
  simdjson::dom::parser parser;  ///< owns the parsed tape
  simdjson::dom::element root;   ///< the top-level value
};

/// Parses `file`; throws sdk::InputError saying what is wrong with broken JSON.
void load(const std::filesystem::path& file, Document& document);

/// The COCO id (integer or string) under `key`, as text; nullopt if absent or of another type.
std::optional<std::string> id_field(simdjson::dom::object object, const char* key);

/// `bbox` [x, y, w, h] in pixels; throws a description when it is malformed.
sdk::BoundingBox parse_bbox(simdjson::dom::element value);

/// A `segmentation` in pixels: polygons (one flat list per part) or RLE (compressed or not);
/// throws a description when it is neither.
std::variant<sdk::Polygon, sdk::Rle> parse_segmentation(simdjson::dom::element value);

/// A box from its four numbers [x, y, w, h]; throws a description when they are not that.
sdk::BoundingBox bbox_from(std::span<const double> values);

/// A polygon from its parts, each a flat [x1, y1, x2, y2, …] list.
sdk::Polygon polygon_from(const std::vector<std::vector<double>>& parts);

/// A mask from RLE `size` and either compressed or uncompressed `counts`.
sdk::Rle rle_from(const std::vector<double>& size, const std::string* compressed,
                  const std::vector<double>* counts);

/// A problem with one record's content.
struct RecordProblem {
  std::string message;  ///< what is wrong
};

}  // namespace ea::coco
