// SPDX-License-Identifier: Apache-2.0
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

#include "cli_context.hpp"
#include "ea/core/prediction_export.hpp"
#include "ea/core/prediction_sets.hpp"

namespace ea::cli {

namespace {

constexpr const char* kKinds[] = {"bounding_box", "polygon", "mask", "classification"};

std::uint64_t count_of(const core::PredictionSetSummary& set, const char* kind) {
  const auto found = set.counts_by_kind.find(kind);
  return found == set.counts_by_kind.end() ? 0 : found->second;
}

void print_json(std::ostream& out, const std::vector<core::PredictionSetSummary>& sets) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& set : sets) {
    nlohmann::ordered_json counts = nlohmann::ordered_json::object();
    for (const char* kind : kKinds)
      counts[kind] = count_of(set, kind);
    list.push_back({{"name", set.name},
                    {"format", set.format},
                    {"predictions", set.total},
                    {"counts", counts},
                    {"skipped", set.skipped},
                    {"source", set.source_path},
                    {"source_sha256", set.source_sha256},
                    {"options", nlohmann::ordered_json::parse(set.options)},
                    {"created_at", set.created_at}});
  }
  out << list.dump(2) << '\n';
}

void print_table(std::ostream& out, const std::vector<core::PredictionSetSummary>& sets) {
  if (sets.empty()) {
    out << "No prediction sets; import one with `ea import predictions FILE`.\n";
    return;
  }
  std::size_t width = 4;
  for (const auto& set : sets)
    width = std::max(width, set.name.size());
  fmt::print(out, "{:<{}}  {:<8} {:>11} {:>9} {:>9} {:>9} {:>15}  {}\n", "NAME", width, "FORMAT",
             "PREDICTIONS", "BOXES", "POLYGONS", "MASKS", "CLASSIFICATIONS", "CREATED");
  for (const auto& set : sets) {
    fmt::print(out, "{:<{}}  {:<8} {:>11} {:>9} {:>9} {:>9} {:>15}  {}\n", set.name, width,
               set.format, set.total, count_of(set, "bounding_box"), count_of(set, "polygon"),
               count_of(set, "mask"), count_of(set, "classification"), set.created_at);
  }
}

}  // namespace

void add_predictions_command(CLI::App& app, CliContext& context) {
  CLI::App* predictions = app.add_subcommand("predictions", "List or remove prediction sets");
  predictions->require_subcommand(1);

  auto json = std::make_shared<bool>(false);
  CLI::App* list = predictions->add_subcommand("list", "List prediction sets with counts per kind");
  list->add_flag("--json", *json, "Print JSON");
  list->callback([&context, json] {
    core::Project project = context.open_project();
    const auto sets = core::list_prediction_sets(project.store());
    if (*json) {
      print_json(context.out(), sets);
    } else {
      print_table(context.out(), sets);
    }
  });

  struct ExportArguments {
    std::string set;
    std::string format;
    std::filesystem::path output;
  };
  auto exporting = std::make_shared<ExportArguments>();
  CLI::App* export_command = predictions->add_subcommand(
      "export", "Write a prediction set in another format (`ea plugins list` shows the formats)");
  export_command->add_option("SET", exporting->set, "Name of the set")->required();
  export_command->add_option("--format", exporting->format, "Output format, e.g. coco")->required();
  export_command->add_option("OUT", exporting->output, "File to write")->required();
  export_command->callback([&context, exporting] {
    core::Project project = context.open_project();
    const auto summary =
        core::export_predictions(project, context.plugins(), exporting->set, exporting->format,
                                 exporting->output, sdk::OptionValues{});
    fmt::print(context.out(), "Wrote {} prediction(s) of '{}' to {} ({} format){}.\n",
               summary.written, exporting->set, exporting->output.string(), exporting->format,
               summary.skipped == 0
                   ? std::string()
                   : fmt::format("; {} the format cannot hold were left out", summary.skipped));
  });

  auto name = std::make_shared<std::string>();
  CLI::App* remove =
      predictions->add_subcommand("remove", "Remove a prediction set and its predictions");
  remove->add_option("SET", *name, "Name of the set")->required();
  remove->callback([&context, name] {
    core::Project project = context.open_project();
    core::remove_prediction_set(project.store(), *name);
    fmt::print(context.out(), "Removed prediction set '{}'.\n", *name);
  });
}

}  // namespace ea::cli
