// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace ea::core {

/// Where the host reports warnings and, with --verbose, its decisions (paths searched, files
/// skipped). Passed explicitly instead of a global logger so tests can read what was said.
class Diagnostics {
 public:
  /// Reports to `out`; debug lines only when `verbose`.
  Diagnostics(std::ostream& out, bool verbose) : out_(&out), verbose_(verbose) {}
  /// Something the user should know although the command goes on.
  void warn(const std::string& message);
  /// A decision worth tracing with --verbose.
  void debug(const std::string& message);
  /// Every warning issued so far.
  const std::vector<std::string>& warnings() const noexcept { return warnings_; }
  /// Whether debug lines are printed.
  bool verbose() const noexcept { return verbose_; }

 private:
  std::ostream* out_;
  bool verbose_;
  std::vector<std::string> warnings_;
};

}  // namespace ea::core
