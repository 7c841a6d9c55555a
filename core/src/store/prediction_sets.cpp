// SPDX-License-Identifier: Apache-2.0
#include "ea/core/prediction_sets.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "ea/core/failure.hpp"

namespace ea::core {

std::vector<PredictionSetSummary> list_prediction_sets(Store& store) {
  SQLite::Database& db = store.db();
  std::vector<PredictionSetSummary> sets;
  std::vector<std::int64_t> ids;
  SQLite::Statement query(db,
                          "SELECT id, name, format, source_path, source_sha256, options, "
                          "created_at, skipped FROM prediction_sets ORDER BY id");
  while (query.executeStep()) {
    ids.push_back(query.getColumn(0).getInt64());
    sets.push_back({query.getColumn(1).getString(), query.getColumn(2).getString(),
                    query.getColumn(3).getString(), query.getColumn(4).getString(),
                    query.getColumn(5).getString(), query.getColumn(6).getString(),
                    static_cast<std::uint64_t>(query.getColumn(7).getInt64()), 0, {}});
  }
  SQLite::Statement counts(db,
                           "SELECT kind, count(*) FROM predictions WHERE set_id = ? GROUP BY kind");
  for (std::size_t i = 0; i < sets.size(); ++i) {
    counts.bind(1, ids[i]);
    while (counts.executeStep()) {
      const auto count = static_cast<std::uint64_t>(counts.getColumn(1).getInt64());
      sets[i].counts_by_kind[counts.getColumn(0).getString()] = count;
      sets[i].total += count;
    }
    counts.reset();
  }
  return sets;
}

void remove_prediction_set(Store& store, const std::string& name) {
  SQLite::Database& db = store.db();
  SQLite::Transaction transaction(db);
  SQLite::Statement remove(db, "DELETE FROM prediction_sets WHERE name = ?");
  remove.bind(1, name);
  if (remove.exec() == 0) {
    throw Failure("there is no prediction set named '" + name +
                  "'; `ea predictions list` shows the sets.");
  }
  transaction.commit();
}

}  // namespace ea::core
