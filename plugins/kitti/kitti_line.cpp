// SPDX-License-Identifier: Apache-2.0
#include "kitti_line.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <vector>

namespace ea::kitti {

namespace {

constexpr std::array<const char*, 16> kColumns{
    "type",   "truncated", "occluded", "alpha", "left", "top", "right",      "bottom",
    "height", "width",     "length",   "x",     "y",    "z",   "rotation_y", "score"};

std::vector<std::string_view> split(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t at = 0;
  while (at < line.size()) {
    const std::size_t begin = line.find_first_not_of(" \t\r", at);
    if (begin == std::string_view::npos)
      break;
    const std::size_t end = line.find_first_of(" \t\r", begin);
    fields.push_back(line.substr(begin, end - begin));
    at = end == std::string_view::npos ? line.size() : end;
  }
  return fields;
}

double number(std::string_view field, std::size_t column) {
  double value = 0;
  const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (error != std::errc{} || end != field.data() + field.size() || !std::isfinite(value)) {
    throw LineProblem{std::string("column ") + std::to_string(column + 1) + " (" +
                      kColumns[column] + ") is \"" + std::string(field) + "\", not a number"};
  }
  return value;
}

}  // namespace

KittiObject parse_line(std::string_view line, bool results, std::optional<double> default_score) {
  const std::vector<std::string_view> fields = split(line);
  const std::size_t wanted = results ? 16 : 15;
  if (fields.size() != wanted && !(results && fields.size() == 15 && default_score)) {
    std::string message =
        "the line has " + std::to_string(fields.size()) + " values, not " + std::to_string(wanted);
    if (results && fields.size() == 15)
      message += " (a result needs its score; --default-score S supplies one)";
    throw LineProblem{message};
  }
  KittiObject object;
  object.type = std::string(fields[0]);
  double* const targets[] = {&object.truncated, &object.occluded,  &object.alpha,  &object.left,
                             &object.top,       &object.right,     &object.bottom, &object.height,
                             &object.width,     &object.length,    &object.x,      &object.y,
                             &object.z,         &object.rotation_y};
  for (std::size_t column = 1; column < 15; ++column)
    *targets[column - 1] = number(fields[column], column);
  if (results)
    object.score = fields.size() == 16 ? number(fields[15], 15) : *default_score;
  if (object.right < object.left)
    throw LineProblem{"the box's right edge is left of its left edge"};
  if (object.bottom < object.top)
    throw LineProblem{"the box's bottom edge is above its top edge"};
  return object;
}

}  // namespace ea::kitti
