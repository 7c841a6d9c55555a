// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>

#include "ea/core/plugin_host.hpp"
#include "ea/core/project.hpp"
#include "ea/sdk/exporter.hpp"

namespace ea::core {

/// Writes prediction set `set_name` in `format` to `output` (through a temporary file renamed into
/// place, so a failed export leaves no half-written file). Throws Failure.
sdk::ExportSummary export_predictions(Project& project, const PluginHost& host,
                                      const std::string& set_name, const std::string& format,
                                      const std::filesystem::path& output,
                                      const sdk::OptionValues& options);

}  // namespace ea::core
