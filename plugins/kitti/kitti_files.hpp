// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kitti_line.hpp"

namespace ea::kitti {

/// One label file as read: its objects with their line numbers, or why lines could not be read.
struct ParsedFile {
  std::string name;                                           ///< e.g. "000123.txt"
  std::vector<std::pair<std::size_t, KittiObject>> objects;   ///< 1-based line, object
  std::vector<std::pair<std::size_t, std::string>> problems;  ///< 1-based line, reason
};

/// The label files of `input`: a folder's `.txt` files in name order, or the one file given.
/// Throws sdk::InputError for a folder without any.
std::vector<std::filesystem::path> label_files(const std::filesystem::path& input);

/// Reads and parses `files` on both cores; the result is in the order of `files`. Blank lines are
/// skipped; an empty file has no objects.
std::vector<ParsedFile> parse_files(const std::vector<std::filesystem::path>& files, bool results,
                                    std::optional<double> default_score);

}  // namespace ea::kitti
