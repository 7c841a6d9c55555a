// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ea/core/store.hpp"

namespace ea::core {

/// The project's configuration, `ea.json`.
struct ProjectConfig {
  std::string name;                                 ///< shown to people
  std::filesystem::path images;                     ///< the media folder, as given to `ea init`
  std::optional<std::vector<std::string>> metrics;  ///< selected metrics; absent = all built-ins
};

/// The configuration file's name inside a project folder.
inline constexpr const char* kConfigFile = "ea.json";
/// The store's file name inside a project folder.
inline constexpr const char* kStoreFile = "ea.db";

/// Reads `ea.json`; throws Failure naming the file and the problem.
ProjectConfig read_config(const std::filesystem::path& file);
/// Writes `ea.json` atomically (a temporary file renamed over it).
void write_config(const std::filesystem::path& file, const ProjectConfig& config);

/// An open project: its folder, configuration and store.
class Project {
 public:
  /// Opens the project in `target`, or, without a target, in the current folder or its nearest
  /// ancestor holding ea.json. Throws Failure when there is none.
  static Project open(const std::optional<std::filesystem::path>& target);

  /// The project folder.
  const std::filesystem::path& root() const noexcept { return root_; }
  /// The configuration.
  const ProjectConfig& config() const noexcept { return config_; }
  /// The store.
  Store& store() noexcept { return store_; }

 private:
  Project(std::filesystem::path root, ProjectConfig config, Store store)
      : root_(std::move(root)), config_(std::move(config)), store_(std::move(store)) {}
  std::filesystem::path root_;
  ProjectConfig config_;
  Store store_;
};

}  // namespace ea::core
