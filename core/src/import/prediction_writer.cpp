// SPDX-License-Identifier: Apache-2.0
#include "ea/core/prediction_writer.hpp"

#include <algorithm>
#include <span>

#include <SQLiteCpp/Statement.h>

#include "ea/core/failure.hpp"
#include "ea/core/prediction_insert.hpp"

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

}  // namespace

void PredictionWriter::write(Batch& batch) {
  const InsertShape shape = InsertShape::of(batch);
  const int per_row = shape.bound_per_row();
  // Batches of one import mostly share a shape: the 256-row statement is prepared once.
  if (!full_ || !(full_shape_ == shape)) {
    full_.emplace(db_, insert_sql(kRowsPerStatement, shape, set_id_));
    full_shape_ = shape;
  }
  std::size_t next = 0;
  for (; next + kRowsPerStatement <= batch.size(); next += kRowsPerStatement) {
    for (std::size_t i = 0; i < kRowsPerStatement; ++i)
      bind_row(full_->handle(), static_cast<int>(i) * per_row + 1, batch[next + i], shape);
    full_->run();
  }
  if (next < batch.size()) {
    PreparedStatement rest(db_, insert_sql(batch.size() - next, shape, set_id_));
    for (std::size_t i = 0; next + i < batch.size(); ++i)
      bind_row(rest.handle(), static_cast<int>(i) * per_row + 1, batch[next + i], shape);
    rest.run();
  }
  written_ += batch.size();
}

}  // namespace ea::core
