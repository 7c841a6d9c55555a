// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli_context.hpp"
#include "ea/core/failure.hpp"
#include "ea/core/prediction_import.hpp"
#include "ea/core/project_import.hpp"

namespace ea::cli {

namespace {

struct ImportArguments {
  std::optional<std::filesystem::path> images;  // project imports
  bool strict = false;                          // project imports
  std::string format;
  std::string name;
  bool replace = false;
  bool skip_invalid = false;
  bool no_metrics = false;  // prediction imports
  std::filesystem::path input;
  std::map<std::string, std::string> format_options;  // only the options that were given
  std::map<std::string, bool> format_flags;
};

void add_format_options(CLI::App& command, ImportArguments& arguments,
                        const std::vector<sdk::OptionSpec>& specs) {
  for (const sdk::OptionSpec& spec : specs) {
    const std::string flag = "--" + spec.name;
    // The command's own option of that name wins (e.g. --strict of `ea import project`).
    if (command.get_option_no_throw(flag) != nullptr)
      continue;
    if (spec.type == sdk::OptionType::flag) {
      command.add_flag(flag, arguments.format_flags[spec.name], spec.help)->group("Format options");
      continue;
    }
    CLI::Option* option = command.add_option(flag, arguments.format_options[spec.name], spec.help);
    option->group("Format options");
    if (!spec.default_value.empty())
      option->default_str(spec.default_value);
    switch (spec.type) {
      case sdk::OptionType::integer:
        option->check(CLI::TypeValidator<std::int64_t>("INTEGER"));
        break;
      case sdk::OptionType::number:
        option->check(CLI::Number);
        break;
      case sdk::OptionType::path:
        option->check(CLI::ExistingPath);
        break;
      default:
        break;
    }
  }
}

// Offers the options of `format`'s importer on `command` and returns their specs (none when no
// format was named on the command line).
std::vector<sdk::OptionSpec> offer_format_options(CLI::App& command, CliContext& context,
                                                  ImportArguments& arguments,
                                                  const std::string& format) {
  std::vector<sdk::OptionSpec> specs;
  if (format.empty())
    return specs;
  if (const auto* importer = context.plugins().find_importer(format)) {
    specs = context.plugins().make_importer(*importer)->options();
    add_format_options(command, arguments, specs);
  }
  return specs;
}

sdk::OptionValues option_values(const ImportArguments& arguments,
                                const std::vector<sdk::OptionSpec>& specs) {
  sdk::OptionValues values;
  for (const sdk::OptionSpec& spec : specs) {
    if (spec.type == sdk::OptionType::flag) {
      const auto found = arguments.format_flags.find(spec.name);
      if (found != arguments.format_flags.end() && found->second)
        values.set(spec.name, "true");
      continue;
    }
    const auto found = arguments.format_options.find(spec.name);
    if (found != arguments.format_options.end() && !found->second.empty()) {
      values.set(spec.name, found->second);
    } else if (!spec.default_value.empty()) {
      values.set(spec.name, spec.default_value);
    }
  }
  return values;
}

void print_skipped(std::ostream& out, const std::map<std::string, core::RejectionTally>& skipped) {
  if (skipped.empty())
    return;
  constexpr std::size_t kReasonsShown = 10;
  std::uint64_t total = 0;
  std::vector<std::pair<std::string, const core::RejectionTally*>> reasons;
  for (const auto& [category, tally] : skipped) {
    total += tally.count;
    reasons.emplace_back(category, &tally);
  }
  // The most frequent reasons first; ties keep their alphabetical order.
  std::stable_sort(reasons.begin(), reasons.end(),
                   [](const auto& a, const auto& b) { return a.second->count > b.second->count; });
  fmt::print(out, "Skipped {} invalid record(s):\n", total);
  for (std::size_t i = 0; i < reasons.size() && i < kReasonsShown; ++i) {
    fmt::print(out, "  {}: {}\n", reasons[i].first, reasons[i].second->count);
    for (const std::string& example : reasons[i].second->examples)
      fmt::print(out, "    e.g. {}\n", example);
  }
  if (reasons.size() > kReasonsShown) {
    fmt::print(out, "  … and {} other reason(s).\n", reasons.size() - kReasonsShown);
  }
}

void print_notes(std::ostream& out, const std::vector<std::string>& notes) {
  for (const std::string& note : notes)
    fmt::print(out, "Note: {}\n", note);
}

void print_report(std::ostream& out, const core::PredictionImportReport& report) {
  std::string kinds;
  for (const auto& [kind, count] : report.counts_by_kind) {
    kinds += fmt::format("{}{} {}", kinds.empty() ? "" : ", ", count, kind);
  }
  fmt::print(out, "{} prediction set '{}' ({} format): {} prediction(s) ({}) in {:.2f} s.\n",
             report.replaced ? "Replaced" : "Imported", report.set_name, report.format,
             report.imported, kinds, report.seconds);
  print_skipped(out, report.skipped);
  if (report.units_without_predictions > 0) {
    std::string examples;
    for (const auto& title : report.units_without_predictions_examples) {
      examples += (examples.empty() ? "" : ", ") + title;
    }
    fmt::print(out, "{} data unit(s) have no prediction (e.g. {}).\n",
               report.units_without_predictions, examples);
  }
  if (!report.classes_never_seen.empty()) {
    std::string names;
    for (const auto& name : report.classes_never_seen)
      names += (names.empty() ? "" : ", ") + name;
    fmt::print(out, "Classes never predicted: {}.\n", names);
  }
  print_notes(out, report.notes);
}

void configure(CLI::App& command, CliContext& context,
               const std::shared_ptr<ImportArguments>& arguments, const std::string& format,
               bool path_required) {
  command.add_option(
      "--format", arguments->format,
      "Input format (see `ea plugins list`); without it every importer's probe votes");
  command.add_option("--name", arguments->name, "Prediction set name (default: the file name)");
  command.add_flag("--replace", arguments->replace, "Replace a set of the same name");
  command.add_flag("--skip-invalid", arguments->skip_invalid,
                   "Skip invalid records and report them instead of failing");
  command.add_flag("--no-metrics", arguments->no_metrics,
                   "Do not run the selected metrics on the imported predictions");
  CLI::Option* path = command.add_option("PATH", arguments->input, "File or folder to import");
  if (path_required)
    path->required();
  const std::vector<sdk::OptionSpec> specs =
      offer_format_options(command, context, *arguments, format);
  command.callback([&context, &command, arguments, specs] {
    if (!command.get_subcommands().empty())
      return;  // `ea import predictions …` runs instead
    if (arguments->input.empty()) {
      throw core::Failure("`ea " + command.get_name() + "` needs the PATH of the file to import.");
    }
    core::PredictionImportRequest request;
    request.input = arguments->input;
    request.format = arguments->format;
    request.set_name = arguments->name;
    request.replace = arguments->replace;
    request.skip_invalid = arguments->skip_invalid;
    request.options = option_values(*arguments, specs);
    core::Project project = context.open_project();
    const auto report =
        core::import_predictions(project, context.plugins(), request, context.diagnostics());
    print_report(context.out(), report);
    if (arguments->no_metrics)
      return;
    // The import is committed; the metrics are a second step with their own transaction.
    core::MetricRunRequest metrics;
    metrics.set = report.set_name;
    metrics.ground_truth = false;
    metrics.progress = true;
    try {
      print_metric_report(context.out(), core::run_metrics(project, context.plugins(), metrics,
                                                           context.diagnostics()));
    } catch (const core::Failure& error) {
      throw core::Failure(std::string(error.what()) + " The predictions were imported; run `ea " +
                          "metrics run --set " + report.set_name + "` once that is mended.");
    }
  });
}

void print_project_report(std::ostream& out, const core::ProjectImportReport& report) {
  std::string labels;
  std::uint64_t total = 0;
  for (const auto& [kind, count] : report.labels_by_kind) {
    labels += fmt::format("{}{} {}", labels.empty() ? "" : ", ", count, kind);
    total += count;
  }
  fmt::print(out,
             "{} the project ({} format): {} data unit(s), {} class(es), {} classification(s), {} "
             "label(s){} of which {} crowd, {} source id(s) in {:.2f} s.\n",
             report.created ? "Created" : "Added to", report.format, report.data_units,
             report.objects, report.classifications, total,
             labels.empty() ? "" : " (" + labels + ")", report.crowd_labels, report.external_ids,
             report.seconds);
  if (!report.missing_images.empty()) {
    std::string examples;
    for (std::size_t i = 0; i < report.missing_images.size() && i < 5; ++i) {
      examples += (i == 0 ? "" : ", ") + report.missing_images[i];
    }
    fmt::print(out, "{} image file(s) are missing under --images (e.g. {}).\n",
               report.missing_images.size(), examples);
  }
  print_skipped(out, report.skipped);
  print_notes(out, report.notes);
}

void configure_project(CLI::App& command, CliContext& context,
                       const std::shared_ptr<ImportArguments>& arguments,
                       const std::string& format) {
  command.add_option("--format", arguments->format, "Ground-truth format (see `ea plugins list`)");
  command
      .add_option("--images", arguments->images, "Look up every image here and check its real size")
      ->check(CLI::ExistingDirectory);
  command.add_flag("--strict", arguments->strict, "A missing image file is an error");
  command.add_flag("--skip-invalid", arguments->skip_invalid,
                   "Skip invalid records and report them instead of failing");
  command.add_option("PATH", arguments->input, "Ground-truth file to import")->required();
  const std::vector<sdk::OptionSpec> specs =
      offer_format_options(command, context, *arguments, format);
  command.callback([&context, arguments, specs] {
    core::ProjectImportRequest request;
    request.target = context.options().target.value_or(std::filesystem::current_path());
    request.input = arguments->input;
    request.format = arguments->format;
    request.images = arguments->images;
    request.strict = arguments->strict;
    request.skip_invalid = arguments->skip_invalid;
    request.options = option_values(*arguments, specs);
    const auto report = core::import_project(request, context.plugins(), context.diagnostics());
    print_project_report(context.out(), report);
  });
}

}  // namespace

void add_import_command(CLI::App& app, CliContext& context, const std::string& format) {
  CLI::App* import =
      app.add_subcommand("import",
                         "Import predictions; `ea import --format F PATH` is short for `ea import "
                         "predictions --format F PATH`");
  import->require_subcommand(0, 1);
  CLI::App* predictions =
      import->add_subcommand("predictions", "Import a file of predictions as a new prediction set");
  configure(*predictions, context, std::make_shared<ImportArguments>(), format, true);
  CLI::App* project = import->add_subcommand(
      "project",
      "Import ground truth (data units, classes, labels) into --target; a folder "
      "without a project gets a new one");
  configure_project(*project, context, std::make_shared<ImportArguments>(), format);
  configure(*import, context, std::make_shared<ImportArguments>(), format, false);
}

}  // namespace ea::cli
