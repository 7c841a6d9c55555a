// SPDX-License-Identifier: Apache-2.0
#include "ea/core/metric_columns.hpp"

#include <SQLiteCpp/Statement.h>

namespace ea::core {

namespace {

// The three tables of values, each with its key columns.
struct ValueTable {
  const char* table;  // the columns' table
  const char* keys;   // its key columns, as the view shows them
  const char* view;   // the view of one value per row
};
constexpr ValueTable kValueTables[] = {
    {"prediction_metric_values", "prediction_id", "prediction_metrics"},
    {"label_metric_values", "label_id", "label_metrics"},
    {"frame_metric_values", "data_unit_id, frame, set_id", "frame_metrics"},
};

std::string quoted(const std::string& text) {
  std::string sql = "'";
  for (const char c : text)
    sql += c == '\'' ? std::string("''") : std::string(1, c);
  return sql + "'";
}

bool has_column(SQLite::Database& db, const char* table, const std::string& column) {
  SQLite::Statement query(db, "SELECT 1 FROM pragma_table_info(?) WHERE name = ?");
  query.bind(1, table);
  query.bind(2, column);
  return query.executeStep();
}

// The views, one UNION ALL arm per metric column.
void rebuild_views(SQLite::Database& db) {
  const std::vector<MetricColumn> metrics = metric_columns(db);
  for (const ValueTable& values : kValueTables) {
    std::string select;
    for (const auto& [name, column] : metrics) {
      select += (select.empty() ? "" : " UNION ALL ") + std::string("SELECT ") + values.keys +
                ", " + quoted(name) + " AS metric, " + column + " AS value FROM " + values.table +
                " WHERE " + column + " IS NOT NULL";
    }
    if (select.empty())
      select = std::string("SELECT ") + values.keys + ", NULL AS metric, NULL AS value FROM " +
               values.table + " WHERE 0";
    db.exec(std::string("DROP VIEW IF EXISTS ") + values.view);
    db.exec(std::string("CREATE VIEW ") + values.view + " AS " + select);
  }
}

}  // namespace

std::string metric_column(std::int64_t id) {
  return "m" + std::to_string(id);
}

std::vector<MetricColumn> metric_columns(SQLite::Database& db) {
  std::vector<MetricColumn> metrics;
  SQLite::Statement query(db, "SELECT id, name FROM metric_names ORDER BY name");
  while (query.executeStep()) {
    std::string column = metric_column(query.getColumn(0).getInt64());
    if (has_column(db, kValueTables[0].table, column))
      metrics.push_back(MetricColumn{query.getColumn(1).getString(), std::move(column)});
  }
  return metrics;
}

std::vector<std::int64_t> ensure_metric_columns(SQLite::Database& db,
                                                const std::vector<std::string>& names) {
  SQLite::Statement add(db, "INSERT OR IGNORE INTO metric_names (name) VALUES (?)");
  SQLite::Statement find(db, "SELECT id FROM metric_names WHERE name = ?");
  std::vector<std::int64_t> ids;
  bool added = false;
  for (const std::string& name : names) {
    add.bind(1, name);
    add.exec();
    add.reset();
    find.bind(1, name);
    find.executeStep();
    const std::int64_t id = find.getColumn(0).getInt64();
    find.reset();
    ids.push_back(id);
    if (!has_column(db, kValueTables[0].table, metric_column(id))) {
      for (const ValueTable& values : kValueTables)
        db.exec(std::string("ALTER TABLE ") + values.table + " ADD COLUMN " + metric_column(id) +
                " REAL");
      added = true;
    }
  }
  if (added)
    rebuild_views(db);
  return ids;
}

void move_metric_values_to_columns(SQLite::Database& db) {
  std::vector<std::string> names;
  {
    SQLite::Statement query(db,
                            "SELECT metric FROM prediction_metrics UNION SELECT metric FROM "
                            "label_metrics UNION SELECT metric FROM frame_metrics");
    while (query.executeStep())
      names.push_back(query.getColumn(0).getString());
  }
  for (const ValueTable& values : kValueTables)
    db.exec(std::string("ALTER TABLE ") + values.view + " RENAME TO " + values.view + "_v6");
  const std::vector<std::int64_t> ids = ensure_metric_columns(db, names);
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string column = metric_column(ids[i]);
    for (const ValueTable& values : kValueTables) {
      SQLite::Statement move(db, std::string("INSERT INTO ") + values.table + " (" + values.keys +
                                     ", " + column + ") SELECT " + values.keys + ", value FROM " +
                                     values.view + "_v6 WHERE metric = ? " +
                                     "AND true ON CONFLICT DO UPDATE SET " + column +
                                     " = excluded." + column);
      move.bind(1, names[i]);
      move.exec();
    }
  }
  for (const ValueTable& values : kValueTables)
    db.exec(std::string("DROP TABLE ") + values.view + "_v6");
  rebuild_views(db);
}

}  // namespace ea::core
