// SPDX-License-Identifier: Apache-2.0
#include "ea/sdk/options.hpp"

#include <charconv>

#include "ea/sdk/error.hpp"

namespace ea::sdk {

void OptionValues::set(std::string name, std::string value) {
  values_.insert_or_assign(std::move(name), std::move(value));
}

bool OptionValues::has(std::string_view name) const {
  return values_.find(name) != values_.end();
}

bool OptionValues::flag(std::string_view name) const {
  const auto found = values_.find(name);
  return found != values_.end() && found->second != "false" && found->second != "0";
}

std::optional<std::string> OptionValues::text(std::string_view name) const {
  const auto found = values_.find(name);
  if (found == values_.end())
    return std::nullopt;
  return found->second;
}

namespace {
template <class T>
std::optional<T> parse_whole(const std::map<std::string, std::string, std::less<>>& values,
                             std::string_view name, const char* what) {
  const auto found = values.find(name);
  if (found == values.end())
    return std::nullopt;
  const std::string& text = found->second;
  T value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) {
    throw UsageError("--" + std::string(name) + " needs " + what + ", not '" + text + "'");
  }
  return value;
}
}  // namespace

std::optional<std::int64_t> OptionValues::integer(std::string_view name) const {
  return parse_whole<std::int64_t>(values_, name, "a whole number");
}

std::optional<double> OptionValues::number(std::string_view name) const {
  return parse_whole<double>(values_, name, "a number");
}

}  // namespace ea::sdk
