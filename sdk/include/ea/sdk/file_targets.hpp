// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ea/sdk/export.hpp"
#include "ea/sdk/project_view.hpp"

namespace ea::sdk {

/// The data unit, and frame of a video, that a per-image file (label file, mask) stands for.
struct FileTarget {
  std::string data_hash;              ///< the data unit
  std::optional<std::int64_t> frame;  ///< the frame, for a video
};

/// Maps per-image files to data units the way formats that write one file per image name them:
/// `<stem>.<ext>` to the data unit whose title has that stem, `<stem>__<frame>.<ext>` to that frame
/// of a video (Encord Active's convention), a stem that is an external id of one of the given
/// spaces (a COCO image id) to its data unit, or through explicit mappings (a `--file-map`).
class EA_SDK_EXPORT FileTargets {
 public:
  /// Indexes `project`'s data units by the stem of their titles; stems are also looked up as
  /// external ids in `id_spaces` (e.g. "coco.image"). `project` must outlive this object.
  explicit FileTargets(const ProjectView& project, std::vector<std::string> id_spaces = {});
  /// Maps the file `name` to `target`; once any mapping is given, only mappings count.
  void map(std::string name, FileTarget target);
  /// Where the file `name` ("000123.txt", or a folder name with `whole_name`) belongs; nullopt
  /// when nothing matches. Throws InputError when its stem names several data units.
  std::optional<FileTarget> find(std::string_view name, bool whole_name = false) const;

 private:
  const ProjectView* project_;
  std::vector<std::string> id_spaces_;
  std::map<std::string, std::vector<const DataUnit*>, std::less<>> by_stem_;
  std::map<std::string, FileTarget, std::less<>> mapped_;
};

}  // namespace ea::sdk
