// SPDX-License-Identifier: Apache-2.0
// Encord Active's Prediction classes as pickled by pydantic: NEWOBJ of the class, then BUILD with
// {"__dict__": fields, "__fields_set__" (v1) or "__pydantic_fields_set__" (v2), …}. Only the
// fields are read. Rules follow encord_active.lib.db.predictions' validators; the host then checks
// everything against the project, as for native JSON.
#include "pickled_predictions.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ea/sdk/error.hpp"
#include "ea/sdk/mapped_file.hpp"
#include "ea/sdk/rle.hpp"
#include "encord_pickle_policy.hpp"
#include "numpy_array.hpp"

namespace ea::native {

namespace {

using encord::is_builtin;
using encord::is_encord;
using encord::is_format_value;
using encord::kFormats;
using pickle::Dict;
using pickle::Global;
using pickle::List;
using pickle::Object;
using pickle::Value;

/// A Prediction that breaks a rule; caught per record and reported to the sink.
struct RecordProblem {
  std::string message;
};

[[noreturn]] void problem(std::string message) {
  throw RecordProblem{std::move(message)};
}

template <class T>
const T* as(const Value& value) {
  return pickle::get_if<T>(value);
}

// --- reading the tree -----------------------------------------------------------------------

// What Python would call the value's type, for messages.
const char* kind_of(const Value& value) {
  struct Kind {
    const char* operator()(pickle::None) const { return "None"; }
    const char* operator()(bool) const { return "a bool"; }
    const char* operator()(std::int64_t) const { return "an int"; }
    const char* operator()(double) const { return "a float"; }
    const char* operator()(std::string_view) const { return "a str"; }
    const char* operator()(pickle::Bytes) const { return "bytes"; }
    const char* operator()(const Global*) const { return "a class"; }
    const char* operator()(const List*) const { return "a list"; }
    const char* operator()(const Dict*) const { return "a dict"; }
    const char* operator()(const Object*) const { return "an object"; }
  };
  return std::visit(Kind{}, value.content);
}

std::string type_name(const Value& value) {
  if (const Object* object = pickle::as_object(value))
    return fmt::format("a {}.{} object", object->type->module, object->type->name);
  return kind_of(value);
}

// The fields of a pickled model instance of class `name`: the "__dict__" of its BUILD state
// (pydantic 1 and 2), or the state itself for a plain object.
const Dict& fields_of(const Value& value, std::string_view name, std::string_view role) {
  const Object* object = pickle::as_object(value);
  const bool reconstructed = object != nullptr && object->type->module == "copyreg" &&
                             !object->arguments.empty() &&
                             encord::names_encord_class(object->arguments[0], name);
  if (object == nullptr || (!is_encord(*object->type, name) && !reconstructed))
    problem(fmt::format("{} is {}, not an encord_active {}", role, type_name(value), name));
  const Dict* state = pickle::as_dict(object->state);
  if (state == nullptr)
    problem(fmt::format("{} ({}) has no fields", role, name));
  for (const auto& [key, item] : state->items) {
    const auto* text = as<std::string_view>(key);
    if (text != nullptr && *text == "__dict__") {
      if (const Dict* fields = pickle::as_dict(item))
        return *fields;
      problem(fmt::format("{} ({}) has a __dict__ that is not a dict", role, name));
    }
  }
  return *state;
}

const Value* field(const Dict& fields, std::string_view name) {
  for (const auto& [key, value] : fields.items) {
    const auto* text = as<std::string_view>(key);
    if (text != nullptr && *text == name)
      return &value;
  }
  return nullptr;
}

const Value& required(const Dict& fields, std::string_view name, std::string_view owner) {
  const Value* value = field(fields, name);
  if (value == nullptr)
    problem(fmt::format("the {} has no \"{}\"", owner, name));
  return *value;
}

std::string_view text_field(const Dict& fields, std::string_view name, std::string_view owner) {
  const Value& value = required(fields, name, owner);
  const auto* text = as<std::string_view>(value);
  if (text == nullptr)
    problem(fmt::format("the {}'s \"{}\" is {}, not a str", owner, name, kind_of(value)));
  return *text;
}

double number_of(const Value& value, std::string_view name, std::string_view owner) {
  if (const auto* real = as<double>(value))
    return *real;
  if (const auto* integer = as<std::int64_t>(value))
    return static_cast<double>(*integer);
  problem(fmt::format("the {}'s \"{}\" is {}, not a number", owner, name, kind_of(value)));
}

bool is_none(const Value* value) {
  return value == nullptr || as<pickle::None>(*value) != nullptr;
}

// "bounding-box", "mask" or "polygon", from any of the ways Format is pickled.
std::string_view format_of(const Value& value) {
  if (const auto* text = as<std::string_view>(value); text != nullptr && is_format_value(value))
    return *text;
  if (const Object* member = pickle::as_object(value)) {
    if (is_builtin(*member->type, "getattr")) {
      const auto& name = std::get<std::string_view>(member->arguments[1].content);
      for (const auto& [member_name, member_value] : kFormats)
        if (member_name == name)
          return member_value;
    }
    if (is_encord(*member->type, "Format"))
      return std::get<std::string_view>(member->arguments[0].content);
  }
  problem(fmt::format("the object's \"format\" is {}, not a Format", type_name(value)));
}

sdk::BoundingBox box_of(const Value& value) {
  const Dict& fields = fields_of(value, "BoundingBox", "the bounding-box \"data\"");
  sdk::BoundingBox box;
  box.x = number_of(required(fields, "x", "BoundingBox"), "x", "BoundingBox");
  box.y = number_of(required(fields, "y", "BoundingBox"), "y", "BoundingBox");
  box.w = number_of(required(fields, "w", "BoundingBox"), "w", "BoundingBox");
  box.h = number_of(required(fields, "h", "BoundingBox"), "h", "BoundingBox");
  if (const Value* theta = field(fields, "theta"); !is_none(theta))
    box.theta = number_of(*theta, "theta", "BoundingBox");
  return box;
}

// "an array of shape 4×3".
std::string describe(const std::vector<std::int64_t>& shape) {
  if (shape.empty())
    return "a scalar array";
  return fmt::format("an array of shape {}", fmt::join(shape, "×"));
}

pickle::NumpyArray array_of(const Value& value, std::string_view format) {
  auto array = pickle::NumpyArray::from(value);
  if (!array)
    problem(fmt::format("a {} needs \"data\" as a numpy array, not {}", format, type_name(value)));
  return std::move(*array);
}

sdk::Polygon polygon_of(const Value& value) {
  const auto points = array_of(value, "polygon");
  const auto& shape = points.shape();
  if (shape.size() != 2 || shape[1] != 2)
    problem(fmt::format("a polygon must be an N×2 array of points, not {}", describe(shape)));
  if (shape[0] < 3)
    problem(fmt::format("a polygon needs at least 3 points, this one has {}", shape[0]));
  sdk::Ring ring;
  ring.reserve(static_cast<std::size_t>(shape[0]));
  for (std::size_t i = 0; i < points.size(); i += 2)
    ring.push_back({points.at(i), points.at(i + 1)});
  return sdk::Polygon{{std::move(ring)}};
}

sdk::Rle mask_of(const Value& value) {
  const auto mask = array_of(value, "mask");
  const auto& shape = mask.shape();
  if (shape.size() != 2 || shape[0] == 0 || shape[1] == 0)
    problem(fmt::format("a mask must be an H×W array, not {}", describe(shape)));
  std::vector<std::uint8_t> pixels(mask.size());
  for (std::size_t i = 0; i < pixels.size(); ++i) {
    const double pixel = mask.at(i);
    if (pixel != 0 && pixel != 1)
      problem(fmt::format("a mask may hold only 0 and 1, not {}", pixel));
    pixels[i] = static_cast<std::uint8_t>(pixel);
  }
  return sdk::rle_from_row_major(pixels, static_cast<std::uint32_t>(shape[0]),
                                 static_cast<std::uint32_t>(shape[1]));
}

std::optional<std::string> track_of(const Value* value) {
  if (is_none(value))
    return std::nullopt;
  if (const auto* text = as<std::string_view>(*value))
    return std::string(*text);
  if (const auto* integer = as<std::int64_t>(*value))
    return std::to_string(*integer);
  problem(fmt::format("\"track_id\" is {}, not a str or int", kind_of(*value)));
}

sdk::ObjectDetection object_of(const Value& value) {
  const Dict& fields = fields_of(value, "ObjectDetection", "\"object\"");
  sdk::ObjectDetection detection;
  detection.feature_hash = text_field(fields, "feature_hash", "ObjectDetection");
  detection.track_id = track_of(field(fields, "track_id"));
  const std::string_view format = format_of(required(fields, "format", "ObjectDetection"));
  const Value& data = required(fields, "data", "ObjectDetection");
  if (format == "bounding-box")
    detection.geometry = box_of(data);
  else if (format == "polygon")
    detection.geometry = polygon_of(data);
  else
    detection.geometry = mask_of(data);
  return detection;
}

sdk::FrameClassification classification_of(const Value& value) {
  const Dict& fields = fields_of(value, "FrameClassification", "\"classification\"");
  return {std::string(text_field(fields, "feature_hash", "FrameClassification")),
          std::string(text_field(fields, "attribute_hash", "FrameClassification")),
          std::string(text_field(fields, "option_hash", "FrameClassification"))};
}

void read_prediction(const Value& value, sdk::Prediction& prediction) {
  const Dict& fields = fields_of(value, "Prediction", "the item");
  prediction.data_hash = text_field(fields, "data_hash", "Prediction");
  const Value& confidence = required(fields, "confidence", "Prediction");
  prediction.confidence = number_of(confidence, "confidence", "Prediction");
  prediction.frame.reset();
  if (const Value* frame = field(fields, "frame"); !is_none(frame)) {
    const auto* number = as<std::int64_t>(*frame);
    if (number == nullptr)
      problem(fmt::format("\"frame\" is {}, not an int", kind_of(*frame)));
    prediction.frame = *number;
  }
  const Value* object = field(fields, "object");
  const Value* classification = field(fields, "classification");
  if (is_none(object) == is_none(classification))
    problem("a Prediction must have exactly one \"object\" or \"classification\"");
  if (!is_none(object))
    prediction.content = object_of(*object);
  else
    prediction.content = classification_of(*classification);
}

}  // namespace

void read_pickled_predictions(std::string_view data, sdk::RecordSink& sink) {
  sdk::Prediction prediction;  // reused: spares the allocations of its strings per item
  const auto read_item = [&](const Value& item, std::uint64_t index) {
    const sdk::RecordLocation where{sdk::RecordLocation::Kind::index, index};
    try {
      read_prediction(item, prediction);
    } catch (const RecordProblem& rejected) {
      return sink.reject(where, rejected.message);
    } catch (const sdk::InputError& malformed) {
      return sink.reject(where, malformed.reason());
    }
    sink.add(prediction, where);
  };
  const pickle::Document document(data, encord::encord_active_policy(), read_item);
  const Value& root = document.root();
  const List* items = pickle::as_list(root);
  if (items == nullptr) {
    throw sdk::InputError(
        fmt::format("the pickle holds {}, not a list of Prediction objects", type_name(root)));
  }
  // A top-level tuple, or a list built in one go, is not streamed.
  for (std::size_t index = 0; index < items->items.size(); ++index)
    read_item(items->items[index], document.streamed() + index);
}

void read_pickled_predictions_file(const std::filesystem::path& file, sdk::RecordSink& sink) {
  const sdk::MappedFile mapped(file);
  read_pickled_predictions(mapped.bytes(), sink);
}

}  // namespace ea::native
