// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "ea/sdk/export.hpp"

namespace ea::sdk {

/// The type of an importer option; the host checks values against it before read() is called.
enum class OptionType {
  flag,     ///< present or absent, no value
  text,     ///< any string
  integer,  ///< a whole number
  number,   ///< a floating-point number
  path,     ///< an existing file or folder
};

/// An option an importer declares, offered after `--format F` on the command line.
struct OptionSpec {
  std::string name;                    ///< long name without dashes, [a-z][a-z0-9-]*
  OptionType type = OptionType::text;  ///< value type
  std::string help;                    ///< one line for --help
  std::string default_value;           ///< used when the option is not given; empty means none
};

/// Option values as given on the command line, already checked against their specs. For
/// `ea import project --images DIR` the host also sets the text value "images" to DIR.
class EA_SDK_EXPORT OptionValues {
 public:
  /// Sets `name` to `value` (the host's side).
  void set(std::string name, std::string value);
  /// Whether the option has a value (given, or defaulted).
  bool has(std::string_view name) const;
  /// Whether a flag was given.
  bool flag(std::string_view name) const;
  /// The text value, if any.
  std::optional<std::string> text(std::string_view name) const;
  /// The integer value, if any; throws UsageError when it is not an integer.
  std::optional<std::int64_t> integer(std::string_view name) const;
  /// The number value, if any; throws UsageError when it is not a number.
  std::optional<double> number(std::string_view name) const;
  /// Every value by name.
  const std::map<std::string, std::string, std::less<>>& all() const noexcept { return values_; }

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace ea::sdk
