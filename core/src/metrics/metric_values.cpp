// SPDX-License-Identifier: Apache-2.0
#include "metric_values.hpp"

#include <algorithm>
#include <tuple>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

namespace ea::core::metrics {

namespace {

// Rows per INSERT: a multi-row statement costs one step for many rows.
constexpr std::size_t kBatch = 256;

std::string insert_sql(const char* table, const char* columns, const char* row, std::size_t rows) {
  std::string sql = std::string("INSERT INTO ") + table + " (" + columns + ") VALUES ";
  for (std::size_t i = 0; i < rows; ++i)
    sql += (i == 0 ? "" : ",") + std::string(row);
  return sql;
}

// Inserts `rows` in batches; `bind(statement, first_parameter, row)` binds one row.
template <class Row, class Bind>
void insert_all(SQLite::Database& db, const char* table, const char* columns, const char* row,
                int parameters, const std::vector<Row>& rows, Bind bind) {
  SQLite::Statement full(db, insert_sql(table, columns, row, kBatch));
  std::size_t at = 0;
  for (; at + kBatch <= rows.size(); at += kBatch) {
    for (std::size_t i = 0; i < kBatch; ++i)
      bind(full, static_cast<int>(i) * parameters + 1, rows[at + i]);
    full.exec();
    full.reset();
  }
  if (at == rows.size())
    return;
  SQLite::Statement tail(db, insert_sql(table, columns, row, rows.size() - at));
  for (std::size_t i = 0; at + i < rows.size(); ++i)
    bind(tail, static_cast<int>(i) * parameters + 1, rows[at + i]);
  tail.exec();
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
  // One statement per table and set: the keys lead with the object, so a statement per metric
  // would scan the same rows once for every metric.
  std::string names = "(";
  for (std::size_t i = 0; i < metrics.size(); ++i)
    names += i == 0 ? "?" : ",?";
  names += ")";
  const auto bind_names = [&](SQLite::Statement& statement, int first) {
    for (std::size_t i = 0; i < metrics.size(); ++i)
      statement.bindNoCopy(first + static_cast<int>(i), metrics[i]);
  };
  for (const SetRange& set : sets) {
    SQLite::Statement objects(db,
                              "DELETE FROM prediction_metrics WHERE prediction_id BETWEEN ? "
                              "AND ? AND metric IN " +
                                  names);
    objects.bind(1, set.first);
    objects.bind(2, set.last);
    bind_names(objects, 3);
    objects.exec();
    SQLite::Statement frames(db,
                             "DELETE FROM frame_metrics WHERE set_id = ? AND metric IN " + names);
    frames.bind(1, set.id);
    bind_names(frames, 2);
    frames.exec();
  }
  if (ground_truth) {
    SQLite::Statement labels(db, "DELETE FROM label_metrics WHERE metric IN " + names);
    bind_names(labels, 1);
    labels.exec();
    SQLite::Statement frames(db,
                             "DELETE FROM frame_metrics WHERE set_id = 0 AND metric IN " + names);
    bind_names(frames, 1);
    frames.exec();
  }
  // In key order, so every insert appends to its table's B-tree.
  const auto by_key = [](const ObjectValue& a, const ObjectValue& b) {
    return std::tie(a.id, a.metric) < std::tie(b.id, b.metric);
  };
  std::sort(values.predictions.begin(), values.predictions.end(), by_key);
  std::sort(values.labels.begin(), values.labels.end(), by_key);
  const auto bind_object = [&](SQLite::Statement& statement, int at, const ObjectValue& value) {
    statement.bind(at, value.id);
    statement.bindNoCopy(at + 1, metrics[value.metric]);
    statement.bind(at + 2, value.value);
  };
  insert_all(db, "prediction_metrics", "prediction_id, metric, value", "(?,?,?)", 3,
             values.predictions, bind_object);
  insert_all(db, "label_metrics", "label_id, metric, value", "(?,?,?)", 3, values.labels,
             bind_object);
  insert_all(db, "frame_metrics", "data_unit_id, frame, set_id, metric, value", "(?,?,?,?,?)", 5,
             values.frames, [&](SQLite::Statement& statement, int at, const FrameValue& value) {
               statement.bind(at, value.data_unit_id);
               statement.bind(at + 1, value.frame);
               statement.bind(at + 2, value.set_id);
               statement.bindNoCopy(at + 3, metrics[value.metric]);
               statement.bind(at + 4, value.value);
             });
  transaction.commit();
}

}  // namespace ea::core::metrics
