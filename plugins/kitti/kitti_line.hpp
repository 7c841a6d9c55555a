// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ea::kitti {

/// One object line of a KITTI label file (devkit readme): 15 values for ground truth, 16 with the
/// score for results.
struct KittiObject {
  std::string type;             ///< Car, Pedestrian, …, DontCare
  double truncated = 0;         ///< 0 … 1; -1 when unknown (results)
  double occluded = 0;          ///< 0, 1, 2, 3; -1 when unknown (results)
  double alpha = 0;             ///< observation angle; -10 when unknown (results)
  double left = 0;              ///< box, 0-based pixels
  double top = 0;               ///< box
  double right = 0;             ///< box
  double bottom = 0;            ///< box
  double height = 0;            ///< 3D size (m)
  double width = 0;             ///< 3D size (m)
  double length = 0;            ///< 3D size (m)
  double x = 0;                 ///< 3D location in camera coordinates (m)
  double y = 0;                 ///< 3D location
  double z = 0;                 ///< 3D location
  double rotation_y = 0;        ///< around the camera's Y axis
  std::optional<double> score;  ///< results only
};

/// Why a line cannot be read; the caller adds the file and line.
struct LineProblem {
  std::string message;  ///< one sentence without a full stop
};

/// Parses `line`. Ground truth needs exactly 15 values; results 16, or 15 when `default_score`
/// is given. Throws LineProblem naming the column at fault.
KittiObject parse_line(std::string_view line, bool results, std::optional<double> default_score);

}  // namespace ea::kitti
