// SPDX-License-Identifier: Apache-2.0
#include "ea/core/prediction_writer.hpp"

#include <algorithm>

#include <SQLiteCpp/Statement.h>

#include "ea/core/failure.hpp"

namespace ea::core {

PredictionWriter::PredictionWriter(SQLite::Database& db, std::int64_t set_id, std::int64_t first_id)
    : db_(db), set_id_(set_id), first_id_(first_id), thread_([this] { run(); }) {
  filling_.reserve(kBatchRows);
}

PredictionWriter::~PredictionWriter() {
  {
    const std::lock_guard lock(mutex_);
    closing_ = true;
    queue_.clear();
  }
  changed_.notify_all();
  if (thread_.joinable())
    thread_.join();
}

void PredictionWriter::push(PredictionRow row) {
  filling_.push_back(std::move(row));
  if (filling_.size() >= kBatchRows)
    hand_over();
}

void PredictionWriter::hand_over() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return queue_.size() < kMaxQueuedBatches || failure_; });
  if (failure_)
    std::rethrow_exception(failure_);
  queue_.push_back(std::move(filling_));
  lock.unlock();
  changed_.notify_all();
  filling_ = Batch();
  filling_.reserve(kBatchRows);
}

std::uint64_t PredictionWriter::finish() {
  if (!filling_.empty())
    hand_over();
  {
    const std::lock_guard lock(mutex_);
    closing_ = true;
  }
  changed_.notify_all();
  thread_.join();
  if (failure_)
    std::rethrow_exception(failure_);
  return written_;
}

void PredictionWriter::run() {
  for (;;) {
    Batch batch;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return !queue_.empty() || closing_; });
      if (queue_.empty())
        return;
      batch = std::move(queue_.front());
      queue_.pop_front();
    }
    changed_.notify_all();
    try {
      write(batch);
    } catch (...) {
      const std::lock_guard lock(mutex_);
      failure_ = std::current_exception();
      queue_.clear();
      changed_.notify_all();
      return;
    }
  }
}

namespace {

// Rows per INSERT: SQLite's fixed cost per statement execution (cursors, constraint checks
// set-up, halting) is paid once for this many rows.
constexpr std::size_t kRowsPerStatement = 256;

// The trailing columns a batch writes: `area` and `attributes` only when a row of the batch has
// one. A column left out of the INSERT is stored as nothing at all, while binding NULL to it cost
// a fifth of a bulk insert.
struct Trailing {
  bool area = false;
  bool attributes = false;
};

int column_count(Trailing trailing) {
  return 15 + (trailing.area ? 1 : 0) + (trailing.attributes ? 1 : 0);
}

std::string insert_sql(std::size_t rows, Trailing trailing) {
  std::string sql =
      "INSERT INTO predictions (set_id, data_unit_id, frame, kind, object_id, option_id, "
      "confidence, x, y, w, h, theta, geometry, track_id, source_record";
  if (trailing.area)
    sql += ", area";
  if (trailing.attributes)
    sql += ", attributes";
  sql += ") VALUES ";
  std::string values = "(?";
  for (int c = 1; c < column_count(trailing); ++c)
    values += ",?";
  values += ")";
  for (std::size_t i = 0; i < rows; ++i)
    sql += (i == 0 ? "" : ",") + values;
  return sql;
}

void bind_optional_id(SQLite::Statement& insert, int column, std::int64_t id) {
  if (id != 0) {
    insert.bind(column, id);
  } else {
    insert.bind(column);
  }
}

void bind_row(SQLite::Statement& insert, int first, std::int64_t set_id, PredictionRow& row,
              Trailing trailing) {
  insert.bind(first, set_id);
  insert.bind(first + 1, row.data_unit_id);
  insert.bind(first + 2, row.frame);
  insert.bindNoCopy(first + 3, row.kind.data());  // kind always views a string literal
  bind_optional_id(insert, first + 4, row.object_id);
  bind_optional_id(insert, first + 5, row.option_id);
  insert.bind(first + 6, row.confidence);
  if (row.box) {
    insert.bind(first + 7, row.box->x);
    insert.bind(first + 8, row.box->y);
    insert.bind(first + 9, row.box->w);
    insert.bind(first + 10, row.box->h);
    insert.bind(first + 11, row.box->theta);
  } else {
    for (int column = first + 7; column <= first + 11; ++column)
      insert.bind(column);
  }
  if (stored_geometry(row).empty()) {
    insert.bind(first + 12);
  } else {
    insert.bindNoCopy(first + 12, row.geometry);
  }
  if (row.track_id) {
    insert.bindNoCopy(first + 13, *row.track_id);
  } else {
    insert.bind(first + 13);
  }
  insert.bind(first + 14, row.source_record);
  int column = first + 15;
  if (trailing.area)
    row.area ? insert.bind(column++, *row.area) : insert.bind(column++);
  if (trailing.attributes) {
    row.attributes.empty() ? insert.bind(column) : insert.bindNoCopy(column, row.attributes);
  }
}

}  // namespace

void PredictionWriter::write(Batch& batch) {
  Trailing trailing;
  for (const PredictionRow& row : batch) {
    trailing.area = trailing.area || row.area.has_value();
    trailing.attributes = trailing.attributes || !row.attributes.empty();
  }
  const int columns = column_count(trailing);
  SQLite::Statement full(db_, insert_sql(kRowsPerStatement, trailing));
  std::size_t next = 0;
  for (; next + kRowsPerStatement <= batch.size(); next += kRowsPerStatement) {
    for (std::size_t i = 0; i < kRowsPerStatement; ++i) {
      bind_row(full, static_cast<int>(i) * columns + 1, set_id_, batch[next + i], trailing);
    }
    full.exec();
    full.reset();
  }
  if (next < batch.size()) {
    SQLite::Statement rest(db_, insert_sql(batch.size() - next, trailing));
    for (std::size_t i = 0; next + i < batch.size(); ++i) {
      bind_row(rest, static_cast<int>(i) * columns + 1, set_id_, batch[next + i], trailing);
    }
    rest.exec();
  }
  written_ += batch.size();
}

}  // namespace ea::core
