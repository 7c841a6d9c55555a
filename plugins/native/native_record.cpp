// SPDX-License-Identifier: Apache-2.0
#include "native_record.hpp"

#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "ea/sdk/error.hpp"
#include "ea/sdk/rle.hpp"

namespace ea::native {

namespace {

namespace od = simdjson::ondemand;

/// A record whose content (not syntax) is wrong; caught per record and reported to the sink.
struct RecordProblem {
  std::string message;
};

[[noreturn]] void problem(std::string message) {
  throw RecordProblem{std::move(message)};
}

double number(od::value value, std::string_view field) {
  double result = 0;
  if (value.get_double().get(result) == simdjson::SUCCESS)
    return result;
  // Python's json module writes NaN and ±Infinity; they are read so validation can name them.
  const std::string_view raw = value.raw_json_token();
  const auto token = raw.substr(0, raw.find_last_not_of(" \t\r\n") + 1);
  if (token == "NaN")
    return std::numeric_limits<double>::quiet_NaN();
  if (token == "Infinity" || token == "1e999")
    return std::numeric_limits<double>::infinity();
  if (token == "-Infinity")
    return -std::numeric_limits<double>::infinity();
  if (!token.empty() && (token.front() == '-' || (token.front() >= '0' && token.front() <= '9'))) {
    // A number simdjson cannot hold in a double: it overflows.
    return token.front() == '-' ? -std::numeric_limits<double>::infinity()
                                : std::numeric_limits<double>::infinity();
  }
  problem("\"" + std::string(field) + "\" must be a number");
}

// Valid until the parser moves on; copy what must outlive the record.
std::string_view text(od::value value, std::string_view field) {
  std::string_view result;
  if (value.get_string().get(result) != simdjson::SUCCESS) {
    problem("\"" + std::string(field) + "\" must be a string");
  }
  return result;
}

bool is_null(od::value& value) {
  return value.is_null();
}

/// Numbers nested two or three levels deep: [[x,y],…] is depth 2, [[[x,y],…],…] is depth 3.
struct NestedNumbers {
  int depth = 0;
  std::vector<std::vector<std::vector<double>>> parts;
};

std::vector<double> number_list(od::array array, std::string_view field) {
  std::vector<double> values;
  for (auto element : array)
    values.push_back(number(element.value(), field));
  return values;
}

NestedNumbers nested_numbers(od::array outer) {
  NestedNumbers nested;
  for (auto element : outer) {
    od::array middle;
    if (element.get_array().get(middle) != simdjson::SUCCESS) {
      problem("\"data\" must be a list of points [[x, y], …] or of rings [[[x, y], …], …]");
    }
    std::vector<std::vector<double>> rows;
    int depth = 2;
    for (auto inner : middle) {
      od::value value = inner.value();
      od::json_type type;
      if (value.type().get(type) == simdjson::SUCCESS && type == od::json_type::array) {
        depth = 3;
        rows.push_back(number_list(value.get_array(), "data"));
      } else {
        if (depth == 3)
          problem("\"data\" mixes points and rings");
        rows.push_back({number(value, "data")});
      }
    }
    if (nested.depth != 0 && nested.depth != depth)
      problem("\"data\" mixes points and rings");
    nested.depth = depth;
    if (depth == 3) {
      nested.parts.push_back(std::move(rows));
    } else {
      if (nested.parts.empty())
        nested.parts.emplace_back();
      std::vector<double> row;
      for (const auto& single : rows)
        row.push_back(single.front());
      nested.parts.front().push_back(std::move(row));
    }
  }
  return nested;
}

/// The fields of a "data" object: a box has x, y, w, h; a mask has size and counts. Which one it
/// is can only be decided after reading it, since "format" may come after "data".
struct DataObject {
  sdk::BoundingBox box;
  int box_fields = 0;  // bit per x, y, w, h
  std::optional<std::pair<std::uint32_t, std::uint32_t>> size;
  std::optional<std::string> compressed;
  std::optional<std::vector<std::uint32_t>> counts;
};

std::pair<std::uint32_t, std::uint32_t> mask_size(od::value value) {
  const std::vector<double> dims = number_list(value.get_array(), "size");
  if (dims.size() != 2 || dims[0] < 1 || dims[1] < 1 || dims[0] != std::floor(dims[0]) ||
      dims[1] != std::floor(dims[1]) || dims[0] > 1e6 || dims[1] > 1e6) {
    problem("mask \"size\" must be [height, width] in whole pixels");
  }
  return {static_cast<std::uint32_t>(dims[0]), static_cast<std::uint32_t>(dims[1])};
}

std::vector<std::uint32_t> run_lengths(od::value value) {
  std::vector<std::uint32_t> counts;
  for (const double run : number_list(value.get_array(), "counts")) {
    if (run < 0 || run != std::floor(run) || run > 4294967295.0) {
      problem("mask \"counts\" must be non-negative whole numbers");
    }
    counts.push_back(static_cast<std::uint32_t>(run));
  }
  return counts;
}

DataObject data_object_from(od::object object) {
  DataObject data;
  for (auto field : object) {
    const std::string_view key = field.unescaped_key();
    od::value value = field.value();
    if (key == "x")
      data.box.x = number(value, "x"), data.box_fields |= 1;
    else if (key == "y")
      data.box.y = number(value, "y"), data.box_fields |= 2;
    else if (key == "w")
      data.box.w = number(value, "w"), data.box_fields |= 4;
    else if (key == "h")
      data.box.h = number(value, "h"), data.box_fields |= 8;
    else if (key == "theta")
      data.box.theta = number(value, "theta");
    else if (key == "size")
      data.size = mask_size(value);
    else if (key == "counts") {
      od::json_type type;
      if (value.type().get(type) == simdjson::SUCCESS && type == od::json_type::string) {
        data.compressed = text(value, "counts");
      } else {
        data.counts = run_lengths(value);
      }
    }
  }
  return data;
}

sdk::BoundingBox box_from(const DataObject& data) {
  if (data.box_fields != 15)
    problem("a bounding-box \"data\" needs \"x\", \"y\", \"w\" and \"h\"");
  return data.box;
}

sdk::Rle rle_from(DataObject& data) {
  if (!data.size || (!data.compressed && !data.counts)) {
    problem("a mask \"data\" needs \"size\" and \"counts\" (COCO RLE)");
  }
  if (data.compressed) {
    auto decoded = sdk::rle_from_string(*data.compressed, data.size->first, data.size->second);
    if (!decoded)
      problem("the mask's compressed \"counts\" are malformed or do not fill its size");
    return std::move(*decoded);
  }
  return sdk::Rle{data.size->first, data.size->second, std::move(*data.counts)};
}

sdk::Polygon polygon_from(const NestedNumbers& nested) {
  sdk::Polygon polygon;
  for (const auto& part : nested.parts) {
    sdk::Ring ring;
    for (const auto& point : part) {
      if (point.size() != 2)
        problem("a polygon point must be [x, y]");
      ring.push_back({point[0], point[1]});
    }
    polygon.rings.push_back(std::move(ring));
  }
  return polygon;
}

// Encord Active's own masks are H×W arrays of 0 and 1.
sdk::Rle rle_from_rows(const NestedNumbers& nested) {
  if (nested.depth != 2 || nested.parts.empty() || nested.parts.front().empty()) {
    problem("a mask as an array must be H×W rows of 0 and 1");
  }
  const auto& rows = nested.parts.front();
  const std::size_t width = rows.front().size();
  std::vector<std::uint8_t> pixels;
  pixels.reserve(rows.size() * width);
  for (const auto& row : rows) {
    if (row.size() != width)
      problem("the mask's rows have different lengths");
    for (const double value : row) {
      if (value != 0 && value != 1)
        problem("a mask array may hold only 0 and 1");
      pixels.push_back(value != 0);
    }
  }
  return sdk::rle_from_row_major(pixels, static_cast<std::uint32_t>(rows.size()),
                                 static_cast<std::uint32_t>(width));
}

sdk::ObjectDetection object_from(od::object object) {
  sdk::ObjectDetection detection;
  std::string format;
  std::optional<DataObject> data;
  std::optional<NestedNumbers> nested;
  bool has_feature = false;
  for (auto field : object) {
    const std::string_view key = field.unescaped_key();
    od::value value = field.value();
    if (key == "feature_hash") {
      detection.feature_hash = text(value, "feature_hash");
      has_feature = true;
    } else if (key == "format") {
      format = text(value, "format");
    } else if (key == "track_id") {
      od::json_type type;
      if (is_null(value))
        continue;
      if (value.type().get(type) == simdjson::SUCCESS && type == od::json_type::number) {
        detection.track_id = std::string(value.raw_json_token());
        while (!detection.track_id->empty() &&
               std::isspace(static_cast<unsigned char>(detection.track_id->back()))) {
          detection.track_id->pop_back();
        }
      } else {
        detection.track_id = text(value, "track_id");
      }
    } else if (key == "data") {
      od::json_type type;
      if (value.type().get(type) != simdjson::SUCCESS)
        problem("\"data\" is not valid JSON");
      if (type == od::json_type::object) {
        data = data_object_from(value.get_object());
      } else if (type == od::json_type::array) {
        nested = nested_numbers(value.get_array());
      } else {
        problem("\"data\" must be a box object, a list of points or a mask");
      }
    }
  }
  if (!has_feature)
    problem("\"object\" needs a \"feature_hash\"");
  if (format == "bounding-box") {
    if (!data)
      problem("a bounding-box object needs \"data\": {\"x\", \"y\", \"w\", \"h\"}");
    detection.geometry = box_from(*data);
  } else if (format == "polygon") {
    if (!nested)
      problem("a polygon object needs \"data\" as [[x, y], …] or a list of rings");
    detection.geometry = polygon_from(*nested);
  } else if (format == "mask") {
    if (data) {
      detection.geometry = rle_from(*data);
    } else if (nested) {
      detection.geometry = rle_from_rows(*nested);
    } else {
      problem("a mask object needs \"data\" as COCO RLE {\"size\", \"counts\"}");
    }
  } else if (format.empty()) {
    problem("\"object\" needs a \"format\": bounding-box, polygon or mask");
  } else {
    problem("\"format\" is \"" + format + "\"; use bounding-box, polygon or mask");
  }
  detection.units = sdk::Units::relative;
  return detection;
}

sdk::FrameClassification classification_from(od::object object) {
  sdk::FrameClassification classification;
  int seen = 0;
  for (auto field : object) {
    const std::string_view key = field.unescaped_key();
    od::value value = field.value();
    if (key == "feature_hash")
      classification.feature_hash = text(value, key), seen |= 1;
    else if (key == "attribute_hash")
      classification.attribute_hash = text(value, key), seen |= 2;
    else if (key == "option_hash")
      classification.option_hash = text(value, key), seen |= 4;
  }
  if (seen != 7) {
    problem("\"classification\" needs \"feature_hash\", \"attribute_hash\" and \"option_hash\"");
  }
  return classification;
}

// Fills `prediction` in place: reusing it across records spares an allocation per record.
void prediction_from(od::object object, sdk::Prediction& prediction, bool confidence_required) {
  prediction.frame.reset();
  bool has_hash = false, has_confidence = false, has_object = false, has_classification = false;
  for (auto field : object) {
    const std::string_view key = field.unescaped_key();
    od::value value = field.value();
    if (key == "data_hash") {
      prediction.data_hash.assign(text(value, "data_hash"));
      has_hash = true;
    } else if (key == "frame") {
      if (is_null(value))
        continue;
      std::int64_t frame = 0;
      if (value.get_int64().get(frame) != simdjson::SUCCESS) {
        problem("\"frame\" must be a whole number");
      }
      prediction.frame = frame;
    } else if (key == "confidence") {
      prediction.confidence = number(value, "confidence");
      has_confidence = true;
    } else if (key == "object") {
      if (is_null(value))
        continue;
      if (has_classification)
        problem("a record needs exactly one of \"object\" and \"classification\", not both");
      prediction.content = object_from(value.get_object());
      has_object = true;
    } else if (key == "classification") {
      if (is_null(value))
        continue;
      if (has_object)
        problem("a record needs exactly one of \"object\" and \"classification\", not both");
      prediction.content = classification_from(value.get_object());
      has_classification = true;
    }
  }
  if (!has_hash)
    problem("the record has no \"data_hash\"");
  if (!has_confidence && confidence_required)
    problem("the record has no \"confidence\"");
  if (!has_object && !has_classification) {
    problem("a record needs exactly one of \"object\" and \"classification\", and has neither");
  }
}

std::optional<std::string> convert(od::value value, std::string_view source,
                                   sdk::Prediction& prediction, bool confidence_required) {
  try {
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS)
      return std::string("the record is not a JSON object");
    prediction_from(object, prediction, confidence_required);
    return std::nullopt;
  } catch (const RecordProblem& bad) {
    // On-Demand parsing is lazy, so broken syntax can surface as a value of the wrong type.
    const std::string syntax = json_syntax_problem(source);
    return syntax.empty() ? bad.message : "invalid JSON at " + syntax;
  } catch (const simdjson::simdjson_error& error) {
    // Broken syntax: let a strict parser say where.
    const std::string where = json_syntax_problem(source);
    return where.empty() ? std::string("unreadable JSON: ") + error.what()
                         : "invalid JSON at " + where;
  }
}

}  // namespace

