// SPDX-License-Identifier: Apache-2.0
#include "ea/core/project_init.hpp"

#include <SQLiteCpp/Transaction.h>

#include "ea/core/failure.hpp"
#include "ea/core/media_scan.hpp"
#include "ea/core/ontology_file.hpp"
#include "ea/core/project.hpp"
#include "ea/core/project_writer.hpp"
#include "ea/core/store.hpp"

namespace ea::core {

namespace fs = std::filesystem;

namespace {

void remove_store_files(const fs::path& store, bool keep_main = false) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    if (keep_main && *suffix == '\0')
      continue;
    std::error_code ignored;
    fs::remove(fs::path(store).concat(suffix), ignored);
  }
}

}  // namespace

InitSummary init_project(const InitRequest& request, Diagnostics& diagnostics) {
  const fs::path root = fs::absolute(request.target);
  const fs::path config_file = root / kConfigFile;
  if (fs::exists(config_file) && !request.force) {
    throw Failure(root.string() + " is already an ea project; pass --force to replace it.");
  }

  // Read everything before touching the target, so a bad input leaves it as it was.
  std::vector<sdk::DataUnit> units;
  fs::path images;
  if (request.images) {
    images = fs::absolute(*request.images);
    units = scan_media(images, diagnostics);
    if (units.empty())
      diagnostics.warn("no images or videos found under " + images.string());
  }
  Ontology ontology;
  if (request.ontology)
    ontology = read_ontology_file(*request.ontology);

  fs::create_directories(root);
  const fs::path store_file = root / kStoreFile;
  const fs::path building = fs::path(store_file).concat(".new");
  remove_store_files(building);
  std::size_t groups = 0;
  try {
    Store store = Store::create(building);
    SQLite::Transaction transaction(store.db());
    insert_data_units(store.db(), units);
    if (request.groups)
      groups = insert_image_groups(store.db(), units);
    insert_ontology(store.db(), ontology);
    transaction.commit();
    // Fold the WAL into the file so the renamed store stands alone.
    store.db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
  } catch (const SQLite::Exception& error) {
    remove_store_files(building);
    throw Failure("cannot create the project store in " + root.string() + ": " + error.what() +
                  ".");
  } catch (...) {
    remove_store_files(building);
    throw;
  }
  // The old store's journal files must not survive next to the new store; the main file is then
  // replaced in one rename.
  remove_store_files(store_file, /*keep_main=*/true);
  fs::rename(building, store_file);
  remove_store_files(building);

  ProjectConfig config;
  config.name = request.name.value_or(root.filename().string());
  config.images = images;
  write_config(config_file, config);

  InitSummary summary;
  for (const sdk::DataUnit& unit : units) {
    (unit.kind == sdk::MediaKind::video ? summary.videos : summary.images) += 1;
  }
  summary.objects = ontology.objects.size();
  summary.classifications = ontology.classifications.size();
  summary.groups = groups;
  return summary;
}

}  // namespace ea::core
