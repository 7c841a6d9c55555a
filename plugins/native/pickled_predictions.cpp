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

// One of Encord's classes as the reader looks for it, and what it has recognised of it so far.
// Python writes each class and key once and refers back to it after, so in every later
// prediction the same bytes of the file name the same class or field: comparing where a text
// starts (and its length) then replaces comparing the text, which was most of the conversion's
// work. The file does not change while it is read, so the same view is the same text.
template <std::size_t N>
struct Model {
  std::string_view name;                    // the class
  std::string_view role;                    // what the reader calls an instance, for messages
  std::array<std::string_view, N> field;    // the fields read, in the order of the reader's enum
  const Global* seen_class = nullptr;       // recognised as the class
  const char* seen_dict_key = nullptr;      // recognised as "__dict__"
  std::array<const char*, N> seen_field{};  // recognised as each field

  // The field `key` names, or N.
  std::size_t field_named(std::string_view key) {
    for (std::size_t i = 0; i < N; ++i)
      if (key.data() == seen_field[i] && key.size() == field[i].size())
        return i;
    for (std::size_t i = 0; i < N; ++i) {
      if (key == field[i]) {
        seen_field[i] = key.data();
        return i;
      }
    }
    return N;
  }
  // Whether `key` is "__dict__".
  bool is_dict_key(std::string_view key) {
    if (key.data() == seen_dict_key && key.size() == 8)
      return true;
    if (key != "__dict__")
      return false;
    seen_dict_key = key.data();
    return true;
  }
  // Whether `object` is an instance of the class (also as copyreg reconstructs one).
  bool is_instance(const Object& object) {
    if (object.type == seen_class)
      return true;
    if (is_encord(*object.type, name)) {
      seen_class = object.type;
      return true;
    }
    return object.type->module == "copyreg" && !object.arguments.empty() &&
           encord::names_encord_class(object.arguments[0], name);
  }
};

