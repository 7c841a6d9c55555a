// SPDX-License-Identifier: Apache-2.0
#include "coco_results.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <unordered_map>

#include "coco_json.hpp"
#include "coco_result_fields.hpp"
#include "ea/sdk/error.hpp"
#include "ea/sdk/mapped_file.hpp"
#include "ea/sdk/rle.hpp"

namespace ea::coco {

namespace dom = simdjson::dom;

namespace {

using Location = sdk::RecordLocation;

// What a result's image id names: a data unit, and the frame when the id names one frame.
struct ImageTarget {
  const sdk::DataUnit* unit = nullptr;
  std::optional<std::int64_t> frame;
};

// How result ids find the project's data units and classes.
class IdMaps {
 public:
  // `root` is the dataset dict, when the results come as one (for the title and name maps).
  IdMaps(const dom::element* root, const sdk::OptionValues& options,
         const sdk::ProjectView& project)
      : project_(project) {
    // The companion ground truth, when given, lends its images and categories lists.
    if (const auto gt = options.text("gt")) {
      if (companion_parser_.load(*gt).get(companion_) != simdjson::SUCCESS) {
        throw sdk::UsageError("--gt " + *gt + " is not a readable COCO JSON file");
      }
      root = &companion_;
    }
    if (const auto mode = options.text("image-map"))
      load(*mode, root, "images", "file_name", images_);
    if (const auto mode = options.text("category-map"))
      load(*mode, root, "categories", "name", categories_);
  }

  // Results repeat the same few thousand ids: each is resolved once; integer ids (the usual
  // case) are cached without building a string.
  const ImageTarget& image(const ResultFields& fields) {
    return lookup(fields.image_number, fields.image_text, "image_id", image_numbers_, image_texts_,
                  [this](const std::string& id) { return resolve_image(id); });
  }

  const sdk::OntologyObject* category(const ResultFields& fields) {
    return lookup(fields.category_number, fields.category_text, "category_id", category_numbers_,
                  category_texts_, [this](const std::string& id) { return resolve_category(id); });
  }

 private:
  template <class Target, class Resolve>
  static const Target& lookup(const std::optional<std::int64_t>& number,
                              const std::optional<std::string>& text, const char* field,
                              std::unordered_map<std::int64_t, Target>& numbers,
                              std::unordered_map<std::string, Target>& texts,
                              const Resolve& resolve) {
    if (number) {
      const auto cached = numbers.find(*number);
      if (cached != numbers.end())
        return cached->second;
      return numbers.emplace(*number, resolve(std::to_string(*number))).first->second;
    }
    if (!text)
      throw RecordProblem{std::string("a result needs \"") + field + "\""};
    const auto cached = texts.find(*text);
    if (cached != texts.end())
      return cached->second;
    return texts.emplace(*text, resolve(*text)).first->second;
  }

  ImageTarget resolve_image(const std::string& id) const {
    if (!images_.empty()) {
      const auto found = images_.find(id);
      if (found == images_.end())
        return {};
      if (const auto* unit = project_.find_data_unit(found->second))
        return {unit, std::nullopt};
      const auto titled = project_.find_data_units_by_title(found->second);
      return {titled.size() == 1 ? titled.front() : nullptr, std::nullopt};
    }
    return {project_.find_data_unit(project_.find_external_id("coco.image", id)),
            project_.find_external_frame("coco.image", id)};
  }

  const sdk::OntologyObject* resolve_category(const std::string& id) const {
    if (!categories_.empty()) {
      const auto found = categories_.find(id);
      if (found == categories_.end())
        return nullptr;
      if (const auto* object = project_.find_object(found->second))
        return object;
      for (const auto& object : project_.objects()) {
        if (object.name == found->second)
          return &object;
      }
      return nullptr;
    }
    return project_.find_object(project_.find_external_id("coco.category", id));
  }

