// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "ea/core/diagnostics.hpp"
#include "ea/core/metric_run.hpp"
#include "ea/core/plugin_host.hpp"
#include "ea/core/project.hpp"

namespace ea::cli {

/// Options every command accepts.
struct GlobalOptions {
  std::optional<std::filesystem::path> target;      ///< -t/--target: the project folder
  bool verbose = false;                             ///< --verbose: trace decisions
  std::vector<std::filesystem::path> plugin_files;  ///< --plugin FILE: load exactly these
};

/// What commands share: global options, output streams, the plugin host (loaded on first use:
/// --plugin files first, then the search folders).
class CliContext {
 public:
  /// A context printing results to `out` and messages to `err`.
  CliContext(std::ostream& out, std::ostream& err);
  /// The global options, filled by the parser.
  GlobalOptions& options() noexcept { return options_; }
  /// Where results go.
  std::ostream& out() noexcept { return *out_; }
  /// Warnings and debug lines.
  core::Diagnostics& diagnostics();
  /// The plugin host, with every plugin loaded.
  core::PluginHost& plugins();
  /// The project named by --target, or found from the current folder.
  core::Project open_project() const;

 private:
  GlobalOptions options_;
  std::ostream* out_;
  std::ostream* err_;
  std::unique_ptr<core::Diagnostics> diagnostics_;
  std::unique_ptr<core::PluginHost> host_;
};

/// `ea init`.
void add_init_command(CLI::App& app, CliContext& context);
/// `ea import` and `ea import predictions`; `format` is the --format given on the command line,
/// whose importer options are offered.
void add_import_command(CLI::App& app, CliContext& context, const std::string& format);
/// `ea print data-mapping` and `ea print ontology`.
void add_print_command(CLI::App& app, CliContext& context);
/// `ea predictions list` and `ea predictions remove`.
void add_predictions_command(CLI::App& app, CliContext& context);
/// `ea evaluate`.
void add_evaluate_command(CLI::App& app, CliContext& context);
/// `ea cocoeval GT RESULTS`.
void add_cocoeval_command(CLI::App& app, CliContext& context);
/// `ea metrics list`, `ea metrics run` and `ea metrics export`.
void add_metrics_command(CLI::App& app, CliContext& context);
/// Prints what a metric run did.
void print_metric_report(std::ostream& out, const core::MetricRunReport& report);
/// `ea plugins list` and `ea plugins check`.
void add_plugins_command(CLI::App& app, CliContext& context);

}  // namespace ea::cli
