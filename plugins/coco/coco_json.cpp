// SPDX-License-Identifier: Apache-2.0
#include "coco_json.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include "ea/sdk/error.hpp"
#include "ea/sdk/rle.hpp"

namespace ea::coco {

namespace dom = simdjson::dom;

namespace {
[[noreturn]] void problem(std::string message) {
  throw RecordProblem{std::move(message)};
}

double number(dom::element value, const char* what) {
  double result = 0;
  if (value.is_int64())
    return static_cast<double>(value.get_int64().value());
  if (value.is_uint64())
    return static_cast<double>(value.get_uint64().value());
  if (value.get_double().get(result) != simdjson::SUCCESS) {
    problem(std::string(what) + " must hold numbers");
  }
  return result;
}
}  // namespace

void load(const std::filesystem::path& file, Document& document) {
  const auto error = document.parser.load(file.string()).get(document.root);
  if (error == simdjson::SUCCESS)
    return;
  if (error == simdjson::IO_ERROR)
    throw sdk::InputError("cannot read the file");
  throw sdk::InputError(std::string("invalid JSON (") + simdjson::error_message(error) + ")");
}

std::optional<std::string> id_field(dom::object object, const char* key) {
  dom::element value;
  if (object[key].get(value) != simdjson::SUCCESS)
    return std::nullopt;
  if (value.is_int64())
    return std::to_string(value.get_int64().value());
  if (value.is_uint64())
    return std::to_string(value.get_uint64().value());
  if (value.is_string())
    return std::string(value.get_string().value());
  return std::nullopt;
}

sdk::BoundingBox bbox_from(std::span<const double> values) {
  if (values.size() != 4)
    problem("\"bbox\" must be [x, y, width, height]");
  for (const double coordinate : values) {
    if (!std::isfinite(coordinate))
      problem("\"bbox\" holds a value that is not a finite number");
  }
  if (values[2] < 0 || values[3] < 0)
    problem("\"bbox\" has a negative width or height");
  return sdk::BoundingBox{values[0], values[1], values[2], values[3], 0};
}

sdk::Polygon polygon_from(const std::vector<std::vector<double>>& parts) {
  sdk::Polygon polygon;
  for (const auto& coordinates : parts) {
    if (coordinates.size() % 2 != 0)
      problem("a polygon has an odd number of coordinates");
    sdk::Ring ring;
    for (std::size_t i = 0; i + 1 < coordinates.size(); i += 2) {
      ring.push_back({coordinates[i], coordinates[i + 1]});
    }
    polygon.rings.push_back(std::move(ring));
  }
  return polygon;
}

sdk::Rle rle_from(const std::vector<double>& size, const std::string* compressed,
                  const std::vector<double>* counts) {
  if (size.size() != 2 || (compressed == nullptr && counts == nullptr)) {
    problem("an RLE \"segmentation\" needs \"size\": [height, width] and \"counts\"");
  }
  if (size[0] < 1 || size[1] < 1 || size[0] > 1e6 || size[1] > 1e6) {
    problem("RLE \"size\" must be positive");
  }
  const auto h = static_cast<std::uint32_t>(size[0]), w = static_cast<std::uint32_t>(size[1]);
  if (compressed != nullptr) {
    auto decoded = sdk::rle_from_string(*compressed, h, w);
    if (!decoded)
      problem("the RLE \"counts\" string is malformed or does not fill its size");
    return std::move(*decoded);
  }
  sdk::Rle rle{h, w, {}};
  for (const double length : *counts) {
    if (length < 0 || length != std::floor(length) || length > 4294967295.0) {
      problem("RLE \"counts\" must be non-negative whole numbers");
    }
    rle.counts.push_back(static_cast<std::uint32_t>(length));
  }
  return rle;
}

namespace {
std::vector<double> numbers(dom::element value, const char* what) {
  dom::array values;
  if (value.get_array().get(values) != simdjson::SUCCESS) {
    problem(std::string(what) + " must be a list of numbers");
  }
  std::vector<double> result;
  for (dom::element element : values)
    result.push_back(number(element, what));
  return result;
}
}  // namespace

sdk::BoundingBox parse_bbox(dom::element value) {
  dom::array values;
  if (value.get_array().get(values) != simdjson::SUCCESS) {
    problem("\"bbox\" must be [x, y, width, height]");
  }
  return bbox_from(numbers(value, "\"bbox\""));
}

std::variant<sdk::Polygon, sdk::Rle> parse_segmentation(dom::element value) {
  if (value.is_array()) {
    std::vector<std::vector<double>> parts;
    const dom::array list = value.get_array().value();
    for (dom::element part : list) {
      if (!part.is_array()) {
        problem("a polygon \"segmentation\" must be a list of [x1, y1, x2, y2, …] lists");
      }
      parts.push_back(numbers(part, "a polygon"));
    }
    return polygon_from(parts);
  }
  dom::object rle;
  if (value.get_object().get(rle) != simdjson::SUCCESS) {
    problem("\"segmentation\" is neither polygons nor RLE");
  }
  dom::element size, counts;
  if (rle["size"].get(size) != simdjson::SUCCESS ||
      rle["counts"].get(counts) != simdjson::SUCCESS) {
    problem("an RLE \"segmentation\" needs \"size\": [height, width] and \"counts\"");
  }
  const std::vector<double> dimensions = numbers(size, "RLE \"size\"");
  if (counts.is_string()) {
    const std::string text(counts.get_string().value());
    return rle_from(dimensions, &text, nullptr);
  }
  const std::vector<double> runs = numbers(counts, "RLE \"counts\"");
  return rle_from(dimensions, nullptr, &runs);
}

}  // namespace ea::coco
