// SPDX-License-Identifier: Apache-2.0
#include "yolo_line.hpp"

#include <charconv>
#include <cmath>
#include <vector>

namespace yolo {

namespace {

std::vector<std::string_view> tokens_of(std::string_view line) {
  std::vector<std::string_view> tokens;
  std::size_t at = 0;
  while (at < line.size()) {
    const std::size_t start = line.find_first_not_of(" \t\r", at);
    if (start == std::string_view::npos)
      break;
    const std::size_t end = line.find_first_of(" \t\r", start);
    tokens.push_back(line.substr(start, end == std::string_view::npos ? end : end - start));
    at = end == std::string_view::npos ? line.size() : end;
  }
  return tokens;
}

double number(std::string_view token, const char* what) {
  double value = 0;
  const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (error != std::errc{} || end != token.data() + token.size() || !std::isfinite(value))
    throw LineProblem(std::string(what) + " \"" + std::string(token) + "\" is not a number");
  return value;
}

}  // namespace

Detection parse_line(std::string_view line, bool score_first) {
  const std::vector<std::string_view> tokens = tokens_of(line);
  if (tokens.size() != 5 && tokens.size() != 6) {
    throw LineProblem("it has " + std::to_string(tokens.size()) +
                      " values; YOLO lines have 5 (class cx cy w h) or 6 (with a score)");
  }
  if (score_first && tokens.size() != 6)
    throw LineProblem("--score-first needs 6 values: class score cx cy w h");
  Detection detection;
  detection.label = std::string(tokens[0]);
  const std::size_t box = score_first ? 2 : 1;
  if (tokens.size() == 6)
    detection.score = number(tokens[score_first ? 1 : 5], "the score");
  detection.cx = number(tokens[box], "cx");
  detection.cy = number(tokens[box + 1], "cy");
  detection.w = number(tokens[box + 2], "w");
  detection.h = number(tokens[box + 3], "h");
  if (detection.w <= 0 || detection.h <= 0)
    throw LineProblem("the box has no area (w and h must be positive)");
  return detection;
}

}  // namespace yolo
