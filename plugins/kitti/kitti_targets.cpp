// SPDX-License-Identifier: Apache-2.0
#include "kitti_targets.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>

#include <nlohmann/json.hpp>

#include "ea/sdk/error.hpp"

namespace ea::kitti {

namespace {

nlohmann::json read_map(const std::string& file, const char* option) {
  try {
    std::ifstream in(file);
    if (!in)
      throw sdk::UsageError(std::string("--") + option + " " + file + " cannot be read");
    auto json = nlohmann::json::parse(in);
    if (!json.is_object())
      throw sdk::UsageError(std::string("--") + option + " " + file + " is not a JSON object");
    return json;
  } catch (const nlohmann::json::exception&) {
    throw sdk::UsageError(std::string("--") + option + " " + file + " is not valid JSON");
  }
}

}  // namespace

std::string lowercase(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

sdk::FileTargets file_targets(const sdk::ProjectView& project,
                              const std::optional<std::string>& file_map) {
  sdk::FileTargets targets(project);
  if (!file_map)
    return targets;
  const nlohmann::json map = read_map(*file_map, "file-map");
  for (const auto& [file, target] : map.items()) {
    sdk::FileTarget mapped;
    if (target.is_string()) {
      mapped.data_hash = target.get<std::string>();
    } else if (target.is_object() && target.contains("data_hash") &&
               target["data_hash"].is_string()) {
      mapped.data_hash = target["data_hash"].get<std::string>();
      if (target.contains("frame") && target["frame"].is_number_integer())
        mapped.frame = target["frame"].get<std::int64_t>();
    } else {
      throw sdk::UsageError("--file-map maps \"" + file +
                            "\" to neither a data_hash nor {\"data_hash\", \"frame\"}");
    }
    targets.map(file, std::move(mapped));
  }
  return targets;
}

ClassNames::ClassNames(const sdk::ProjectView& project,
                       const std::optional<std::string>& class_map) {
  for (const sdk::OntologyObject& object : project.objects())
    by_name_.emplace(lowercase(object.name), object.feature_hash);
  if (!class_map)
    return;
  const nlohmann::json map = read_map(*class_map, "class-map");
  for (const auto& [type, target] : map.items()) {
    if (!target.is_string())
      throw sdk::UsageError("--class-map maps \"" + type + "\" to something that is not a name");
    renames_.emplace(lowercase(type), target.get<std::string>());
  }
}

std::string ClassNames::find(std::string_view type) const {
  std::string key = lowercase(type);
  if (const auto renamed = renames_.find(key); renamed != renames_.end()) {
    key = lowercase(renamed->second);
    for (const auto& [name, hash] : by_name_) {
      if (hash == renamed->second)
        return hash;
    }
  }
  const auto found = by_name_.find(key);
  return found == by_name_.end() ? std::string() : found->second;
}

void ClassNames::add(const std::string& name, const std::string& feature_hash) {
  by_name_.emplace(lowercase(name), feature_hash);
}

}  // namespace ea::kitti
