// SPDX-License-Identifier: Apache-2.0
#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli_context.hpp"
#include "ea/core/project_init.hpp"

namespace ea::cli {

namespace {
struct InitArguments {
  std::optional<std::filesystem::path> images;
  std::optional<std::string> name;
  std::optional<std::filesystem::path> ontology;
  bool force = false;
  bool groups = false;
};
}  // namespace

void add_init_command(CLI::App& app, CliContext& context) {
  auto arguments = std::make_shared<InitArguments>();
  CLI::App* init = app.add_subcommand(
      "init",
      "Create a project (ea.json and ea.db) in --target or the current folder, with a data "
      "unit for every image and video under --images");
  init->add_option("--images", arguments->images,
                   "Folder of images (jpg, jpeg, png, bmp, tif, tiff, webp) and videos (mp4, avi, "
                   "mov, mkv), searched recursively")
      ->check(CLI::ExistingDirectory);
  init->add_option("--name", arguments->name, "Project name (default: the folder's name)");
  init->add_option("--ontology", arguments->ontology,
                   "Ontology JSON: {\"objects\":[{\"name\",\"shape\"}],\"classifications\":[…]}")
      ->check(CLI::ExistingFile);
  init->add_flag("--force", arguments->force, "Replace an existing project in the folder");
  init->add_flag("--groups", arguments->groups,
                 "Make each sub-folder of --images an image group (every image keeps its own "
                 "data_hash and frame 0; `ea print groups` lists them)");
  init->callback([&context, arguments] {
    const core::InitRequest request{
        context.options().target.value_or(std::filesystem::current_path()),
        arguments->images,
        arguments->name,
        arguments->ontology,
        arguments->force,
        arguments->groups};
    const core::InitSummary summary = core::init_project(request, context.diagnostics());
    fmt::print(context.out(),
               "Created the project in {}: {} image(s){}, {} video(s), {} object class(es), {} "
               "classification(s).\n",
               std::filesystem::absolute(request.target).string(), summary.images,
               request.groups ? fmt::format(" ({} image group(s))", summary.groups) : std::string(),
               summary.videos, summary.objects, summary.classifications);
  });
}

}  // namespace ea::cli
