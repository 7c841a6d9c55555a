// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <filesystem>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

#include "cli_context.hpp"
#include "ea/core/failure.hpp"
#include "ea/core/metric_export.hpp"
#include "ea/core/metric_run.hpp"

namespace ea::cli {

namespace {

std::string runs_on(const sdk::MetricInfo& info) {
  if (info.on_predictions && info.on_labels)
    return "predictions, labels";
  return info.on_predictions ? "predictions" : "labels";
}

std::string needs(const sdk::MetricInfo& info) {
  if (info.needs_pixels && info.needs_labels)
    return "pixels, labels";
  return info.needs_pixels ? "pixels" : info.needs_labels ? "labels" : "-";
}

void list_metrics(CliContext& context, bool json) {
  core::PluginHost& host = context.plugins();
  // Outside a project every built-in counts as selected, as in a new project.
  core::ProjectConfig config;
  try {
    config = context.open_project().config();
  } catch (const core::Failure&) {
  }
  const std::vector<const core::MetricRegistration*> selected =
      core::select_metrics(host, config, {});
  const auto is_selected = [&](const core::MetricRegistration& metric) {
    return std::find(selected.begin(), selected.end(), &metric) != selected.end();
  };
  if (json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const core::MetricRegistration& metric : host.metrics()) {
      const sdk::MetricInfo& info = metric.info;
      list.push_back({{"name", info.name},
                      {"plugin", metric.plugin},
                      {"description", info.description},
                      {"scope", info.scope == sdk::MetricScope::objects ? "objects" : "frames"},
                      {"on_predictions", info.on_predictions},
                      {"on_labels", info.on_labels},
                      {"needs_pixels", info.needs_pixels},
                      {"needs_labels", info.needs_labels},
                      {"selected", is_selected(metric)}});
    }
    context.out() << list.dump(2) << '\n';
    return;
  }
  if (host.metrics().empty()) {
    context.out() << "No metrics: no plugin provides one.\n";
    return;
  }
  fmt::print(context.out(), "{:<22} {:<8} {:<7} {:<20} {:<14} {:<8} {}\n", "NAME", "PLUGIN",
             "SCOPE", "RUNS ON", "NEEDS", "SELECTED", "DESCRIPTION");
  for (const core::MetricRegistration& metric : host.metrics()) {
    const sdk::MetricInfo& info = metric.info;
    fmt::print(context.out(), "{:<22} {:<8} {:<7} {:<20} {:<14} {:<8} {}\n", info.name,
               metric.plugin, info.scope == sdk::MetricScope::objects ? "objects" : "frames",
               runs_on(info), needs(info), is_selected(metric) ? "yes" : "no", info.description);
  }
}

}  // namespace

void print_metric_report(std::ostream& out, const core::MetricRunReport& report) {
  if (report.metrics.empty()) {
    out << "No metrics selected.\n";
    return;
  }
  fmt::print(out,
             "Ran {} metric(s) on {} frame(s): {} prediction, {} label and {} frame value(s) in "
             "{:.2f} s.\n",
             report.metrics.size(), report.frames, report.prediction_values, report.label_values,
             report.frame_values, report.seconds);
  if (report.frames_without_pixels > 0) {
    std::string examples;
    for (const std::string& reason : report.unreadable)
      examples += (examples.empty() ? "" : "; ") + reason;
    fmt::print(out, "{} frame(s) had no readable image, so pixel metrics skipped them (e.g. {}).\n",
               report.frames_without_pixels, examples);
  }
}

void add_metrics_command(CLI::App& app, CliContext& context) {
  CLI::App* metrics = app.add_subcommand("metrics", "List, run and export quality metrics");
  metrics->require_subcommand(1);

  auto json = std::make_shared<bool>(false);
  CLI::App* list = metrics->add_subcommand("list", "List every metric and whether it is selected");
  list->add_flag("--json", *json, "Print JSON");
  list->callback([&context, json] { list_metrics(context, *json); });

  struct RunArguments {
    std::string set;
    std::vector<std::string> names;
  };
  auto run_arguments = std::make_shared<RunArguments>();
  CLI::App* run = metrics->add_subcommand(
      "run", "Score predictions, labels and frames with the selected (or named) metrics");
  run->add_option("--set", run_arguments->set, "Only this prediction set's predictions");
  run->add_option("NAME", run_arguments->names, "Metrics to run (default: ea.json's selection)");
  run->callback([&context, run_arguments] {
    core::Project project = context.open_project();
    core::MetricRunRequest request;
    request.names = run_arguments->names;
    if (!run_arguments->set.empty())
      request.set = run_arguments->set;
    request.progress = true;
    print_metric_report(context.out(), core::run_metrics(project, context.plugins(), request,
                                                         context.diagnostics()));
  });

  struct ExportArguments {
    std::string set;
    std::filesystem::path output;
  };
  auto export_arguments = std::make_shared<ExportArguments>();
  CLI::App* exporting = metrics->add_subcommand(
      "export", "Write every stored metric of a set's predictions (or of the labels) as CSV");
  exporting->add_option("--set", export_arguments->set, "The prediction set (default: the labels)");
  exporting->add_option("OUT", export_arguments->output, "The CSV file to write")->required();
  exporting->callback([&context, export_arguments] {
    core::Project project = context.open_project();
    const std::optional<std::string> set =
        export_arguments->set.empty() ? std::nullopt : std::optional(export_arguments->set);
    const std::uint64_t rows = core::export_metrics(project.store(), set, export_arguments->output);
    fmt::print(context.out(), "Wrote {} row(s) to {}.\n", rows, export_arguments->output.string());
  });
}

}  // namespace ea::cli
