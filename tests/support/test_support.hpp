// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace ea::test {

/// A fresh folder under the system's temporary folder, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  /// The folder.
  const std::filesystem::path& path() const noexcept { return path_; }
  /// A path inside the folder.
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

/// What a finished command gave.
struct CommandResult {
  int exit_code = -1;  ///< exit status, or 128 + signal
  std::string out;     ///< standard output
  std::string err;     ///< standard error
};

/// Runs `program` with `arguments` in `cwd`; `environment` entries are added or replaced
/// (an empty value removes the variable).
CommandResult run(const std::filesystem::path& program, const std::vector<std::string>& arguments,
                  const std::filesystem::path& cwd = std::filesystem::current_path(),
                  const std::map<std::string, std::string>& environment = {});

/// Starts `program` without waiting (output discarded); returns its process id.
int start(const std::filesystem::path& program, const std::vector<std::string>& arguments,
          const std::map<std::string, std::string>& environment = {});

/// The built `ea`.
std::filesystem::path ea_binary();

/// Runs the built `ea` with `arguments` in `cwd`, with EA_PLUGIN_PATH unset so the build tree's
/// plugins are found.
CommandResult ea(const std::vector<std::string>& arguments,
                 const std::filesystem::path& cwd = std::filesystem::current_path(),
                 const std::map<std::string, std::string>& environment = {});

/// Every row of every table of the SQLite store `file`, as text: equal digests mean equal
/// contents.
std::string store_digest(const std::filesystem::path& file);

/// Writes `text` to `file`.
void write_file(const std::filesystem::path& file, const std::string& text);

/// The contents of `file`.
std::string read_file(const std::filesystem::path& file);

/// The test data folder (tests/data in the source tree).
std::filesystem::path data_dir();

/// The folder holding the built fixture plugins.
std::filesystem::path fixture_plugin_dir();

/// Count of lines in `text`.
std::size_t line_count(const std::string& text);

}  // namespace ea::test
