// SPDX-License-Identifier: Apache-2.0
#include <sstream>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

#include "cli_context.hpp"

namespace ea::cli {

namespace {

std::string kinds_of(const core::PluginInfo& plugin) {
  std::string kinds;
  if (!plugin.importers.empty())
    kinds = "importer";
  if (!plugin.exporters.empty())
    kinds += kinds.empty() ? "exporter" : ", exporter";
  if (!plugin.metrics.empty())
    kinds += kinds.empty() ? "metric" : ", metric";
  return kinds.empty() ? "none" : kinds;
}

nlohmann::ordered_json to_json(const core::PluginInfo& plugin) {
  nlohmann::ordered_json importers = nlohmann::ordered_json::array();
  for (const auto& importer : plugin.importers) {
    importers.push_back({{"format", importer.format},
                         {"description", importer.description},
                         {"extensions", importer.extensions}});
  }
  nlohmann::ordered_json exporters = nlohmann::ordered_json::array();
  for (const auto& exporter : plugin.exporters) {
    exporters.push_back({{"format", exporter.format}, {"description", exporter.description}});
  }
  nlohmann::ordered_json metrics = nlohmann::ordered_json::array();
  for (const auto& metric : plugin.metrics) {
    metrics.push_back({{"name", metric.name}, {"description", metric.description}});
  }
  nlohmann::ordered_json kinds = nlohmann::ordered_json::array();
  if (!plugin.importers.empty())
    kinds.push_back("importer");
  if (!plugin.exporters.empty())
    kinds.push_back("exporter");
  if (!plugin.metrics.empty())
    kinds.push_back("metric");
  return {{"name", plugin.name},    {"version", plugin.version},
          {"kinds", kinds},         {"file", plugin.file.string()},
          {"importers", importers}, {"exporters", exporters},
          {"metrics", metrics}};
}

void print_plugin(std::ostream& out, const core::PluginInfo& plugin) {
  fmt::print(out, "{} {} ({}) — {}\n", plugin.name, plugin.version, kinds_of(plugin),
             plugin.file.string());
  for (const auto& importer : plugin.importers) {
    fmt::print(out, "  format {}: {}\n", importer.format, importer.description);
  }
  for (const auto& exporter : plugin.exporters) {
    fmt::print(out, "  export {}: {}\n", exporter.format, exporter.description);
  }
  for (const auto& metric : plugin.metrics) {
    fmt::print(out, "  metric {}: {}\n", metric.name, metric.description);
  }
}

}  // namespace

void add_plugins_command(CLI::App& app, CliContext& context) {
  CLI::App* plugins = app.add_subcommand("plugins", "List plugins or check a plugin file");
  plugins->require_subcommand(1);

  auto json = std::make_shared<bool>(false);
  CLI::App* list = plugins->add_subcommand("list", "List every plugin found, with its formats");
  list->add_flag("--json", *json, "Print JSON");
  list->callback([&context, json] {
    const core::PluginHost& host = context.plugins();
    if (*json) {
      nlohmann::ordered_json all = nlohmann::ordered_json::array();
      for (const auto& plugin : host.plugins())
        all.push_back(to_json(plugin));
      context.out() << all.dump(2) << '\n';
      return;
    }
    for (const auto& plugin : host.plugins())
      print_plugin(context.out(), plugin);
  });

  auto file = std::make_shared<std::filesystem::path>();
  CLI::App* check = plugins->add_subcommand(
      "check", "Load one plugin file and say exactly why it is or is not usable");
  check->add_option("FILE", *file, "The plugin file")->required();
  check->callback([&context, file] {
    // A host of its own: the check must not be influenced by other plugins.
    core::PluginHost host(context.diagnostics());
    const core::PluginInfo& plugin = host.load_file(*file);
    fmt::print(context.out(), "{} is a usable ea plugin:\n", plugin.file.string());
    print_plugin(context.out(), plugin);
  });
}

}  // namespace ea::cli
