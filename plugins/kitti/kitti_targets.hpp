// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ea/sdk/file_targets.hpp"
#include "ea/sdk/project_view.hpp"

namespace ea::kitti {

/// The data units of `project` by file stem (sdk::FileTargets), or only the mappings of the JSON
/// file {file: data_hash} / {file: {"data_hash", "frame"}} given with --file-map (throws
/// UsageError when it cannot be read).
sdk::FileTargets file_targets(const sdk::ProjectView& project,
                              const std::optional<std::string>& file_map);

/// Maps KITTI class names to ontology objects: case-insensitively by name, after the renames of a
/// JSON file {kitti_type: name or feature_hash} given with --class-map.
class ClassNames {
 public:
  /// Indexes `project`'s objects; reads `class_map` when given (throws UsageError).
  ClassNames(const sdk::ProjectView& project, const std::optional<std::string>& class_map);
  /// The feature_hash for `type`, or empty.
  std::string find(std::string_view type) const;
  /// Records an object made by this import.
  void add(const std::string& name, const std::string& feature_hash);

 private:
  std::map<std::string, std::string, std::less<>> by_name_;  // lower-case name → feature_hash
  std::map<std::string, std::string, std::less<>> renames_;  // lower-case type → name or hash
};

/// `text` in lower case (ASCII).
std::string lowercase(std::string_view text);

}  // namespace ea::kitti
