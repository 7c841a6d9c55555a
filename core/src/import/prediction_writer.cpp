// SPDX-License-Identifier: Apache-2.0
#include "ea/core/prediction_writer.hpp"

#include <algorithm>
#include <span>

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

// The columns a batch writes beyond those every row fills: each only when a row of the batch has
// a value for it. A column left out of the INSERT is stored as nothing at all, while binding NULL
// to it costs about as much as binding a value (a box batch binds 11 values a row instead of 17).
struct Columns {
  bool object = false;      // object_id (not classifications)
  bool option = false;      // option_id (classifications)
  bool box = false;         // x, y, w, h, theta
  bool geometry = false;    // polygons and masks
  bool track = false;       // track_id
  bool area = false;        // a given area
  bool attributes = false;  // KITTI's numbers and the like

  // What `rows` need.
  static Columns of(std::span<PredictionRow> rows) {
    Columns columns;
    for (PredictionRow& row : rows) {
      columns.object = columns.object || row.object_id != 0;
      columns.option = columns.option || row.option_id != 0;
      columns.box = columns.box || row.box.has_value();
      columns.geometry = columns.geometry || !stored_geometry(row).empty();
      columns.track = columns.track || row.track_id.has_value();
      columns.area = columns.area || row.area.has_value();
      columns.attributes = columns.attributes || !row.attributes.empty();
    }
    return columns;
  }
  int count() const { return 6 + object + option + 5 * box + geometry + track + area + attributes; }
};

std::string insert_sql(std::size_t rows, Columns columns) {
  std::string sql =
      "INSERT INTO predictions (set_id, data_unit_id, frame, kind, confidence, source_record";
  if (columns.object)
    sql += ", object_id";
  if (columns.option)
    sql += ", option_id";
  if (columns.box)
    sql += ", x, y, w, h, theta";
  if (columns.geometry)
    sql += ", geometry";
  if (columns.track)
    sql += ", track_id";
  if (columns.area)
    sql += ", area";
  if (columns.attributes)
    sql += ", attributes";
  sql += ") VALUES ";
  std::string values = "(?";
  for (int c = 1; c < columns.count(); ++c)
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
              Columns columns) {
  insert.bind(first, set_id);
  insert.bind(first + 1, row.data_unit_id);
  insert.bind(first + 2, row.frame);
  insert.bindNoCopy(first + 3, row.kind.data());  // kind always views a string literal
  insert.bind(first + 4, row.confidence);
  insert.bind(first + 5, row.source_record);
  int column = first + 6;
  if (columns.object)
    bind_optional_id(insert, column++, row.object_id);
  if (columns.option)
    bind_optional_id(insert, column++, row.option_id);
  if (columns.box) {
    if (row.box) {
      insert.bind(column, row.box->x);
      insert.bind(column + 1, row.box->y);
      insert.bind(column + 2, row.box->w);
      insert.bind(column + 3, row.box->h);
      insert.bind(column + 4, row.box->theta);
    } else {
      for (int c = column; c < column + 5; ++c)
        insert.bind(c);
    }
    column += 5;
  }
  if (columns.geometry) {
    const std::string_view geometry = stored_geometry(row);
    geometry.empty() ? insert.bind(column) : insert.bindNoCopy(column, row.geometry);
    ++column;
  }
  if (columns.track) {
    row.track_id ? insert.bindNoCopy(column, *row.track_id) : insert.bind(column);
    ++column;
  }
  if (columns.area) {
    row.area ? insert.bind(column, *row.area) : insert.bind(column);
    ++column;
  }
  if (columns.attributes)
    row.attributes.empty() ? insert.bind(column) : insert.bindNoCopy(column, row.attributes);
}

}  // namespace

void PredictionWriter::write(Batch& batch) {
  const Columns columns = Columns::of(batch);
  const int per_row = columns.count();
  SQLite::Statement full(db_, insert_sql(kRowsPerStatement, columns));
  std::size_t next = 0;
  for (; next + kRowsPerStatement <= batch.size(); next += kRowsPerStatement) {
    for (std::size_t i = 0; i < kRowsPerStatement; ++i)
      bind_row(full, static_cast<int>(i) * per_row + 1, set_id_, batch[next + i], columns);
    full.exec();
    full.reset();
  }
  if (next < batch.size()) {
    SQLite::Statement rest(db_, insert_sql(batch.size() - next, columns));
    for (std::size_t i = 0; next + i < batch.size(); ++i)
      bind_row(rest, static_cast<int>(i) * per_row + 1, set_id_, batch[next + i], columns);
    rest.exec();
  }
  written_ += batch.size();
}

}  // namespace ea::core
