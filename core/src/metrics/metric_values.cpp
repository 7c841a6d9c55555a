// SPDX-License-Identifier: Apache-2.0
#include "metric_values.hpp"

#include <algorithm>
#include <tuple>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "ea/core/prepared_statement.hpp"

namespace ea::core::metrics {

namespace {

// Rows per INSERT: a multi-row statement costs one step for many rows.
constexpr std::size_t kBatch = 256;

std::string insert_sql(const char* table, const char* row, std::size_t rows) {
  std::string sql = std::string("INSERT INTO ") + table + " VALUES ";
  for (std::size_t i = 0; i < rows; ++i)
    sql += (i == 0 ? "" : ",") + std::string(row);
  return sql;
}

// Inserts `rows` in batches; `bind(statement, first_parameter, row)` binds one row. On the plain
// C API: millions of rows are bound here.
template <class Row, class Bind>
void insert_all(SQLite::Database& db, const char* table, const char* row, int parameters,
                const std::vector<Row>& rows, Bind bind) {
  PreparedStatement full(db, insert_sql(table, row, kBatch));
  std::size_t at = 0;
  for (; at + kBatch <= rows.size(); at += kBatch) {
    for (std::size_t i = 0; i < kBatch; ++i)
      bind(full.handle(), static_cast<int>(i) * parameters + 1, rows[at + i]);
    full.run();
  }
  if (at == rows.size())
    return;
  PreparedStatement tail(db, insert_sql(table, row, rows.size() - at));
  for (std::size_t i = 0; at + i < rows.size(); ++i)
    bind(tail.handle(), static_cast<int>(i) * parameters + 1, rows[at + i]);
  tail.run();
}

// The id of each of `metrics` in metric_names, added when new.
std::vector<std::int64_t> metric_ids(SQLite::Database& db,
                                     const std::vector<std::string>& metrics) {
  SQLite::Statement add(db, "INSERT OR IGNORE INTO metric_names (name) VALUES (?)");
  SQLite::Statement find(db, "SELECT id FROM metric_names WHERE name = ?");
  std::vector<std::int64_t> ids;
  for (const std::string& name : metrics) {
    add.bind(1, name);
    add.exec();
    add.reset();
    find.bind(1, name);
    find.executeStep();
    ids.push_back(find.getColumn(0).getInt64());
    find.reset();
  }
  return ids;
}

}  // namespace

void MetricValues::append(MetricValues&& other) {
  // Into an empty list the other's storage moves as it is: millions of values are not copied.
  const auto join = [](auto& into, auto& from) {
    if (into.empty()) {
      into = std::move(from);
    } else {
      into.insert(into.end(), from.begin(), from.end());
      from = {};
    }
  };
  join(predictions, other.predictions);
  join(labels, other.labels);
  join(frames, other.frames);
}

void store_metric_values(Store& store, const std::vector<std::string>& metrics,
                         const std::vector<SetRange>& sets, bool ground_truth,
                         MetricValues& values) {
  SQLite::Database& db = store.db();
  SQLite::Transaction transaction(db);
  const std::vector<std::int64_t> ids = metric_ids(db, metrics);
  // One statement per table and set: the keys lead with the object, so a statement per metric
  // would scan the same rows once for every metric. The ids are integers of our own: literals.
  std::string in_ids = " AND metric_id IN (";
  for (std::size_t i = 0; i < ids.size(); ++i)
    in_ids += (i == 0 ? "" : ",") + std::to_string(ids[i]);
  in_ids += ")";
  for (const SetRange& set : sets) {
    SQLite::Statement objects(
        db, "DELETE FROM prediction_metric_values WHERE prediction_id BETWEEN ? AND ?" + in_ids);
    objects.bind(1, set.first);
    objects.bind(2, set.last);
    objects.exec();
    SQLite::Statement frames(db, "DELETE FROM frame_metric_values WHERE set_id = ?" + in_ids);
    frames.bind(1, set.id);
    frames.exec();
  }
  if (ground_truth) {
    db.exec("DELETE FROM label_metric_values WHERE 1" + in_ids);
    db.exec("DELETE FROM frame_metric_values WHERE set_id = 0" + in_ids);
  }
  // From the run's metric index to the store's id, then in key order, so that every insert
  // appends to its table's B-tree.
  const auto to_ids = [&](auto& rows) {
    for (auto& row : rows)
      row.metric = static_cast<std::uint32_t>(ids[row.metric]);
  };
  to_ids(values.predictions);
  to_ids(values.labels);
  to_ids(values.frames);
  const auto by_key = [](const ObjectValue& a, const ObjectValue& b) {
    return std::tie(a.id, a.metric) < std::tie(b.id, b.metric);
  };
  std::sort(values.predictions.begin(), values.predictions.end(), by_key);
  std::sort(values.labels.begin(), values.labels.end(), by_key);
  const auto bind_object = [](sqlite3_stmt* statement, int at, const ObjectValue& value) {
    sqlite3_bind_int64(statement, at, value.id);
    sqlite3_bind_int64(statement, at + 1, value.metric);
    sqlite3_bind_double(statement, at + 2, value.value);
  };
  insert_all(db, "prediction_metric_values", "(?,?,?)", 3, values.predictions, bind_object);
  insert_all(db, "label_metric_values", "(?,?,?)", 3, values.labels, bind_object);
  insert_all(db, "frame_metric_values", "(?,?,?,?,?)", 5, values.frames,
             [](sqlite3_stmt* statement, int at, const FrameValue& value) {
               sqlite3_bind_int64(statement, at, value.data_unit_id);
               sqlite3_bind_int64(statement, at + 1, value.frame);
               sqlite3_bind_int64(statement, at + 2, value.set_id);
               sqlite3_bind_int64(statement, at + 3, value.metric);
               sqlite3_bind_double(statement, at + 4, value.value);
             });
  transaction.commit();
}

}  // namespace ea::core::metrics
