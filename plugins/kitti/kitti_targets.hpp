// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ea/sdk/project_view.hpp"

namespace ea::kitti {

/// The data unit, and frame of a video, a label file stands for.
struct FileTarget {
  std::string data_hash;              ///< the data unit
  std::optional<std::int64_t> frame;  ///< the frame, for a video
};

/// Maps label files to data units: `<stem>.txt` to the data unit whose file name has that stem,
/// `<stem>__<frame>.txt` to that frame of a video (Encord Active's convention), or through a JSON
/// file {file: data_hash} / {file: {"data_hash", "frame"}} given with --file-map.
class FileTargets {
 public:
  /// Indexes `project`'s data units by stem; reads `file_map` when given (throws UsageError).
  FileTargets(const sdk::ProjectView& project, const std::optional<std::string>& file_map);
  /// Where the label file `name` ("000123.txt") belongs; none when nothing matches. Throws
  /// sdk::InputError when its stem names several data units.
  std::optional<FileTarget> find(const std::string& name) const;

 private:
  std::map<std::string, std::vector<const sdk::DataUnit*>, std::less<>> by_stem_;
  std::map<std::string, FileTarget, std::less<>> mapped_;
  bool has_map_ = false;
};

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
