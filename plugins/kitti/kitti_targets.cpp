// SPDX-License-Identifier: Apache-2.0
#include "kitti_targets.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "ea/sdk/error.hpp"

namespace ea::kitti {

namespace fs = std::filesystem;

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

FileTargets::FileTargets(const sdk::ProjectView& project,
                         const std::optional<std::string>& file_map) {
  for (const sdk::DataUnit& unit : project.data_units())
    by_stem_[fs::path(unit.title).stem().string()].push_back(&unit);
  if (!file_map)
    return;
  has_map_ = true;
  const nlohmann::json map = read_map(*file_map, "file-map");
  for (const auto& [file, target] : map.items()) {
    FileTarget mapped;
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
    mapped_.emplace(file, std::move(mapped));
  }
}

std::optional<FileTarget> FileTargets::find(const std::string& name) const {
  if (has_map_) {
    const auto mapped = mapped_.find(name);
    return mapped == mapped_.end() ? std::nullopt : std::optional(mapped->second);
  }
  std::string stem = fs::path(name).stem().string();
  std::optional<std::int64_t> frame;
  if (const std::size_t separator = stem.rfind("__"); separator != std::string::npos) {
    std::int64_t number = 0;
    const std::string_view digits = std::string_view(stem).substr(separator + 2);
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
    if (error == std::errc{} && end == digits.data() + digits.size() && !digits.empty()) {
      frame = number;
      stem.resize(separator);
    }
  }
  const auto found = by_stem_.find(stem);
  if (found == by_stem_.end())
    return std::nullopt;
  if (found->second.size() > 1) {
    throw sdk::InputError(name + " matches " + std::to_string(found->second.size()) +
                          " data units named \"" + stem + "\" (e.g. \"" + found->second[0]->title +
                          "\" and \"" + found->second[1]->title + "\"); say which with --file-map");
  }
  return FileTarget{found->second.front()->data_hash, frame};
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
