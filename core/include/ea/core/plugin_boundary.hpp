// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <exception>
#include <filesystem>
#include <string>
#include <string_view>

#include "ea/core/failure.hpp"
#include "ea/sdk/error.hpp"

namespace ea::core {

/// Turns an exception thrown inside a call into plugin `plugin` about `input` into a Failure that
/// names both; an InputError keeps its record location. Call only from a catch block.
[[noreturn]] void rethrow_with_context(std::string_view plugin, const std::filesystem::path& input);

/// The one layer through which the host calls plugin code: every exception leaves it as a
/// Failure with the plugin name and input file added.
template <class Body>
decltype(auto) call_plugin(std::string_view plugin, const std::filesystem::path& input,
                           Body&& body) {
  try {
    return body();
  } catch (...) {
    rethrow_with_context(plugin, input);
  }
}

}  // namespace ea::core
