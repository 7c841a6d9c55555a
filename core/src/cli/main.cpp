// SPDX-License-Identifier: Apache-2.0
// The `ea` command: parses the command line, runs one command, and turns every error into one
// sentence on stderr and a non-zero exit code.
#include <iostream>
#include <string_view>

#include <SQLiteCpp/Exception.h>
#include <CLI/CLI.hpp>

#include "cli_context.hpp"
#include "ea/core/failure.hpp"
#include "ea/sdk/error.hpp"

namespace {

/// The --format value of an `ea import …` command line, read before parsing so that the format's
/// own options can be offered to the parser.
std::string import_format(int argc, char** argv) {
  bool importing = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "import")
      importing = true;
    if (!importing)
      continue;
    if (arg == "--format" && i + 1 < argc)
      return argv[i + 1];
    if (arg.starts_with("--format="))
      return std::string(arg.substr(9));
  }
  return {};
}

/// Fills the options that plugin loading depends on before the full parse.
void prescan_globals(int argc, char** argv, ea::cli::GlobalOptions& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--verbose")
      options.verbose = true;
    if (arg == "--plugin" && i + 1 < argc)
      options.plugin_files.emplace_back(argv[i + 1]);
    if (arg.starts_with("--plugin="))
      options.plugin_files.emplace_back(std::string(arg.substr(9)));
  }
}

int run(int argc, char** argv) {
  ea::cli::CliContext context(std::cout, std::cerr);
  CLI::App app{
      "ea: bring computer-vision predictions beside their data and ground truth, and "
      "evaluate them.",
      "ea"};
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option(
      "-t,--target", context.options().target,
      "Project folder (default: the current folder or the nearest one above with ea.json)");
  app.add_flag("--verbose", context.options().verbose, "Print the host's decisions on stderr");
  app.add_option("--plugin", context.options().plugin_files,
                 "Load exactly this plugin file (repeatable); it wins over same-named plugins")
      ->check(CLI::ExistingFile);

  const std::string format = import_format(argc, argv);
  if (!format.empty()) {
    prescan_globals(argc, argv, context.options());
    context.plugins();
  }
  ea::cli::add_init_command(app, context);
  ea::cli::add_import_command(app, context, format);
  ea::cli::add_print_command(app, context);
  ea::cli::add_predictions_command(app, context);
  ea::cli::add_plugins_command(app, context);
  ea::cli::add_metrics_command(app, context);
  ea::cli::add_evaluate_command(app, context);
  ea::cli::add_cocoeval_command(app, context);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ExtrasError& error) {
    if (format.empty())
      return app.exit(error);
    // Name what the format does accept, since its options exist only after --format.
    std::string accepted;
    if (const auto* importer = context.plugins().find_importer(format)) {
      for (const auto& spec : context.plugins().make_importer(*importer)->options()) {
        accepted += (accepted.empty() ? "--" : ", --") + spec.name;
      }
    }
    std::cerr << "error: " << error.what() << "; format '" << format << "' accepts "
              << (accepted.empty() ? std::string("no options of its own") : accepted) << ".\n";
    return error.get_exit_code();
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const ea::core::Failure& error) {
    std::cerr << "error: " << error.what() << '\n';
  } catch (const ea::sdk::Error& error) {
    std::cerr << "error: " << error.what() << ".\n";
  } catch (const SQLite::Exception& error) {
    std::cerr << "error: the project store failed: " << error.what() << ".\n";
  } catch (const std::filesystem::filesystem_error& error) {
    std::cerr << "error: " << error.code().message() << ": " << error.path1().string() << ".\n";
  } catch (const std::exception& error) {
    std::cerr << "error: " << error.what() << ".\n";
  }
  return 1;
}
