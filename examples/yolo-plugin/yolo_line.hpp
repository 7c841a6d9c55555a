// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace yolo {

/// Why a line is not a YOLO detection; the importer adds the file and line.
struct LineProblem : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// One detection as YOLO writes it: a class and a box relative to the image, by its centre.
struct Detection {
  std::string label;            ///< the class as written: an index into the names, or a name
  double cx = 0, cy = 0;        ///< centre, relative
  double w = 0, h = 0;          ///< size, relative
  std::optional<double> score;  ///< confidence, when the line has one
};

/// Parses `class cx cy w h [score]`, or with `score_first` `class score cx cy w h`; throws
/// LineProblem naming what is wrong.
Detection parse_line(std::string_view line, bool score_first);

}  // namespace yolo
