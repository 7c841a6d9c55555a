// SPDX-License-Identifier: Apache-2.0
#include "coco_results.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <unordered_map>

#include "coco_json.hpp"
#include "ea/sdk/error.hpp"
#include "ea/sdk/rle.hpp"

namespace ea::coco {

namespace dom = simdjson::dom;

namespace {

using Location = sdk::RecordLocation;

// How result ids find the project's data units and classes.
class IdMaps {
 public:
  IdMaps(dom::element root, const sdk::OptionValues& options, const sdk::ProjectView& project)
      : project_(project) {
    if (const auto mode = options.text("image-map"))
      load(*mode, root, "images", "file_name", images_);
    if (const auto mode = options.text("category-map"))
      load(*mode, root, "categories", "name", categories_);
  }

  // Results repeat the same few thousand ids: each is resolved once; integer ids (the usual
  // case) are cached without building a string.
  const sdk::DataUnit* image(dom::object result) {
    std::int64_t number = 0;
    if (result["image_id"].get_int64().get(number) == simdjson::SUCCESS) {
      const auto cached = image_numbers_.find(number);
      if (cached != image_numbers_.end())
        return cached->second;
      return image_numbers_.emplace(number, resolve_image(std::to_string(number))).first->second;
    }
    const auto id = id_field(result, "image_id");
    if (!id)
      throw RecordProblem{"a result needs an \"image_id\""};
    const sdk::DataUnit* unit = image(*id);
    if (unit == nullptr)
      throw RecordProblem{"unknown image id " + *id};
    return unit;
  }

  const sdk::OntologyObject* category(dom::object result) {
    std::int64_t number = 0;
    if (result["category_id"].get_int64().get(number) == simdjson::SUCCESS) {
      const auto cached = category_numbers_.find(number);
      if (cached != category_numbers_.end())
        return cached->second;
      return category_numbers_.emplace(number, resolve_category(std::to_string(number)))
          .first->second;
    }
    const auto id = id_field(result, "category_id");
    if (!id)
      throw RecordProblem{"a result needs a \"category_id\""};
    const sdk::OntologyObject* object = category(*id);
    if (object == nullptr)
      throw RecordProblem{"unknown category id " + *id};
    return object;
  }

  const sdk::DataUnit* image(const std::string& id) {
    const auto cached = image_cache_.find(id);
    if (cached != image_cache_.end())
      return cached->second;
    return image_cache_.emplace(id, resolve_image(id)).first->second;
  }

  const sdk::OntologyObject* category(const std::string& id) {
    const auto cached = category_cache_.find(id);
    if (cached != category_cache_.end())
      return cached->second;
    return category_cache_.emplace(id, resolve_category(id)).first->second;
  }

