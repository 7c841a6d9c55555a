// SPDX-License-Identifier: Apache-2.0
#include "mask_metadata.hpp"

#include <charconv>
#include <fstream>

#include <nlohmann/json.hpp>

#include "ea/sdk/error.hpp"

namespace ea::masks {

namespace {

using nlohmann::json;

json read_json(const std::string& file, const std::string& what) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw sdk::UsageError(what + " " + file + " cannot be read");
  try {
    json parsed = json::parse(in);
    if (!parsed.is_object())
      throw sdk::UsageError(what + " " + file + " is not a JSON object");
    return parsed;
  } catch (const json::exception& error) {
    throw sdk::UsageError(what + " " + file + " is not valid JSON (" + error.what() + ")");
  }
}

std::uint32_t pixel_value(const std::string& key, const std::string& file) {
  std::uint32_t value = 0;
  const auto [end, error] = std::from_chars(key.data(), key.data() + key.size(), value);
  if (error != std::errc{} || end != key.data() + key.size() || value == 0) {
    throw sdk::UsageError(file + ": \"" + key +
                          "\" is not a pixel value (a whole number from 1; 0 is background)");
  }
  return value;
}

std::optional<ClassRef> class_ref(const json& value) {
  if (value.is_string())
    return ClassRef(value.get<std::string>());
  if (value.is_number_integer())
    return ClassRef(value.get<std::int64_t>());
  return std::nullopt;
}

InstanceInfo instance_info(const json& value, const std::string& where) {
  InstanceInfo info;
  if (!value.is_object()) {
    info.class_ref = class_ref(value);
    if (!info.class_ref)
      throw sdk::UsageError(where + " is neither a class name nor a category id");
    return info;
  }
  for (const char* key : {"class", "category_id"}) {
    if (value.contains(key)) {
      info.class_ref = class_ref(value[key]);
      if (!info.class_ref)
        throw sdk::UsageError(where + ": \"" + key + "\" is neither a class name nor an id");
    }
  }
  if (value.contains("score")) {
    if (!value["score"].is_number())
      throw sdk::UsageError(where + ": \"score\" is not a number");
    info.score = value["score"].get<double>();
  }
  if (value.contains("iscrowd"))
    info.crowd = value["iscrowd"].is_number()
                     ? value["iscrowd"].get<double>() != 0
                     : value["iscrowd"].is_boolean() && value["iscrowd"].get<bool>();
  return info;
}

}  // namespace

std::string describe(const ClassRef& ref) {
  if (const auto* id = std::get_if<std::int64_t>(&ref))
    return "category " + std::to_string(*id);
  return "\"" + std::get<std::string>(ref) + "\"";
}

ClassMap read_class_map(const std::string& file) {
  ClassMap map;
  const json root = read_json(file, "--class-map");
  for (const auto& [key, value] : root.items()) {
    const std::optional<ClassRef> ref = class_ref(value);
    if (!ref)
      throw sdk::UsageError(file + ": pixel value " + key + " maps to neither a class nor an id");
    map.emplace(pixel_value(key, file), *ref);
  }
  return map;
}

InstanceTable read_instance_table(const std::string& file) {
  InstanceTable table;
  const json root = read_json(file, "--instances");
  for (const auto& [stem, instances] : root.items()) {
    if (!instances.is_object())
      throw sdk::UsageError(file + ": \"" + stem + "\" does not map instances to classes");
    auto& of_image = table[stem];
    for (const auto& [id, value] : instances.items())
      of_image.emplace(id, instance_info(value, file + ": \"" + stem + "\" → \"" + id + "\""));
  }
  return table;
}

ScoreTable read_score_table(const std::string& file) {
  ScoreTable table;
  const json root = read_json(file, "--scores");
  for (const auto& [stem, classes] : root.items()) {
    if (!classes.is_object())
      throw sdk::UsageError(file + ": \"" + stem + "\" does not map class values to scores");
    for (const auto& [key, scores] : classes.items()) {
      std::vector<double>& list = table[stem][pixel_value(key, file)];
      for (const json& score : scores) {
        if (!score.is_number())
          throw sdk::UsageError(file + ": \"" + stem + "\" → " + key + " holds a non-number");
        list.push_back(score.get<double>());
      }
    }
  }
  return table;
}

PanopticIndex read_panoptic_index(const std::string& file) {
  const json root = [&] {
    try {
      return read_json(file, "the panoptic JSON");
    } catch (const sdk::UsageError& error) {
      throw sdk::InputError(error.what());
    }
  }();
  PanopticIndex index;
  if (root.contains("categories") && root["categories"].is_array()) {
    for (const json& category : root["categories"]) {
      if (category.contains("id") && category["id"].is_number_integer() &&
          category.contains("name") && category["name"].is_string())
        index.categories.emplace(category["id"].get<std::int64_t>(),
                                 category["name"].get<std::string>());
    }
  }
  if (!root.contains("annotations") || !root["annotations"].is_array())
    throw sdk::InputError(file + " has no \"annotations\" list, so it is not a COCO panoptic JSON");
  std::size_t position = 0;
  for (const json& annotation : root["annotations"]) {
    const std::string where = file + ", annotations[" + std::to_string(position++) + "]";
    if (!annotation.is_object() || !annotation.contains("file_name") ||
        !annotation["file_name"].is_string() || !annotation.contains("segments_info") ||
        !annotation["segments_info"].is_array())
      throw sdk::InputError(where + " lacks \"file_name\" or \"segments_info\"");
    PanopticImage image;
    image.file_name = annotation["file_name"].get<std::string>();
    if (annotation.contains("image_id"))
      image.image_id = annotation["image_id"].is_string()
                           ? annotation["image_id"].get<std::string>()
                           : annotation["image_id"].dump();
    for (const json& segment : annotation["segments_info"]) {
      if (!segment.is_object() || !segment.contains("id") || !segment["id"].is_number_unsigned())
        throw sdk::InputError(where + " has a segment without a numeric \"id\"");
      try {
        image.segments.emplace(segment["id"].get<std::uint32_t>(),
                               instance_info(segment, where + ", segment " + segment["id"].dump()));
      } catch (const sdk::UsageError& error) {
        throw sdk::InputError(error.what());
      }
    }
    index.images.push_back(std::move(image));
  }
  return index;
}

}  // namespace ea::masks
