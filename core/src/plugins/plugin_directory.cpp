// SPDX-License-Identifier: Apache-2.0
#include "ea/core/plugin_directory.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <system_error>

#include <boost/dll/runtime_symbol_info.hpp>

#include "ea/sdk/abi.hpp"

namespace ea::core {

namespace fs = std::filesystem;

namespace {
constexpr std::string_view kPrefix = "ea_plugin_";
constexpr std::string_view kSuffix = ".so";

bool is_plugin_name(std::string_view name) {
  if (name.empty() || name.front() < 'a' || name.front() > 'z')
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

fs::path normalised(const fs::path& path) {
  std::error_code error;
  const fs::path canonical = fs::weakly_canonical(path, error);
  return error ? path.lexically_normal() : canonical;
}
}  // namespace

std::optional<std::string> plugin_name_from_filename(std::string_view filename) {
  if (!filename.starts_with(kPrefix) || !filename.ends_with(kSuffix))
    return std::nullopt;
  filename.remove_prefix(kPrefix.size());
  filename.remove_suffix(kSuffix.size());
  if (!is_plugin_name(filename))
    return std::nullopt;
  return std::string(filename);
}

PluginSearchSettings current_search_settings() {
  PluginSearchSettings settings;
  settings.executable = boost::dll::program_location();
  if (const char* env = std::getenv("EA_PLUGIN_PATH"))
    settings.env_path = env;
  settings.install_dir = EA_INSTALL_PLUGIN_DIR;
  settings.build_bin_dir = EA_BUILD_BIN_DIR;
  settings.build_plugin_dir = EA_BUILD_PLUGIN_DIR;
  return settings;
}

std::vector<fs::path> plugin_search_dirs(const PluginSearchSettings& settings,
                                         Diagnostics& diagnostics) {
  std::vector<fs::path> dirs;
  const auto add = [&dirs](const fs::path& dir) {
    const fs::path path = normalised(dir);
    if (std::find(dirs.begin(), dirs.end(), path) == dirs.end())
      dirs.push_back(path);
  };
  if (settings.env_path) {
    std::string_view rest = *settings.env_path;
    while (!rest.empty()) {
      const std::size_t colon = rest.find(':');
      const fs::path entry(rest.substr(0, colon));
      rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
      if (entry.empty())
        continue;
      if (entry.is_relative()) {
        // A relative entry would search wherever the user happens to stand.
        diagnostics.warn("EA_PLUGIN_PATH entry '" + entry.string() +
                         "' is relative and is ignored; give absolute folders");
        continue;
      }
      add(entry);
    }
    return dirs;
  }
  const fs::path exe_dir = settings.executable.parent_path();
  add(exe_dir / ".." / "lib" / "ea" / "plugins" / ("abi-" + std::to_string(sdk::kAbiVersion)));
  if (!settings.install_dir.empty())
    add(settings.install_dir);
  if (!settings.build_bin_dir.empty() &&
      normalised(exe_dir) == normalised(settings.build_bin_dir)) {
    add(settings.build_plugin_dir);
  }
  return dirs;
}

std::vector<PluginCandidate> scan_plugin_dirs(const std::vector<fs::path>& dirs,
                                              Diagnostics& diagnostics) {
  std::vector<PluginCandidate> found;
  std::map<std::string, fs::path, std::less<>> first_of_name;
  for (const fs::path& dir : dirs) {
    std::error_code error;
    if (!fs::is_directory(dir, error)) {
      diagnostics.debug("plugin folder " + dir.string() + " does not exist");
      continue;
    }
    diagnostics.debug("searching plugin folder " + dir.string());
    // Sorted, so that which file wins never depends on the file system's order.
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir, error)) {
      if (entry.is_regular_file(error) || entry.is_symlink(error))
        files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
      const auto name = plugin_name_from_filename(file.filename().string());
      if (!name) {
        diagnostics.debug("skipping " + file.string() +
                          ": not named ea_plugin_<name>.so with <name> in [a-z][a-z0-9_]*");
        continue;
      }
      if (const auto earlier = first_of_name.find(*name); earlier != first_of_name.end()) {
        diagnostics.warn("plugin '" + *name + "' in " + file.string() + " is ignored: " +
                         earlier->second.string() + " comes first in the search order");
        continue;
      }
      first_of_name.emplace(*name, file);
      found.push_back({*name, file});
    }
  }
  return found;
}

}  // namespace ea::core