  // "title"/"name": the dataset dict's own list; anything else: a JSON file {id: title|hash}.
  void load(const std::string& mode, const dom::element* root, const char* list, const char* field,
            std::map<std::string, std::string>& map) {
    if (mode == "title" || mode == "name") {
      dom::array entries;
      if (root == nullptr || !root->is_object() ||
          (*root)[list].get_array().get(entries) != simdjson::SUCCESS) {
        throw sdk::UsageError(std::string("--") + (mode == "title" ? "image" : "category") +
                              "-map " + mode + " needs the \"" + list +
                              "\" list of a COCO dataset: give the ground truth with --gt FILE");
      }
      for (dom::element entry : entries) {
        dom::object object;
        std::string_view value;
        if (entry.get_object().get(object) != simdjson::SUCCESS)
          continue;
        const auto id = id_field(object, "id");
        if (id && object[field].get_string().get(value) == simdjson::SUCCESS)
          map[*id] = value;
      }
      return;
    }
    dom::parser parser;
    dom::object file;
    if (parser.load(mode).get_object().get(file) != simdjson::SUCCESS) {
      throw sdk::UsageError("the map file " + mode + " is not a JSON object {id: title or hash}");
    }
    for (auto [key, value] : file) {
      std::string_view target;
      if (value.get_string().get(target) != simdjson::SUCCESS) {
        throw sdk::UsageError("the map file " + mode + " maps \"" + std::string(key) +
                              "\" to something that is not a string");
      }
      map[std::string(key)] = target;
    }
  }

