// SPDX-License-Identifier: Apache-2.0
#include "cli_context.hpp"

#include <ostream>

#include "ea/core/plugin_directory.hpp"

namespace ea::cli {

CliContext::CliContext(std::ostream& out, std::ostream& err) : out_(&out), err_(&err) {}

core::Diagnostics& CliContext::diagnostics() {
  if (!diagnostics_)
    diagnostics_ = std::make_unique<core::Diagnostics>(*err_, options_.verbose);
  return *diagnostics_;
}

core::PluginHost& CliContext::plugins() {
  if (host_)
    return *host_;
  host_ = std::make_unique<core::PluginHost>(diagnostics());
  // Explicit files come first, so they win over a same-named plugin in the search folders.
  for (const auto& file : options_.plugin_files)
    host_->load_file(file);
  const auto dirs = core::plugin_search_dirs(core::current_search_settings(), diagnostics());
  host_->load_all(core::scan_plugin_dirs(dirs, diagnostics()));
  if (host_->plugins().empty()) {
    std::string searched;
    for (const auto& dir : dirs)
      searched += (searched.empty() ? "" : ", ") + dir.string();
    diagnostics().warn("no plugin was found; searched " +
                       (searched.empty() ? std::string("no folder") : searched));
  }
  return *host_;
}

core::Project CliContext::open_project() const {
  return core::Project::open(options_.target);
}

}  // namespace ea::cli
