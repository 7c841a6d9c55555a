// SPDX-License-Identifier: Apache-2.0
// Reading results fields with the DOM (dataset dicts) or streamed with On-Demand (result lists).
#include <algorithm>
#include <array>
#include <future>
#include <vector>

#include "coco_json.hpp"
#include "coco_result_fields.hpp"
#include "ea/sdk/error.hpp"

namespace ea::coco {

namespace dom = simdjson::dom;
namespace od = simdjson::ondemand;

namespace {

[[noreturn]] void problem(std::string message) {
  throw RecordProblem{std::move(message)};
}

void id_of(dom::object result, const char* key, std::optional<std::int64_t>& number,
           std::optional<std::string>& text) {
  std::int64_t value = 0;
  if (result[key].get_int64().get(value) == simdjson::SUCCESS) {
    number = value;
  } else if (const auto id = id_field(result, key)) {
    text = *id;
  }
}

double od_number(od::value value, const char* what) {
  double result = 0;
  if (value.get_double().get(result) != simdjson::SUCCESS) {
    problem(std::string(what) + " must hold numbers");
  }
  return result;
}

std::vector<double> od_numbers(od::value value, const char* what) {
  od::array values;
  if (value.get_array().get(values) != simdjson::SUCCESS) {
    problem(std::string(what) + " must be a list of numbers");
  }
  std::vector<double> result;
  for (auto element : values)
    result.push_back(od_number(element.value(), what));
  return result;
}

// Four numbers read in place: a bbox per record must not cost an allocation.
sdk::BoundingBox od_bbox(od::value value) {
  od::array values;
  if (value.get_array().get(values) != simdjson::SUCCESS) {
    problem("\"bbox\" must be [x, y, width, height]");
  }
  std::array<double, 4> box{};
  std::size_t count = 0;
  for (auto element : values) {
    const double number = od_number(element.value(), "\"bbox\"");
    if (count < box.size())
      box[count] = number;
    ++count;
  }
  if (count != box.size())
    problem("\"bbox\" must be [x, y, width, height]");
  return bbox_from(box);
}

void od_id(od::value value, const char* key, std::optional<std::int64_t>& number,
           std::optional<std::string>& text) {
  od::json_type type;
  if (value.type().get(type) != simdjson::SUCCESS)
    problem(std::string("\"") + key + "\" is unreadable");
  std::int64_t whole = 0;
  std::string_view string;
  if (type == od::json_type::number && value.get_int64().get(whole) == simdjson::SUCCESS) {
    number = whole;
  } else if (type == od::json_type::string && value.get_string().get(string) == simdjson::SUCCESS) {
    text = std::string(string);
  } else {
    problem(std::string("\"") + key + "\" must be an integer or a string");
  }
}

std::optional<std::variant<sdk::Polygon, sdk::Rle>> od_segmentation(od::value value) {
  od::json_type type;
  if (value.type().get(type) != simdjson::SUCCESS)
    problem("\"segmentation\" is unreadable");
  if (type == od::json_type::array) {
    std::vector<std::vector<double>> parts;
    for (auto part : value.get_array())
      parts.push_back(od_numbers(part.value(), "a polygon"));
    if (parts.empty())
      return std::nullopt;  // no segmentation: the bbox is the result
    return polygon_from(parts);
  }
  if (type != od::json_type::object)
    problem("\"segmentation\" is neither polygons nor RLE");
  std::vector<double> size;
  std::optional<std::string> compressed;
  std::optional<std::vector<double>> counts;
  for (auto field : value.get_object()) {
    const std::string_view key = field.unescaped_key();
    od::value inner = field.value();
    if (key == "size") {
      size = od_numbers(inner, "RLE \"size\"");
    } else if (key == "counts") {
      std::string_view text;
      if (inner.get_string().get(text) == simdjson::SUCCESS) {
        compressed = std::string(text);
      } else {
        counts = od_numbers(inner, "RLE \"counts\"");
      }
    }
  }
  return rle_from(size, compressed ? &*compressed : nullptr, counts ? &*counts : nullptr);
}

ResultFields od_fields(od::object result) {
  ResultFields fields;
  for (auto field : result) {
    const std::string_view key = field.unescaped_key();
    od::value value = field.value();
    if (key == "image_id") {
      od_id(value, "image_id", fields.image_number, fields.image_text);
    } else if (key == "category_id") {
      od_id(value, "category_id", fields.category_number, fields.category_text);
    } else if (key == "bbox") {
      fields.bbox = od_bbox(value);
    } else if (key == "segmentation") {
      fields.segmentation = od_segmentation(value);
    } else if (key == "score") {
      fields.score = od_number(value, "\"score\"");
    } else if (key == "frame") {
      std::int64_t frame = 0;
      if (value.get_int64().get(frame) != simdjson::SUCCESS)
        throw RecordProblem{"\"frame\" must be a whole number"};
      fields.frame = frame;
    }
  }
  return fields;
}

}  // namespace

ResultFields fields_from(dom::object result) {
  ResultFields fields;
  id_of(result, "image_id", fields.image_number, fields.image_text);
  id_of(result, "category_id", fields.category_number, fields.category_text);
  dom::element value;
  if (result["bbox"].get(value) == simdjson::SUCCESS)
    fields.bbox = parse_bbox(value);
  if (result["segmentation"].get(value) == simdjson::SUCCESS &&
      !(value.is_array() && value.get_array().size() == 0)) {
    fields.segmentation = parse_segmentation(value);
  }
  if (result["frame"].get(value) == simdjson::SUCCESS) {
    std::int64_t frame = 0;
    if (value.get_int64().get(frame) != simdjson::SUCCESS)
      throw RecordProblem{"\"frame\" must be a whole number"};
    fields.frame = frame;
  }
  double score = 0;
  std::int64_t whole = 0;
  if (result["score"].get_double().get(score) == simdjson::SUCCESS) {
    fields.score = score;
  } else if (result["score"].get_int64().get(whole) == simdjson::SUCCESS) {
    fields.score = static_cast<double>(whole);
  }
  return fields;
}

namespace {

using Take = std::function<void(std::size_t, const ResultFields*, const std::string*)>;

// A list this large starts with a separately indexed head: simdjson's first stage indexes the
// whole document before the first record can be read, which for a 45 MB file held the store's
// writer idle for a tenth of the import.
constexpr std::size_t kHeadBytes = 4 << 20;

// The offset of the comma that ends the first record of a top-level list ending at or past
// `at_least` bytes, or npos when there is none (a short list, or text that is no plain list).
std::size_t head_end(std::string_view text, std::size_t at_least) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      if (--depth <= 0)
        return std::string_view::npos;
    } else if (c == ',' && depth == 1 && i >= at_least) {
      return i;
    }
  }
  return std::string_view::npos;
}

