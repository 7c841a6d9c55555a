// SPDX-License-Identifier: Apache-2.0
#include "metric_values.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "ea/core/metric_columns.hpp"
#include "ea/core/prepared_statement.hpp"

namespace ea::core::metrics {

namespace {

// Bound parameters per INSERT at most (SQLite allows 32,766): a multi-row statement costs one
// step for many rows.
constexpr std::size_t kParametersPerInsert = 8192;

// The values of one stored row, one slot per run metric; NaN (never a metric's value, which is
// finite) where the object has none.
using RowValues = std::vector<double>;

// Writes `values` (of one kind: objects or frames) as rows of `table`, one per key, each holding
// every run metric's column: the metric's value or NULL. A row already there is overwritten.
// `key_of(value)` gives a value's key, an array of integers in the order of `key_columns`.
template <class Value, std::size_t Keys, class KeyOf>
void write_rows(SQLite::Database& db, const char* table,
                const std::array<const char*, Keys>& key_columns,
                const std::vector<std::string>& value_columns, std::vector<Value>& values,
                KeyOf key_of) {
  std::sort(values.begin(), values.end(), [&](const Value& a, const Value& b) {
    return std::pair(key_of(a), a.metric) < std::pair(key_of(b), b.metric);
  });
  std::vector<std::size_t> row_starts;  // where each key's values begin
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i == 0 || key_of(values[i]) != key_of(values[i - 1]))
      row_starts.push_back(i);
  }
  std::string columns, conflict, update;
  for (const char* key : key_columns) {
    columns += std::string(columns.empty() ? "" : ", ") + key;
    conflict += std::string(conflict.empty() ? "" : ", ") + key;
  }
  for (const std::string& column : value_columns) {
    columns += ", " + column;
    update += (update.empty() ? "" : ", ") + column + " = excluded." + column;
  }
  const std::size_t per_row = Keys + value_columns.size();
  std::string row = "(?";
  for (std::size_t i = 1; i < per_row; ++i)
    row += ",?";
  row += ")";
  const auto sql = [&](std::size_t rows) {
    std::string text = std::string("INSERT INTO ") + table + " (" + columns + ") VALUES ";
    for (std::size_t i = 0; i < rows; ++i)
      text += (i == 0 ? "" : ",") + row;
    return text + " ON CONFLICT (" + conflict + ") DO UPDATE SET " + update;
  };
  const auto bind_row = [&](sqlite3_stmt* statement, int at, std::size_t row_index) {
    const std::size_t begin = row_starts[row_index];
    const std::size_t end =
        row_index + 1 < row_starts.size() ? row_starts[row_index + 1] : values.size();
    const auto key = key_of(values[begin]);
    for (std::size_t k = 0; k < Keys; ++k)
      sqlite3_bind_int64(statement, at + static_cast<int>(k), key[k]);
    RowValues slots(value_columns.size(), std::numeric_limits<double>::quiet_NaN());
    for (std::size_t i = begin; i < end; ++i)
      slots[values[i].metric] = values[i].value;
    for (std::size_t m = 0; m < slots.size(); ++m) {
      const int parameter = at + static_cast<int>(Keys + m);
      if (std::isnan(slots[m]))
        sqlite3_bind_null(statement, parameter);
      else
        sqlite3_bind_double(statement, parameter, slots[m]);
    }
  };
  const std::size_t batch = std::max<std::size_t>(1, kParametersPerInsert / per_row);
  std::size_t at = 0;
  if (row_starts.size() >= batch) {
    PreparedStatement full(db, sql(batch));
    for (; at + batch <= row_starts.size(); at += batch) {
      for (std::size_t i = 0; i < batch; ++i)
        bind_row(full.handle(), static_cast<int>(i * per_row) + 1, at + i);
      full.run();
    }
  }
  if (at == row_starts.size())
    return;
  PreparedStatement tail(db, sql(row_starts.size() - at));
  for (std::size_t i = 0; at + i < row_starts.size(); ++i)
    bind_row(tail.handle(), static_cast<int>(i * per_row) + 1, at + i);
  tail.run();
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
  std::vector<std::string> columns;
  for (const std::int64_t id : ensure_metric_columns(db, metrics))
    columns.push_back(metric_column(id));
  // The run's metrics are cleared where it scored, then every row it has values for written:
  // an object this run gives no value keeps none from an earlier run.
  std::string clear = " SET ";
  for (std::size_t i = 0; i < columns.size(); ++i)
    clear += (i == 0 ? "" : ", ") + columns[i] + " = NULL";
  for (const SetRange& set : sets) {
    SQLite::Statement objects(
        db, "UPDATE prediction_metric_values" + clear + " WHERE prediction_id BETWEEN ? AND ?");
    objects.bind(1, set.first);
    objects.bind(2, set.last);
    objects.exec();
    SQLite::Statement frames(db, "UPDATE frame_metric_values" + clear + " WHERE set_id = ?");
    frames.bind(1, set.id);
    frames.exec();
  }
  if (ground_truth) {
    db.exec("UPDATE label_metric_values" + clear);
    db.exec("UPDATE frame_metric_values" + clear + " WHERE set_id = 0");
  }
  const auto object_key = [](const ObjectValue& value) { return std::array{value.id}; };
  write_rows(db, "prediction_metric_values", std::array{"prediction_id"}, columns,
             values.predictions, object_key);
  write_rows(db, "label_metric_values", std::array{"label_id"}, columns, values.labels, object_key);
  write_rows(db, "frame_metric_values", std::array{"set_id", "data_unit_id", "frame"}, columns,
             values.frames, [](const FrameValue& value) {
               return std::array{value.set_id, value.data_unit_id, value.frame};
             });
  transaction.commit();
}

}  // namespace ea::core::metrics