// The fields of a pickled instance of `model`'s class: the "__dict__" of its BUILD state
// (pydantic 1 and 2), or the state itself for a plain object.
template <std::size_t N>
const Dict& fields_of(const Value& value, Model<N>& model) {
  const Object* object = pickle::as_object(value);
  if (object == nullptr || !model.is_instance(*object))
    problem(
        fmt::format("{} is {}, not an encord_active {}", model.role, type_name(value), model.name));
  const Dict* state = pickle::as_dict(object->state);
  if (state == nullptr)
    problem(fmt::format("{} ({}) has no fields", model.role, model.name));
  for (const auto& [key, item] : state->items) {
    const auto* text = as<std::string_view>(key);
    if (text != nullptr && model.is_dict_key(*text)) {
      if (const Dict* fields = pickle::as_dict(item))
        return *fields;
      problem(fmt::format("{} ({}) has a __dict__ that is not a dict", model.role, model.name));
    }
  }
  return *state;
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

// The fields `model` reads of an instance, named in order by an enum, found in one pass over its
// dict (a key set twice keeps its last value, as in a Python dict).
template <std::size_t N>
class Fields {
 public:
  Fields(const Value& instance, Model<N>& model) : model_(model) {
    for (const auto& [key, value] : fields_of(instance, model).items) {
      const auto* text = as<std::string_view>(key);
      if (text == nullptr)
        continue;
      if (const std::size_t field = model.field_named(*text); field < N)
        found_[field] = &value;
    }
  }

  // Field `name`, or null when the dict does not have it.
  template <class Name>
  const Value* optional(Name name) const {
    return found_[static_cast<std::size_t>(name)];
  }
  // Field `name`, which the class requires.
  template <class Name>
  const Value& required(Name name) const {
    const Value* value = optional(name);
    if (value == nullptr)
      problem(fmt::format("the {} has no \"{}\"", model_.name, name_of(name)));
    return *value;
  }
  // Field `name` as text.
  template <class Name>
  std::string_view text(Name name) const {
    const Value& value = required(name);
    const auto* text = as<std::string_view>(value);
    if (text == nullptr)
      problem(fmt::format("the {}'s \"{}\" is {}, not a str", model_.name, name_of(name),
                          kind_of(value)));
    return *text;
  }
  // Field `name` as a number.
  template <class Name>
  double number(Name name) const {
    return number_of(required(name), name_of(name), model_.name);
  }

 private:
  template <class Name>
  std::string_view name_of(Name name) const {
    return model_.field[static_cast<std::size_t>(name)];
  }

  const Model<N>& model_;
  std::array<const Value*, N> found_{};
};

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

// What the reader looks for in Encord's classes, each enum naming its fields in the order of the
// names beside it, and what it has recognised so far.
struct Models {
  enum class PredictionField { data_hash, confidence, frame, object, classification };
  Model<5> prediction{
      "Prediction", "the item", {"data_hash", "confidence", "frame", "object", "classification"}};
  enum class ObjectField { feature_hash, track_id, format, data };
  Model<4> object{"ObjectDetection", "\"object\"", {"feature_hash", "track_id", "format", "data"}};
  enum class BoxField { x, y, w, h, theta };
  Model<5> box{"BoundingBox", "the bounding-box \"data\"", {"x", "y", "w", "h", "theta"}};
  enum class ClassificationField { feature_hash, attribute_hash, option_hash };
  Model<3> classification{"FrameClassification",
                          "\"classification\"",
                          {"feature_hash", "attribute_hash", "option_hash"}};
};

sdk::BoundingBox box_of(const Value& value, Models& models) {
  using Field = Models::BoxField;
  const Fields fields(value, models.box);
  sdk::BoundingBox box;
  box.x = fields.number(Field::x);
  box.y = fields.number(Field::y);
  box.w = fields.number(Field::w);
  box.h = fields.number(Field::h);
  if (const Value* theta = fields.optional(Field::theta); !is_none(theta))
    box.theta = fields.number(Field::theta);
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

void read_track(const Value* value, std::optional<std::string>& track) {
  if (is_none(value))
    track.reset();
  else if (const auto* text = as<std::string_view>(*value))
    track = *text;
  else if (const auto* integer = as<std::int64_t>(*value))
    track = std::to_string(*integer);
  else
    problem(fmt::format("\"track_id\" is {}, not a str or int", kind_of(*value)));
}

// The alternative T of `holder`, made if it holds another. A batch's predictions are read into
// the same slots batch after batch, so filling them in place keeps their strings' memory and
// spares building each prediction twice (~15 % of the conversion's time).
template <class T, class Variant>
T& reuse(Variant& holder) {
  if (T* held = std::get_if<T>(&holder))
    return *held;
  return holder.template emplace<T>();
}

// Sets every field of `detection`, whatever it held before.
void read_object(const Value& value, sdk::ObjectDetection& detection, Models& models) {
  using Field = Models::ObjectField;
  const Fields fields(value, models.object);
  detection.feature_hash = fields.text(Field::feature_hash);
  read_track(fields.optional(Field::track_id), detection.track_id);
  const std::string_view format = format_of(fields.required(Field::format));
  const Value& data = fields.required(Field::data);
  if (format == "bounding-box")
    reuse<sdk::BoundingBox>(detection.geometry) = box_of(data, models);
  else if (format == "polygon")
    detection.geometry = polygon_of(data);
  else
    detection.geometry = mask_of(data);
  detection.units = sdk::Units::relative;
  detection.box.reset();
  detection.attributes.clear();
}

void read_classification(const Value& value, sdk::FrameClassification& classification,
                         Models& models) {
  using Field = Models::ClassificationField;
  const Fields fields(value, models.classification);
  classification.feature_hash = fields.text(Field::feature_hash);
  classification.attribute_hash = fields.text(Field::attribute_hash);
  classification.option_hash = fields.text(Field::option_hash);
}

void read_prediction(const Value& value, sdk::Prediction& prediction, Models& models) {
  using Field = Models::PredictionField;
  const Fields fields(value, models.prediction);
  prediction.data_hash = fields.text(Field::data_hash);
  prediction.confidence = fields.number(Field::confidence);
  prediction.frame.reset();
  if (const Value* frame = fields.optional(Field::frame); !is_none(frame)) {
    const auto* number = as<std::int64_t>(*frame);
    if (number == nullptr)
      problem(fmt::format("\"frame\" is {}, not an int", kind_of(*frame)));
    prediction.frame = *number;
  }
  const Value* object = fields.optional(Field::object);
  const Value* classification = fields.optional(Field::classification);
  if (is_none(object) == is_none(classification))
    problem("a Prediction must have exactly one \"object\" or \"classification\"");
  if (!is_none(object))
    read_object(*object, reuse<sdk::ObjectDetection>(prediction.content), models);
  else
    read_classification(*classification, reuse<sdk::FrameClassification>(prediction.content),
                        models);
  prediction.unit_index.reset();
}

// Predictions read on one of the pickle reader's threads, handed to the sink in order on the
// calling one. Slots are reused from batch to batch, so their strings keep their capacity.
class PredictionBatch final : public pickle::ItemBatch {
 public:
  explicit PredictionBatch(sdk::RecordSink& sink) : sink_(sink) {}

  void read(std::span<const Value> items) override {
    for (const Value& item : items)
      read(item);
  }
  void read(const Value& item) {
    if (size_ == slots_.size())
      slots_.emplace_back();
    Slot& slot = slots_[size_++];
    slot.rejected = true;
    try {
      read_prediction(item, slot.prediction, models_);
      slot.rejected = false;
    } catch (const RecordProblem& rejected) {
      slot.rejection = rejected.message;
    } catch (const sdk::InputError& malformed) {
      slot.rejection = malformed.reason();
    }
  }
  void hand_over(std::uint64_t first) override {
    for (std::size_t i = 0; i < size_; ++i) {
      const sdk::RecordLocation where{sdk::RecordLocation::Kind::index, first + i};
      if (!slots_[i].rejected)
        sink_.add(slots_[i].prediction, where);
      else
        sink_.reject(where, slots_[i].rejection);
    }
    size_ = 0;
  }

 private:
  struct Slot {
    sdk::Prediction prediction;
    bool rejected = false;
    std::string rejection;  // why, when rejected
  };
  sdk::RecordSink& sink_;
  Models models_;
  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};

}  // namespace

void read_pickled_predictions(std::string_view data, sdk::RecordSink& sink) {
  const pickle::Document document(data, encord::encord_active_policy(),
                                  [&] { return std::make_unique<PredictionBatch>(sink); });
  const Value& root = document.root();
  const List* items = pickle::as_list(root);
  if (items == nullptr) {
    throw sdk::InputError(
        fmt::format("the pickle holds {}, not a list of Prediction objects", type_name(root)));
  }
  // A top-level tuple, or a list built in one go, is not streamed.
  PredictionBatch rest(sink);
  rest.read(items->items);
  rest.hand_over(document.streamed());
}

void read_pickled_predictions_file(const std::filesystem::path& file, sdk::RecordSink& sink) {
  const sdk::MappedFile mapped(file);
  read_pickled_predictions(mapped.bytes(), sink);
}

}  // namespace ea::native
