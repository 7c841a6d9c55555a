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
                          "created_at, skipped, first_prediction_id, last_prediction_id "
                          "FROM prediction_sets ORDER BY id");
  std::vector<std::pair<std::int64_t, std::int64_t>> ranges;
  while (query.executeStep()) {
    ids.push_back(query.getColumn(0).getInt64());
    ranges.emplace_back(query.getColumn(8).getInt64(), query.getColumn(9).getInt64());
    sets.push_back({query.getColumn(1).getString(),
                    query.getColumn(2).getString(),
                    query.getColumn(3).getString(),
                    query.getColumn(4).getString(),
                    query.getColumn(5).getString(),
                    query.getColumn(6).getString(),
                    static_cast<std::uint64_t>(query.getColumn(7).getInt64()),
                    0,
                    {}});
  }
  SQLite::Statement counts(
      db, "SELECT kind, count(*) FROM predictions WHERE id BETWEEN ? AND ? GROUP BY kind");
  for (std::size_t i = 0; i < sets.size(); ++i) {
    counts.bind(1, ranges[i].first);
    counts.bind(2, ranges[i].second);
    while (counts.executeStep()) {
      const auto count = static_cast<std::uint64_t>(counts.getColumn(1).getInt64());
      sets[i].counts_by_kind[counts.getColumn(0).getString()] = count;
      sets[i].total += count;
    }
    counts.reset();
  }
  return sets;
}

bool delete_prediction_set(SQLite::Database& db, const std::string& name) {
  SQLite::Statement find(
      db, "SELECT id, first_prediction_id, last_prediction_id FROM prediction_sets WHERE name = ?");
  find.bind(1, name);
  if (!find.executeStep())
    return false;
  const std::int64_t id = find.getColumn(0).getInt64();
  SQLite::Statement predictions(db, "DELETE FROM predictions WHERE id BETWEEN ? AND ?");
  predictions.bind(1, find.getColumn(1).getInt64());
  predictions.bind(2, find.getColumn(2).getInt64());
  predictions.exec();
  SQLite::Statement metrics(
      db, "DELETE FROM prediction_metric_values WHERE prediction_id BETWEEN ? AND ?");
  metrics.bind(1, find.getColumn(1).getInt64());
  metrics.bind(2, find.getColumn(2).getInt64());
  metrics.exec();
  SQLite::Statement frame_metrics(db, "DELETE FROM frame_metric_values WHERE set_id = ?");
  frame_metrics.bind(1, id);
  frame_metrics.exec();
  // Stored evaluations describe the set's predictions: they go with it.
  for (const char* table : {"prediction_matches", "label_matches", "evaluation_thresholds"}) {
    SQLite::Statement matches(db, std::string("DELETE FROM ") + table +
                                      " WHERE evaluation_id IN "
                                      "(SELECT id FROM evaluations WHERE set_id = ?)");
    matches.bind(1, id);
    matches.exec();
  }
  SQLite::Statement evaluations(db, "DELETE FROM evaluations WHERE set_id = ?");
  evaluations.bind(1, id);
  evaluations.exec();
  SQLite::Statement set(db, "DELETE FROM prediction_sets WHERE id = ?");
  set.bind(1, id);
  set.exec();
  return true;
}

void remove_prediction_set(Store& store, const std::string& name) {
  SQLite::Database& db = store.db();
  SQLite::Transaction transaction(db);
  if (!delete_prediction_set(db, name)) {
    throw Failure("there is no prediction set named '" + name +
                  "'; `ea predictions list` shows the sets.");
  }
  transaction.commit();
}

}  // namespace ea::core
