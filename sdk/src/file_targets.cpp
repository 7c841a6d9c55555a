// SPDX-License-Identifier: Apache-2.0
#include "ea/sdk/file_targets.hpp"

#include <charconv>
#include <filesystem>

#include "ea/sdk/error.hpp"

namespace ea::sdk {

namespace {

std::string_view stem_of(std::string_view name) {
  const std::size_t dot = name.rfind('.');
  return dot == std::string_view::npos || dot == 0 ? name : name.substr(0, dot);
}

}  // namespace

FileTargets::FileTargets(const ProjectView& project, std::vector<std::string> id_spaces)
    : project_(&project), id_spaces_(std::move(id_spaces)) {
  for (const DataUnit& unit : project.data_units())
    by_stem_[std::filesystem::path(unit.title).stem().string()].push_back(&unit);
}

void FileTargets::map(std::string name, FileTarget target) {
  mapped_.insert_or_assign(std::move(name), std::move(target));
}

std::optional<FileTarget> FileTargets::find(std::string_view name, bool whole_name) const {
  if (!mapped_.empty()) {
    const auto mapped = mapped_.find(name);
    return mapped == mapped_.end() ? std::nullopt : std::optional(mapped->second);
  }
  std::string_view stem = whole_name ? name : stem_of(name);
  std::optional<std::int64_t> frame;
  if (const std::size_t separator = stem.rfind("__"); separator != std::string_view::npos) {
    std::int64_t number = 0;
    const std::string_view digits = stem.substr(separator + 2);
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
    if (error == std::errc{} && end == digits.data() + digits.size() && !digits.empty()) {
      frame = number;
      stem = stem.substr(0, separator);
    }
  }
  if (const auto found = by_stem_.find(stem); found != by_stem_.end()) {
    if (found->second.size() > 1) {
      throw InputError(std::string(name) + " matches " + std::to_string(found->second.size()) +
                       " data units named \"" + std::string(stem) + "\" (e.g. \"" +
                       found->second[0]->title + "\" and \"" + found->second[1]->title +
                       "\"); say which with --file-map");
    }
    return FileTarget{found->second.front()->data_hash, frame};
  }
  for (const std::string& space : id_spaces_) {
    // An external id may itself name a video frame (COCO's "<video>__<frame>" images).
    const std::string_view hash = project_->find_external_id(space, stem);
    if (!hash.empty())
      return FileTarget{std::string(hash),
                        frame ? frame : project_->find_external_frame(space, stem)};
  }
  return std::nullopt;
}

}  // namespace ea::sdk
