// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <span>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "ea/core/ontology_file.hpp"
#include "ea/sdk/records.hpp"

namespace ea::core {

/// Inserts data units one at a time through one prepared statement (preparing one per unit cost
/// a third of importing COCO ground truth); the caller holds the transaction.
class DataUnitInserter {
 public:
  /// Prepares the statement on `db`.
  explicit DataUnitInserter(SQLite::Database& db);
  /// Inserts `unit`; returns its row id.
  std::int64_t insert(const sdk::DataUnit& unit);

 private:
  SQLite::Database& db_;
  SQLite::Statement statement_;
};

/// Inserts data units; the caller holds the transaction.
void insert_data_units(SQLite::Database& db, std::span<const sdk::DataUnit> units);

/// Makes each top-level sub-folder of the image folder an image group: every image under it
/// (already inserted, titled by its relative path) joins the group in title order, and keeps its
/// own data_hash; videos and images directly in the folder join none. Returns the number of
/// groups; the caller holds the transaction.
std::size_t insert_image_groups(SQLite::Database& db, std::span<const sdk::DataUnit> units);

/// Inserts ontology objects and classifications with their options; the caller holds the
/// transaction.
void insert_ontology(SQLite::Database& db, const Ontology& ontology);

}  // namespace ea::core
