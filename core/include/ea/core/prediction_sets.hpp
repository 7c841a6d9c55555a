// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ea/core/store.hpp"

namespace ea::core {

/// A prediction set as `ea predictions list` shows it.
struct PredictionSetSummary {
  std::string name;                                     ///< unique within the project
  std::string format;                                   ///< the importer that read it
  std::string source_path;                              ///< the file imported
  std::string source_sha256;                            ///< its SHA-256
  std::string options;                                  ///< the import options as JSON
  std::string created_at;                               ///< UTC, ISO 8601
  std::uint64_t skipped = 0;                            ///< records skipped with --skip-invalid
  std::uint64_t total = 0;                              ///< predictions stored
  std::map<std::string, std::uint64_t> counts_by_kind;  ///< bounding_box, polygon, mask, …
};

/// Every prediction set, oldest first.
std::vector<PredictionSetSummary> list_prediction_sets(Store& store);

/// Deletes a set and its predictions in one transaction; throws Failure when there is none.
void remove_prediction_set(Store& store, const std::string& name);

/// Deletes the set named `name` and its predictions inside the caller's transaction; returns
/// whether there was one.
bool delete_prediction_set(SQLite::Database& db, const std::string& name);

}  // namespace ea::core
