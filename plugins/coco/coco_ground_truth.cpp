// SPDX-License-Identifier: Apache-2.0
#include "coco_ground_truth.hpp"

#include <charconv>
#include <map>
#include <optional>
#include <string>

#include "coco_json.hpp"
#include "ea/sdk/error.hpp"

namespace ea::coco {

namespace dom = simdjson::dom;

namespace {

using Location = sdk::RecordLocation;

Location at(std::size_t index) {
  return {Location::Kind::index, index};
}

dom::array list(dom::element root, const char* key) {
  dom::array values;
  if (root[key].get_array().get(values) != simdjson::SUCCESS) {
    throw sdk::InputError(std::string("a COCO instances file needs a \"") + key + "\" list");
  }
  return values;
}

std::string required_text(dom::object object, const char* key, const std::string& what) {
  std::string_view value;
  if (object[key].get_string().get(value) != simdjson::SUCCESS || value.empty()) {
    throw RecordProblem{what + " needs a \"" + key + "\" string"};
  }
  return std::string(value);
}

std::uint32_t required_size(dom::object object, const char* key, const std::string& what) {
  std::uint64_t value = 0;
  if (object[key].get_uint64().get(value) != simdjson::SUCCESS || value == 0 || value > 1'000'000) {
    throw RecordProblem{what + " needs a positive whole \"" + key + "\""};
  }
  return static_cast<std::uint32_t>(value);
}

struct Image {
  std::string data_hash;
  std::size_t index;
  std::optional<std::int64_t> frame;  // the video frame the image is, if it is one
  bool video = false;                 // the image is a whole video: annotations give "frame"
};

// The video frame a file name "<video title>__<frame>[.ext]" names, when `project` has that video
// and that frame (Encord Active's convention for frames written out as images).
std::optional<std::pair<const sdk::DataUnit*, std::int64_t>> video_frame(
    std::string_view file_name, const sdk::ProjectView& project) {
  const std::size_t separator = file_name.rfind("__");
  if (separator == std::string_view::npos)
    return std::nullopt;
  std::string_view number = file_name.substr(separator + 2);
  number = number.substr(0, number.find('.'));
  std::int64_t frame = 0;
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), frame);
  if (error != std::errc{} || end != number.data() + number.size() || number.empty())
    return std::nullopt;
  for (const sdk::DataUnit* unit :
       project.find_data_units_by_title(file_name.substr(0, separator))) {
    if (unit->kind == sdk::MediaKind::video && frame < static_cast<std::int64_t>(unit->frame_count))
      return std::pair{unit, frame};
  }
  return std::nullopt;
}

struct Category {
  std::string feature_hash;
  std::size_t index;
};

void read_images(dom::array images, const sdk::ProjectView& project, sdk::RecordSink& sink,
                 std::map<std::string, Image>& by_id) {
  std::size_t index = 0;
  for (dom::element element : images) {
    const Location where = at(index);
    try {
      dom::object image;
      if (element.get_object().get(image) != simdjson::SUCCESS)
        throw RecordProblem{"an image is not an object"};
      const auto id = id_field(image, "id");
      if (!id)
        throw RecordProblem{"an image needs an \"id\""};
      sdk::DataUnit unit;
      unit.title = required_text(image, "file_name", "image " + *id);
      unit.width = required_size(image, "width", "image " + *id);
      unit.height = required_size(image, "height", "image " + *id);
      unit.data_hash = sdk::derived_data_hash(unit.title);
      if (const auto earlier = by_id.find(*id); earlier != by_id.end()) {
        throw sdk::InputError("images[" + std::to_string(index) + "] repeats the image id " + *id +
                              " of images[" + std::to_string(earlier->second.index) + "]");
      }
      if (const auto frame = video_frame(unit.title, project)) {
        const auto& [video, number] = *frame;
        by_id.emplace(*id, Image{video->data_hash, index, number});
        sink.add(sdk::ExternalId{"coco.image", *id, sdk::ExternalTarget::data_unit,
                                 video->data_hash, number},
                 where);
        ++index;
        continue;
      }
      const auto existing = project.find_data_units_by_title(unit.title);
      const bool video = existing.size() == 1 && existing.front()->kind == sdk::MediaKind::video;
      if (video)
        unit = *existing.front();  // the project's video: its frames are the annotations' "frame"
      by_id.emplace(*id, Image{unit.data_hash, index, std::nullopt, video});
      if (!video)
        sink.add(unit, where);
      sink.add(sdk::ExternalId{"coco.image", *id, sdk::ExternalTarget::data_unit, unit.data_hash,
                               std::nullopt},
               where);
    } catch (const RecordProblem& bad) {
      sink.reject(where, "images[" + std::to_string(index) + "]: " + bad.message);
    }
    ++index;
  }
}

