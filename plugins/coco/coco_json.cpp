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

sdk::BoundingBox parse_bbox(dom::element value) {
  dom::array values;
  if (value.get_array().get(values) != simdjson::SUCCESS || values.size() != 4) {
    problem("\"bbox\" must be [x, y, width, height]");
  }
  double box[4];
  std::size_t i = 0;
  for (dom::element element : values)
    box[i++] = number(element, "\"bbox\"");
  for (const double coordinate : box) {
    if (!std::isfinite(coordinate))
      problem("\"bbox\" holds a value that is not a finite number");
  }
  if (box[2] < 0 || box[3] < 0)
    problem("\"bbox\" has a negative width or height");
  return sdk::BoundingBox{box[0], box[1], box[2], box[3], 0};
}

std::variant<sdk::Polygon, sdk::Rle> parse_segmentation(dom::element value) {
  if (value.is_array()) {
    sdk::Polygon polygon;
    const dom::array parts = value.get_array().value();
    for (dom::element part : parts) {
      dom::array coordinates;
      if (part.get_array().get(coordinates) != simdjson::SUCCESS) {
        problem("a polygon \"segmentation\" must be a list of [x1, y1, x2, y2, …] lists");
      }
      if (coordinates.size() % 2 != 0)
        problem("a polygon has an odd number of coordinates");
      sdk::Ring ring;
      double x = 0;
      std::size_t i = 0;
      for (dom::element coordinate : coordinates) {
        const double v = number(coordinate, "a polygon");
        if (i++ % 2 == 0) {
          x = v;
        } else {
          ring.push_back({x, v});
        }
      }
      polygon.rings.push_back(std::move(ring));
    }
    return polygon;
  }
  dom::object rle;
  if (value.get_object().get(rle) != simdjson::SUCCESS) {
    problem("\"segmentation\" is neither polygons nor RLE");
  }
  dom::array size;
  dom::element counts;
  if (rle["size"].get_array().get(size) != simdjson::SUCCESS || size.size() != 2 ||
      rle["counts"].get(counts) != simdjson::SUCCESS) {
    problem("an RLE \"segmentation\" needs \"size\": [height, width] and \"counts\"");
  }
  const double rle_height = number(size.at(0).value(), "RLE \"size\"");
  const double rle_width = number(size.at(1).value(), "RLE \"size\"");
  if (rle_height < 1 || rle_width < 1 || rle_height > 1e6 || rle_width > 1e6) {
    problem("RLE \"size\" must be positive");
  }
  const auto h = static_cast<std::uint32_t>(rle_height), w = static_cast<std::uint32_t>(rle_width);
  if (counts.is_string()) {
    auto decoded = sdk::rle_from_string(counts.get_string().value(), h, w);
    if (!decoded)
      problem("the RLE \"counts\" string is malformed or does not fill its size");
    return std::move(*decoded);
  }
  sdk::Rle uncompressed{h, w, {}};
  dom::array runs;
  if (counts.get_array().get(runs) != simdjson::SUCCESS) {
    problem("RLE \"counts\" must be a string or a list of run lengths");
  }
  for (dom::element run : runs) {
    const double length = number(run, "RLE \"counts\"");
    if (length < 0 || length != std::floor(length) || length > 4294967295.0) {
      problem("RLE \"counts\" must be non-negative whole numbers");
    }
    uncompressed.counts.push_back(static_cast<std::uint32_t>(length));
  }
  return uncompressed;
}

}  // namespace ea::coco