 private:
  const sdk::DataUnit* resolve_image(const std::string& id) const {
    if (!images_.empty()) {
      const auto found = images_.find(id);
      if (found == images_.end())
        return nullptr;
      if (const auto* unit = project_.find_data_unit(found->second))
        return unit;
      const auto titled = project_.find_data_units_by_title(found->second);
      return titled.size() == 1 ? titled.front() : nullptr;
    }
    return project_.find_data_unit(project_.find_external_id("coco.image", id));
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
  void load(const std::string& mode, dom::element root, const char* list, const char* field,
            std::map<std::string, std::string>& map) {
    if (mode == "title" || mode == "name") {
      dom::array entries;
      if (!root.is_object() || root[list].get_array().get(entries) != simdjson::SUCCESS) {
        throw sdk::UsageError(std::string("--") + (mode == "title" ? "image" : "category") +
                              "-map " + mode + " needs a COCO dataset file with its \"" + list +
                              "\" list");
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
  std::map<std::string, std::string> images_;
  std::map<std::string, std::string> categories_;
  std::unordered_map<std::string, const sdk::DataUnit*> image_cache_;
  std::unordered_map<std::int64_t, const sdk::DataUnit*> image_numbers_;
  std::unordered_map<std::int64_t, const sdk::OntologyObject*> category_numbers_;
  std::unordered_map<std::string, const sdk::OntologyObject*> category_cache_;
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

// COCO results are in absolute pixels; a file whose every coordinate is ≤ 1 was written relative.
void refuse_relative(dom::array results) {
  bool any = false;
  for (dom::element element : results) {
    dom::array bbox;
    if (element["bbox"].get_array().get(bbox) != simdjson::SUCCESS)
      continue;
    for (dom::element value : bbox) {
      double coordinate = 0;
      if (value.get_double().get(coordinate) == simdjson::SUCCESS && coordinate > 1.0)
        return;
      any = true;
    }
  }
  if (any) {
    throw sdk::InputError(
        "every coordinate in the file is at most 1.0 while the images are larger: COCO results "
        "use absolute pixels, not coordinates relative to the image size");
  }
}

void fill_prediction(dom::object result, IdMaps& maps, sdk::Prediction& prediction) {
  const auto image_id = id_field(result, "image_id");
  if (!image_id)
    throw RecordProblem{"a result needs an \"image_id\""};
  const sdk::DataUnit* unit = maps.image(*image_id);
  if (unit == nullptr)
    throw RecordProblem{"unknown image id " + *image_id};
  const auto category_id = id_field(result, "category_id");
  if (!category_id)
    throw RecordProblem{"a result needs a \"category_id\""};
  const sdk::OntologyObject* object = maps.category(*category_id);
  if (object == nullptr)
    throw RecordProblem{"unknown category id " + *category_id};

  prediction.data_hash = unit->data_hash;
  prediction.frame = 0;
  double score = 0;
  if (result["score"].get_double().get(score) != simdjson::SUCCESS) {
    std::int64_t whole = 0;
    if (result["score"].get_int64().get(whole) != simdjson::SUCCESS) {
      throw RecordProblem{"a result needs a numeric \"score\""};
    }
    score = static_cast<double>(whole);
  }
  prediction.confidence = score;

  sdk::ObjectDetection detection;
  detection.feature_hash = object->feature_hash;
  detection.units = sdk::Units::pixels;
  dom::element bbox, segmentation;
  const bool has_bbox = result["bbox"].get(bbox) == simdjson::SUCCESS;
  const bool has_segmentation = result["segmentation"].get(segmentation) == simdjson::SUCCESS &&
                                !(segmentation.is_array() && segmentation.get_array().size() == 0);
  if (has_segmentation) {
    auto geometry = parse_segmentation(segmentation);
    if (auto* polygon = std::get_if<sdk::Polygon>(&geometry)) {
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
      detection.geometry = std::move(std::get<sdk::Rle>(geometry));
    }
    if (has_bbox)
      detection.box = parse_bbox(bbox);
  } else if (has_bbox) {
    detection.geometry = parse_bbox(bbox);
  } else {
    throw RecordProblem{"a result needs a \"bbox\" or a \"segmentation\""};
  }
  prediction.content = std::move(detection);
}

}  // namespace

void read_results(dom::element root, const sdk::OptionValues& options,
                  const sdk::ProjectView& project, sdk::RecordSink& sink) {
  const dom::array results = result_list(root);
  refuse_relative(results);
  IdMaps maps(root, options, project);
  sdk::Prediction prediction;  // reused: its strings keep their capacity
  std::size_t index = 0;
  for (dom::element element : results) {
    const Location where{Location::Kind::index, index++};
    try {
      dom::object result;
      if (element.get_object().get(result) != simdjson::SUCCESS)
        throw RecordProblem{"a result is not an object"};
      fill_prediction(result, maps, prediction);
      sink.add(prediction, where);
    } catch (const RecordProblem& bad) {
      sink.reject(where, bad.message);
    }
  }
}

}  // namespace ea::coco
