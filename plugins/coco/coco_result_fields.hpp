// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>

#include <simdjson.h>

#include "ea/sdk/geometry.hpp"

namespace ea::coco {

/// One result's fields as read, before ids are resolved; both parsers fill it.
struct ResultFields {
  std::optional<std::int64_t> image_number;     ///< `image_id` when it is an integer
  std::optional<std::string> image_text;        ///< `image_id` when it is a string
  std::optional<std::int64_t> category_number;  ///< `category_id` when it is an integer
  std::optional<std::string> category_text;     ///< `category_id` when it is a string
  std::optional<sdk::BoundingBox> bbox;         ///< `bbox`
  std::optional<std::variant<sdk::Polygon, sdk::Rle>> segmentation;  ///< non-empty `segmentation`
  std::optional<double> score;                                       ///< `score`
  std::optional<std::int64_t> frame;  ///< `frame`: which frame of a video the result is on
};

/// Reads the fields of a DOM result object; throws RecordProblem on malformed values.
ResultFields fields_from(simdjson::dom::object result);

/// Streams a top-level results list with simdjson's On-Demand parser, calling `take` with each
/// result's fields (or its problem) and 0-based index, so records flow while the file is parsed.
/// Broken JSON throws sdk::InputError.
void stream_results(
    simdjson::padded_string_view text,
    const std::function<void(std::size_t, const ResultFields*, const std::string*)>& take);

}  // namespace ea::coco