void read_categories(dom::array categories, sdk::RecordSink& sink,
                     std::map<std::string, Category>& by_id) {
  std::size_t index = 0;
  std::map<std::string, std::size_t> names;
  for (dom::element element : categories) {
    const Location where = at(index);
    try {
      dom::object category;
      if (element.get_object().get(category) != simdjson::SUCCESS)
        throw RecordProblem{"a category is not an object"};
      const auto id = id_field(category, "id");
      if (!id)
        throw RecordProblem{"a category needs an \"id\""};
      sdk::OntologyObject object;
      object.name = required_text(category, "name", "category " + *id);
      object.shape = sdk::Shape::polygon;  // COCO instances: boxes, polygons and masks alike
      std::string_view supercategory;
      if (category["supercategory"].get_string().get(supercategory) == simdjson::SUCCESS) {
        object.supercategory = std::string(supercategory);
      }
      object.feature_hash = sdk::derived_hash("object", object.name, "polygon");
      if (const auto earlier = by_id.find(*id); earlier != by_id.end()) {
        throw sdk::InputError("categories[" + std::to_string(index) + "] repeats the category id " +
                              *id + " of categories[" + std::to_string(earlier->second.index) +
                              "]");
      }
      if (const auto earlier = names.find(object.name); earlier != names.end()) {
        throw sdk::InputError("categories[" + std::to_string(index) + "] repeats the name \"" +
                              object.name + "\" of categories[" + std::to_string(earlier->second) +
                              "]");
      }
      names.emplace(object.name, index);
      by_id.emplace(*id, Category{object.feature_hash, index});
      sink.add(object, where);
      sink.add(sdk::ExternalId{"coco.category", *id, sdk::ExternalTarget::ontology_object,
                               object.feature_hash, std::nullopt},
               where);
    } catch (const RecordProblem& bad) {
      sink.reject(where, "categories[" + std::to_string(index) + "]: " + bad.message);
    }
    ++index;
  }
}