  const sdk::ProjectView& project_;
  dom::parser companion_parser_;
  dom::element companion_;
  std::map<std::string, std::string> images_;
  std::map<std::string, std::string> categories_;
  std::unordered_map<std::int64_t, ImageTarget> image_numbers_;
  std::unordered_map<std::string, ImageTarget> image_texts_;
  std::unordered_map<std::int64_t, const sdk::OntologyObject*> category_numbers_;
  std::unordered_map<std::string, const sdk::OntologyObject*> category_texts_;
};

dom::array result_list(dom::element root) {
  dom::array results;
  if (root.get_array().get(results) == simdjson::SUCCESS)
    return results;
  if (root.is_object() && root["annotations"].get_array().get(results) == simdjson::SUCCESS) {
    return results;
  }
  throw sdk::InputError(
      "this is not COCO results: expected a list of {\"image_id\", \"category_id\", \"bbox\" or "
      "\"segmentation\", \"score\"}, or a dataset whose \"annotations\" carry \"score\"");
}

// Fills `prediction` from one result; returns the largest box coordinate seen, for the check
// that the file is in pixels.
double fill_prediction(const ResultFields& fields, IdMaps& maps, const sdk::ProjectView& project,
                       sdk::Prediction& prediction) {
  const ImageTarget& image = maps.image(fields);
  const sdk::DataUnit* unit = image.unit;
  if (unit == nullptr) {
    throw RecordProblem{"unknown image id " + (fields.image_number
                                                   ? std::to_string(*fields.image_number)
                                                   : fields.image_text.value_or("?"))};
  }
  const sdk::OntologyObject* object = maps.category(fields);
  if (object == nullptr) {
    throw RecordProblem{"unknown category id " + (fields.category_number
                                                      ? std::to_string(*fields.category_number)
                                                      : fields.category_text.value_or("?"))};
  }
  if (!fields.score)
    throw RecordProblem{"a result needs a numeric \"score\""};
  prediction.data_hash = unit->data_hash;
  prediction.unit_index = static_cast<std::size_t>(unit - project.data_units().data());
  if (image.frame && fields.frame && *fields.frame != *image.frame) {
    throw RecordProblem{"the result says frame " + std::to_string(*fields.frame) +
                        " on an image id that names frame " + std::to_string(*image.frame)};
  }
  // A video's frame comes from the image id or the result's "frame"; the host refuses a result
  // on a video with neither.
  prediction.frame = image.frame ? image.frame : fields.frame;
  if (!prediction.frame && unit->kind == sdk::MediaKind::image)
    prediction.frame = 0;
  prediction.confidence = *fields.score;

  sdk::ObjectDetection detection;
  detection.feature_hash = object->feature_hash;
  detection.units = sdk::Units::pixels;
  double largest = 0;
  if (fields.bbox) {
    largest = std::max({fields.bbox->x, fields.bbox->y, fields.bbox->w, fields.bbox->h});
  }
  if (fields.segmentation) {
    if (const auto* polygon = std::get_if<sdk::Polygon>(&*fields.segmentation)) {
      // One mask for all parts, merged as pycocotools' annToRLE merges them.
      std::vector<sdk::Rle> parts;
      for (const sdk::Ring& ring : polygon->rings) {
        std::vector<double> xy;
        for (const sdk::Point& point : ring) {
          xy.push_back(point.x);
          xy.push_back(point.y);
        }
        parts.push_back(sdk::rle_from_polygon(xy, unit->height, unit->width));
      }
      if (parts.empty())
        throw RecordProblem{"the \"segmentation\" is empty"};
      detection.geometry = sdk::rle_merge(parts);
    } else {
      detection.geometry = std::get<sdk::Rle>(*fields.segmentation);
    }
    detection.box = fields.bbox;
  } else if (fields.bbox) {
    detection.geometry = *fields.bbox;
  } else {
    throw RecordProblem{"a result needs a \"bbox\" or a \"segmentation\""};
  }
  prediction.content = std::move(detection);
  return largest;
}

}  // namespace

void read_results(const std::filesystem::path& file, const sdk::OptionValues& options,
                  const sdk::ProjectView& project, sdk::RecordSink& sink) {
  const sdk::MappedFile mapped(file, simdjson::SIMDJSON_PADDING);
  const simdjson::padded_string_view text(mapped.bytes().data(), mapped.bytes().size(),
                                          mapped.capacity());
  sdk::Prediction prediction;  // reused: its strings keep their capacity
  double largest = 0;
  bool any_box = false;
  const auto take = [&](IdMaps& maps, std::size_t index, const ResultFields* fields,
                        const std::string* problem) {
    const Location where{Location::Kind::index, index};
    if (problem != nullptr)
      return sink.reject(where, *problem);
    try {
      largest = std::max(largest, fill_prediction(*fields, maps, project, prediction));
      any_box = any_box || fields->bbox.has_value();
      sink.add(prediction, where);
    } catch (const RecordProblem& bad) {
      sink.reject(where, bad.message);
    }
  };

  const auto first = std::string_view(text.data(), text.size()).find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text.data()[first] == '[') {
    // A plain list streams: records reach the store while the rest is still being parsed.
    IdMaps maps(nullptr, options, project);
    stream_results(text, [&](std::size_t index, const ResultFields* fields,
                             const std::string* problem) { take(maps, index, fields, problem); });
  } else {
    dom::parser parser;
    dom::element root;
    if (const auto error = parser.parse(text.data(), text.size(), false).get(root);
        error != simdjson::SUCCESS) {
      throw sdk::InputError(std::string("invalid JSON (") + simdjson::error_message(error) + ")");
    }
    IdMaps maps(&root, options, project);
    std::size_t index = 0;
    for (dom::element element : result_list(root)) {
      dom::object result;
      std::optional<ResultFields> fields;
      std::optional<std::string> problem;
      try {
        if (element.get_object().get(result) != simdjson::SUCCESS)
          throw RecordProblem{"a result is not an object"};
        fields = fields_from(result);
      } catch (const RecordProblem& bad) {
        problem = bad.message;
      }
      take(maps, index++, fields ? &*fields : nullptr, problem ? &*problem : nullptr);
    }
  }
  // Checked at the end, while the transaction can still be rolled back.
  if (any_box && largest <= 1.0) {
    throw sdk::InputError(
        "every coordinate in the file is at most 1.0 while the images are larger: COCO results "
        "use absolute pixels, not coordinates relative to the image size");
  }
}

}  // namespace ea::coco