std::string json_syntax_problem(std::string_view text) {
  try {
    const nlohmann::json parsed = nlohmann::json::parse(text.begin(), text.end());
    return {};
  } catch (const nlohmann::json::parse_error& error) {
    // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error …"
    std::string message = error.what();
    const auto at = message.find(" at line ");
    if (at != std::string::npos)
      message = message.substr(at + 4);
    return message;
  }
}

std::optional<std::string> RecordParser::parse(std::string_view text, std::size_t capacity) {
  od::document document;
  if (parser_.iterate(text.data(), text.size(), capacity).get(document) != simdjson::SUCCESS) {
    const std::string where = json_syntax_problem(text);
    return "invalid JSON at " + (where.empty() ? std::string("this line") : where);
  }
  od::value value;
  if (document.get_value().get(value) != simdjson::SUCCESS) {
    const std::string where = json_syntax_problem(text);
    return "invalid JSON at " + (where.empty() ? std::string("this line") : where);
  }
  return convert(value, text, prediction_, records_ == Records::predictions);
}

void RecordParser::parse_array(
    const simdjson::padded_string& text,
    const std::function<void(const std::optional<std::string>&, std::uint64_t)>& emit) {
  const auto broken = [&text] {
    const std::string where = json_syntax_problem(std::string_view(text.data(), text.size()));
    throw sdk::InputError("invalid JSON at " +
                          (where.empty() ? std::string("an unknown place") : where));
  };
  try {
    od::document document = parser_.iterate(text);
    od::array array;
    if (document.get_array().get(array) != simdjson::SUCCESS)
      broken();
    std::uint64_t index = 0;
    bool syntax_checked = false;
    for (auto element : array) {
      od::value value;
      if (element.get(value) != simdjson::SUCCESS)
        broken();
      od::object object;
      std::optional<std::string> result;
      try {
        if (value.get_object().get(object) != simdjson::SUCCESS) {
          result = std::string("the record is not a JSON object");
        } else {
          prediction_from(object, prediction_, records_ == Records::predictions);
        }
      } catch (const RecordProblem& bad) {
        // On-Demand parsing is lazy, so broken syntax can surface as a value of the wrong type;
        // broken syntax ends the whole array, a wrong value only this record.
        if (!syntax_checked) {
          syntax_checked = true;
          if (!json_syntax_problem(std::string_view(text.data(), text.size())).empty())
            broken();
        }
        result = bad.message;
      }
      emit(result, index++);
    }
  } catch (const simdjson::simdjson_error&) {
    broken();
  }
}

}  // namespace ea::native
