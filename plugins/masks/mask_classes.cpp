// SPDX-License-Identifier: Apache-2.0
#include "mask_classes.hpp"

#include <algorithm>
#include <cctype>

namespace ea::masks {

namespace {

std::string lower(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return result;
}

}  // namespace

ClassResolver::ClassResolver(const sdk::ProjectView& project, sdk::RecordSink* sink,
                             std::map<std::int64_t, std::string> category_names)
    : project_(project), sink_(sink), category_names_(std::move(category_names)) {
  for (const sdk::OntologyObject& object : project.objects())
    by_name_.emplace(lower(object.name), object.feature_hash);
}

std::string ClassResolver::find(const ClassRef& ref) {
  std::string name;
  if (const auto* id = std::get_if<std::int64_t>(&ref)) {
    const std::string text = std::to_string(*id);
    if (const std::string_view hash = project_.find_external_id("coco.category", text);
        !hash.empty())
      return std::string(hash);
    const auto named = category_names_.find(*id);
    if (named == category_names_.end())
      return {};
    name = named->second;
  } else {
    name = std::get<std::string>(ref);
    if (project_.find_object(name) != nullptr)
      return name;
  }
  if (const auto found = by_name_.find(lower(name)); found != by_name_.end())
    return found->second;
  if (sink_ == nullptr)
    return {};
  sdk::OntologyObject object;
  object.name = name;
  object.shape = sdk::Shape::bitmask;
  object.feature_hash = sdk::derived_hash("object", name, "bitmask");
  sink_->add(object, sdk::RecordLocation{});
  by_name_.emplace(lower(name), object.feature_hash);
  return object.feature_hash;
}

ClassMap ClassResolver::default_class_map() const {
  ClassMap map;
  std::uint32_t value = 0;
  for (const sdk::OntologyObject& object : project_.objects()) {
    if (object.shape == sdk::Shape::polygon || object.shape == sdk::Shape::bitmask)
      map.emplace(++value, ClassRef(object.feature_hash));
  }
  return map;
}

}  // namespace ea::masks
