// SPDX-License-Identifier: Apache-2.0
#include "ea/core/project_import.hpp"

#include <chrono>

#include <SQLiteCpp/Transaction.h>

#include "ea/core/failure.hpp"
#include "ea/core/plugin_boundary.hpp"
#include "ea/core/project.hpp"
#include "ea/core/project_init.hpp"
#include "project_sink.hpp"

namespace ea::core {

namespace fs = std::filesystem;

namespace {

// Removes a project this import created, so a failed import leaves the folder as it found it.
class CreatedProject {
 public:
  explicit CreatedProject(fs::path root) : root_(std::move(root)) {}
  ~CreatedProject() {
    if (root_.empty())
      return;
    std::error_code ignored;
    for (const char* name : {kConfigFile, kStoreFile})
      fs::remove(root_ / name, ignored);
    for (const char* suffix : {"-wal", "-shm"}) {
      fs::remove(fs::path(root_ / kStoreFile).concat(suffix), ignored);
    }
  }
  CreatedProject(const CreatedProject&) = delete;
  CreatedProject& operator=(const CreatedProject&) = delete;
  void keep() { root_.clear(); }

 private:
  fs::path root_;
};

}  // namespace

void read_ground_truth(Store& store, const ImporterRegistration& importer,
                       const ProjectImportRequest& request, const PluginHost& host,
                       ProjectImportReport& report, LabelRowConsumer* labels) {
  SQLite::Transaction transaction(store.db());
  ProjectSink sink(store, request, report, labels);
  const auto instance = host.make_importer(importer);
  const std::string head = read_head(request.input);
  const sdk::Input input{request.input, head};
  // The image folder reaches the importer as the option "images" (sdk/options.hpp).
  sdk::OptionValues options = request.options;
  if (request.images)
    options.set("images", fs::absolute(*request.images).string());
  call_plugin(importer.plugin, request.input, [&] {
    instance->read(input, sdk::ImportKind::project, options, ProjectSnapshot::load(store), sink);
  });
  transaction.commit();
}

ProjectImportReport import_project(const ProjectImportRequest& given, const PluginHost& host,
                                   Diagnostics& diagnostics) {
  const auto started = std::chrono::steady_clock::now();
  ProjectImportRequest request = given;
  request.input = checked_input(given.input);
  if (request.images && !fs::is_directory(*request.images)) {
    throw Failure("the image folder " + request.images->string() + " does not exist.");
  }
  const ImporterRegistration& importer = choose_importer(host, request.input, request.format);

  ProjectImportReport report;
  report.format = importer.info.format;
  const fs::path root = fs::absolute(request.target);
  std::optional<CreatedProject> created;
  if (!fs::exists(root / kConfigFile)) {
    init_project(InitRequest{root, std::nullopt, std::nullopt, std::nullopt, false}, diagnostics);
    created.emplace(root);
    report.created = true;
  }
  Project project = Project::open(root);
  read_ground_truth(project.store(), importer, request, host, report);
  if (created)
    created->keep();
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace ea::core
