// SPDX-License-Identifier: Apache-2.0
#include "metric_values.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>
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

// Writes rows of a table of values: its key columns, then a column per run metric holding the
// value or NULL; a row already there is overwritten. Multi-row INSERTs bound on the plain C API.
class RowWriter {
 public:
  // Writes `columns` of `table` from the slots `slots` of each row.
  RowWriter(SQLite::Database& db, const char* table, std::vector<const char*> keys,
            const std::vector<std::string>& columns, std::vector<std::size_t> slots)
      : db_(db), keys_(keys.size()), metrics_(columns.size()), slot_of_(std::move(slots)) {
    std::string names, update;
    for (const char* key : keys)
      names += std::string(names.empty() ? "" : ", ") + key;
    const std::string conflict = names;
    for (const std::string& column : columns) {
      names += ", " + column;
      update += (update.empty() ? "" : ", ") + column + " = excluded." + column;
    }
    head_ = std::string("INSERT INTO ") + table + " (" + names + ") VALUES ";
    tail_ = " ON CONFLICT (" + conflict + ") DO UPDATE SET " + update;
    batch_ = std::max<std::size_t>(1, kParametersPerInsert / (keys_ + metrics_));
  }

  // Adds the row of `key` (keys_ integers) with `slots` (a value per run metric, NaN for none).
  void add(const std::int64_t* key, const double* slots) {
    keys_buffer_.insert(keys_buffer_.end(), key, key + keys_);
    for (const std::size_t slot : slot_of_)
      slots_buffer_.push_back(slots[slot]);
    if (++rows_ == batch_) {
      if (!full_)
        full_.emplace(db_, sql(batch_));
      write(*full_);
    }
  }

  // Writes the rows not written yet.
  void finish() {
    if (rows_ == 0)
      return;
    PreparedStatement rest(db_, sql(rows_));
    write(rest);
  }

 private:
  std::string sql(std::size_t rows) const {
    std::string row = "(?";
    for (std::size_t i = 1; i < keys_ + metrics_; ++i)
      row += ",?";
    row += ")";
    std::string text = head_;
    for (std::size_t i = 0; i < rows; ++i)
      text += (i == 0 ? "" : ",") + row;
    return text + tail_;
  }

  void write(PreparedStatement& statement) {
    sqlite3_stmt* const handle = statement.handle();
    int parameter = 1;
    for (std::size_t row = 0; row < rows_; ++row) {
      for (std::size_t k = 0; k < keys_; ++k)
        sqlite3_bind_int64(handle, parameter++, keys_buffer_[row * keys_ + k]);
      for (std::size_t m = 0; m < metrics_; ++m) {
        const double value = slots_buffer_[row * metrics_ + m];
        if (std::isnan(value))
          sqlite3_bind_null(handle, parameter++);
        else
          sqlite3_bind_double(handle, parameter++, value);
      }
    }
    statement.run();
    keys_buffer_.clear();
    slots_buffer_.clear();
    rows_ = 0;
  }

  SQLite::Database& db_;
  std::size_t keys_, metrics_, batch_ = 1, rows_ = 0;
  std::vector<std::size_t> slot_of_;  // the run metric of each value column
  std::string head_, tail_;           // the INSERT before and after its rows
  std::optional<PreparedStatement> full_;
  std::vector<std::int64_t> keys_buffer_;
  std::vector<double> slots_buffer_;
};

// Writes the row of every scored object of `values`.
void write_objects(RowWriter& writer, const ObjectValues& values) {
  for (std::int64_t id = values.first(); id <= values.last(); ++id) {
    if (values.scored(id))
      writer.add(&id, values.row(id));
  }
  writer.finish();
}

// Writes frame values, a row per (set, data unit, frame).
void write_frames(RowWriter& writer, std::vector<FrameValue>& values, std::size_t metrics) {
  const auto key_of = [](const FrameValue& value) {
    return std::array{value.set_id, value.data_unit_id, value.frame};
  };
  std::sort(values.begin(), values.end(),
            [&](const FrameValue& a, const FrameValue& b) { return key_of(a) < key_of(b); });
  std::vector<double> slots(metrics, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t i = 0; i < values.size(); ++i) {
    slots[values[i].metric] = values[i].value;
    if (i + 1 == values.size() || key_of(values[i + 1]) != key_of(values[i])) {
      writer.add(key_of(values[i]).data(), slots.data());
      std::fill(slots.begin(), slots.end(), std::numeric_limits<double>::quiet_NaN());
    }
  }
  writer.finish();
}

}  // namespace

ObjectValues::ObjectValues(std::int64_t first, std::int64_t last, std::size_t metrics)
    : first_(first),
      metrics_(metrics),
      slots_(last >= first ? static_cast<std::size_t>(last - first + 1) * metrics : 0,
             std::numeric_limits<double>::quiet_NaN()),
      scored_(last >= first ? static_cast<std::size_t>(last - first + 1) : 0, 0) {}

void store_metric_values(Store& store, const std::vector<StoredMetric>& metrics,
                         const std::vector<SetRange>& sets, bool ground_truth,
                         MetricValues& values) {
  SQLite::Database& db = store.db();
  SQLite::Transaction transaction(db);
  std::vector<std::string> names;
  for (const StoredMetric& metric : metrics)
    names.push_back(metric.name);
  const std::vector<std::int64_t> ids = ensure_metric_columns(db, names);
  // Object rows hold the columns of the metrics that score objects, frame rows the others'.
  std::vector<std::string> object_columns, frame_columns;
  std::vector<std::size_t> object_slots, frame_slots;
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    (metrics[i].scores_objects ? object_columns : frame_columns).push_back(metric_column(ids[i]));
    (metrics[i].scores_objects ? object_slots : frame_slots).push_back(i);
  }
  // Every scored object's row is rewritten whole (NULL where it has no value now); frames are
  // cleared where the run scored, then written.
  if (!frame_columns.empty()) {
    std::string clear = " SET ";
    for (std::size_t i = 0; i < frame_columns.size(); ++i)
      clear += (i == 0 ? "" : ", ") + frame_columns[i] + " = NULL";
    for (const SetRange& set : sets) {
      SQLite::Statement frames(db, "UPDATE frame_metric_values" + clear + " WHERE set_id = ?");
      frames.bind(1, set.id);
      frames.exec();
    }
    if (ground_truth)
      db.exec("UPDATE frame_metric_values" + clear + " WHERE set_id = 0");
  }
  if (!object_columns.empty()) {
    RowWriter predictions(db, "prediction_metric_values", {"prediction_id"}, object_columns,
                          object_slots);
    for (const ObjectValues& set : values.predictions)
      write_objects(predictions, set);
    RowWriter labels(db, "label_metric_values", {"label_id"}, object_columns, object_slots);
    write_objects(labels, values.labels);
  }
  if (!frame_columns.empty()) {
    RowWriter frames(db, "frame_metric_values", {"set_id", "data_unit_id", "frame"}, frame_columns,
                     frame_slots);
    write_frames(frames, values.frames, metrics.size());
  }
  transaction.commit();
}

}  // namespace ea::core::metrics