// Turns a results list into calls of `take`, with one index across the head and the rest.
class ResultStream {
 public:
  ResultStream(simdjson::padded_string_view text, const Take& take) : text_(text), take_(take) {}

  // Streams every result of `text` from `first` on, `text` being the whole list or its head.
  void stream(simdjson::padded_string_view text, std::size_t first) {
    od::parser parser;
    stream(parser.iterate(text), first);
  }

  // Streams the results of an indexed `document` from `first` on; the earlier ones were taken.
  void stream(simdjson::simdjson_result<od::document> indexed, std::size_t first) {
    try {
      od::document document = std::move(indexed).value();
      std::size_t position = 0;
      for (auto element : document.get_array()) {
        if (element.error() != simdjson::SUCCESS)
          broken(element.error());
        if (position++ >= first)
          take_one(element.value_unsafe());
      }
    } catch (const simdjson::simdjson_error& error) {
      broken(error.error());
    }
  }

  // How many results were taken so far.
  std::size_t taken() const { return index_; }

 private:
  void take_one(od::value element) {
    od::json_type type;
    if (const auto error = element.type().get(type); error != simdjson::SUCCESS)
      broken(error);
    od::object result;
    if (type != od::json_type::object || element.get_object().get(result) != simdjson::SUCCESS) {
      const std::string message = "a result is not an object";
      take_(index_++, nullptr, &message);
      return;
    }
    try {
      const ResultFields fields = od_fields(result);
      take_(index_, &fields, nullptr);
    } catch (const RecordProblem& bad) {
      refuse_if_broken();
      take_(index_, nullptr, &bad.message);
    }
    ++index_;
  }

  // Ends the import at broken syntax met while reading the result at the current index.
  [[noreturn]] void broken(simdjson::error_code error) {
    refuse_if_broken();
    throw sdk::InputError("invalid JSON near result " + std::to_string(index_) + " (" +
                          simdjson::error_message(error) + ")");
  }

  // On-Demand parsing is lazy: broken syntax can first look like a value of the wrong type, and
  // broken syntax must end the whole import, not one record.
  void refuse_if_broken() {
    if (syntax_checked_)
      return;
    syntax_checked_ = true;
    dom::parser strict;
    dom::element ignored;
    const auto error = strict.parse(text_.data(), text_.size(), false).get(ignored);
    if (error != simdjson::SUCCESS) {
      throw sdk::InputError(std::string("invalid JSON (") + simdjson::error_message(error) + ")");
    }
  }

  simdjson::padded_string_view text_;
  const Take& take_;
  std::size_t index_ = 0;
  bool syntax_checked_ = false;
};

}  // namespace

void stream_results(simdjson::padded_string_view text, const Take& take) {
  ResultStream results(text, take);
  const std::size_t head =
      text.size() > 2 * kHeadBytes ? head_end(text, kHeadBytes) : std::string_view::npos;
  if (head == std::string_view::npos)
    return results.stream(text, 0);
  // The whole list is indexed on another thread while the head's records reach the store.
  od::parser whole_parser;
  auto whole = std::async(std::launch::async, [&] { return whole_parser.iterate(text); });
  simdjson::padded_string head_list(head + 1);
  std::copy_n(text.data(), head, head_list.data());
  head_list.data()[head] = ']';
  try {
    results.stream(head_list, 0);
  } catch (...) {
    whole.wait();
    throw;
  }
  results.stream(whole.get(), results.taken());
}

}  // namespace ea::coco