sdk::Label label_from(dom::object annotation, const std::map<std::string, Image>& images,
                      const std::map<std::string, Category>& categories, const std::string& id) {
  const auto image_id = id_field(annotation, "image_id");
  if (!image_id)
    throw RecordProblem{"annotation " + id + " has no \"image_id\""};
  const auto image = images.find(*image_id);
  if (image == images.end()) {
    throw RecordProblem{"annotation " + id + " refers to image id " + *image_id +
                        ", which is not in \"images\""};
  }
  const auto category_id = id_field(annotation, "category_id");
  if (!category_id)
    throw RecordProblem{"annotation " + id + " has no \"category_id\""};
  const auto category = categories.find(*category_id);
  if (category == categories.end()) {
    throw RecordProblem{"annotation " + id + " refers to category id " + *category_id +
                        ", which is not in \"categories\""};
  }
  sdk::Label label;
  label.data_hash = image->second.data_hash;
  label.frame = image->second.frame.value_or(0);
  if (std::int64_t frame = 0; annotation["frame"].get_int64().get(frame) == simdjson::SUCCESS) {
    if (image->second.frame && frame != *image->second.frame) {
      throw RecordProblem{"annotation " + id + " says frame " + std::to_string(frame) +
                          " on image " + *image_id + ", which is frame " +
                          std::to_string(*image->second.frame)};
    }
    label.frame = frame;
  } else if (image->second.video) {
    label.frame.reset();  // the host says that a label on a video needs its frame
  }
  sdk::ObjectDetection object;
  object.feature_hash = category->second.feature_hash;
  object.units = sdk::Units::pixels;
  dom::element bbox;
  const bool has_bbox = annotation["bbox"].get(bbox) == simdjson::SUCCESS;
  dom::element segmentation;
  const bool has_segmentation = annotation["segmentation"].get(segmentation) == simdjson::SUCCESS &&
                                !(segmentation.is_array() && segmentation.get_array().size() == 0);
  if (has_segmentation) {
    std::visit([&object](auto&& geometry) { object.geometry = std::move(geometry); },
               parse_segmentation(segmentation));
    if (has_bbox)
      object.box = parse_bbox(bbox);
  } else if (has_bbox) {
    object.geometry = parse_bbox(bbox);
  } else {
    throw RecordProblem{"annotation " + id + " has neither \"bbox\" nor \"segmentation\""};
  }
  label.content = std::move(object);
  double area = 0;
  if (annotation["area"].get_double().get(area) == simdjson::SUCCESS) {
    label.area = area;
  } else if (std::int64_t whole = 0;
             annotation["area"].get_int64().get(whole) == simdjson::SUCCESS) {
    label.area = static_cast<double>(whole);
  }
  std::int64_t flag = 0;
  if (annotation["iscrowd"].get_int64().get(flag) == simdjson::SUCCESS)
    label.is_crowd = flag != 0;
  bool crowd_bool = false;
  if (annotation["iscrowd"].get_bool().get(crowd_bool) == simdjson::SUCCESS)
    label.is_crowd = crowd_bool;
  if (annotation["ignore"].get_int64().get(flag) == simdjson::SUCCESS)
    label.ignore = flag != 0;
  if (std::int64_t number = 0; annotation["id"].get_int64().get(number) == simdjson::SUCCESS) {
    label.source_id = number;
  }
  return label;
}

void read_annotations(dom::array annotations, const std::map<std::string, Image>& images,
                      const std::map<std::string, Category>& categories, sdk::RecordSink& sink) {
  std::map<std::string, std::size_t> seen;
  std::size_t index = 0;
  for (dom::element element : annotations) {
    const Location where = at(index);
    try {
      dom::object annotation;
      if (element.get_object().get(annotation) != simdjson::SUCCESS)
        throw RecordProblem{"an annotation is not an object"};
      const auto id = id_field(annotation, "id");
      if (!id)
        throw RecordProblem{"an annotation needs an \"id\""};
      if (const auto earlier = seen.find(*id); earlier != seen.end()) {
        throw sdk::InputError("annotations[" + std::to_string(index) +
                              "] repeats the annotation id " + *id + " of annotations[" +
                              std::to_string(earlier->second) + "]");
      }
      seen.emplace(*id, index);
      sink.add(label_from(annotation, images, categories, *id), where);
    } catch (const RecordProblem& bad) {
      sink.reject(where, "annotations[" + std::to_string(index) + "]: " + bad.message);
    }
    ++index;
  }
}

}  // namespace

void read_ground_truth(dom::element root, const sdk::ProjectView& project, sdk::RecordSink& sink) {
  if (!root.is_object())
    throw sdk::InputError("a COCO instances file is a JSON object");
  std::map<std::string, Image> images;
  std::map<std::string, Category> categories;
  read_images(list(root, "images"), project, sink, images);
  read_categories(list(root, "categories"), sink, categories);
  read_annotations(list(root, "annotations"), images, categories, sink);
}

}  // namespace ea::coco
