// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ea/core/diagnostics.hpp"

namespace ea::core {

/// The plugin name in a file name `ea_plugin_<name>.so`, or nullopt when the name breaks the rule
/// (`<name>` must match [a-z][a-z0-9_]*).
std::optional<std::string> plugin_name_from_filename(std::string_view filename);

/// What decides where plugins are searched for.
struct PluginSearchSettings {
  std::filesystem::path executable;        ///< the running `ea`
  std::optional<std::string> env_path;     ///< EA_PLUGIN_PATH, if set: replaces the defaults
  std::filesystem::path install_dir;       ///< the compiled-in install folder
  std::filesystem::path build_bin_dir;     ///< where the build tree puts `ea`
  std::filesystem::path build_plugin_dir;  ///< where the build tree puts plugins
};

/// The settings of this build and process (executable location, environment, compiled-in paths).
PluginSearchSettings current_search_settings();

/// Folders to search, in order: EA_PLUGIN_PATH alone when set; else `<exe>/../lib/ea/plugins/
/// abi-N`, the install folder, and the build tree's plugin folder when `ea` runs from the build
/// tree. Never the current directory; relative entries of EA_PLUGIN_PATH are dropped for that
/// reason.
std::vector<std::filesystem::path> plugin_search_dirs(const PluginSearchSettings& settings,
                                                      Diagnostics& diagnostics);

/// A plugin file found by a scan; nothing has been loaded.
struct PluginCandidate {
  std::string name;            ///< from the file name
  std::filesystem::path file;  ///< absolute path
};

/// Lists plugin files in `dirs`; the first file of a name wins, later ones are warned about.
std::vector<PluginCandidate> scan_plugin_dirs(const std::vector<std::filesystem::path>& dirs,
                                              Diagnostics& diagnostics);

}  // namespace ea::core
