// SPDX-License-Identifier: Apache-2.0
#include "ea/core/prediction_writer.hpp"

#include <SQLiteCpp/Statement.h>

namespace ea::core {

PredictionWriter::PredictionWriter(SQLite::Database& db, std::int64_t set_id)
    : db_(db), set_id_(set_id), thread_([this] { run(); }) {
  filling_.reserve(kBatchRows);
}

PredictionWriter::~PredictionWriter() {
  {
    const std::lock_guard lock(mutex_);
    closing_ = true;
    queue_.clear();
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PredictionWriter::push(PredictionRow row) {
  filling_.push_back(std::move(row));
  if (filling_.size() >= kBatchRows) hand_over();
}

void PredictionWriter::hand_over() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return queue_.size() < kMaxQueuedBatches || failure_; });
  if (failure_) std::rethrow_exception(failure_);
  queue_.push_back(std::move(filling_));
  lock.unlock();
  changed_.notify_all();
  filling_ = Batch();
  filling_.reserve(kBatchRows);
}

std::uint64_t PredictionWriter::finish() {
  if (!filling_.empty()) hand_over();
  {
    const std::lock_guard lock(mutex_);
    closing_ = true;
  }
  changed_.notify_all();
  thread_.join();
  if (failure_) std::rethrow_exception(failure_);
  return written_;
}

void PredictionWriter::run() {
  for (;;) {
    Batch batch;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return !queue_.empty() || closing_; });
      if (queue_.empty()) return;
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

void PredictionWriter::write(const Batch& batch) {
  SQLite::Statement insert(db_,
                           "INSERT INTO predictions (set_id, data_unit_id, frame, kind, object_id, "
                           "option_id, confidence, x, y, w, h, theta, geometry, track_id, "
                           "source_record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const PredictionRow& row : batch) {
    insert.bind(1, set_id_);
    insert.bind(2, row.data_unit_id);
    insert.bind(3, row.frame);
    insert.bindNoCopy(4, row.kind.data());  // kind always views a string literal
    if (row.object_id != 0) {
      insert.bind(5, row.object_id);
    } else {
      insert.bind(5);
    }
    if (row.option_id != 0) {
      insert.bind(6, row.option_id);
    } else {
      insert.bind(6);
    }
    insert.bind(7, row.confidence);
    if (row.box) {
      insert.bind(8, row.box->x);
      insert.bind(9, row.box->y);
      insert.bind(10, row.box->w);
      insert.bind(11, row.box->h);
      insert.bind(12, row.box->theta);
    } else {
      for (int column = 8; column <= 12; ++column) insert.bind(column);
    }
    if (row.geometry.empty()) {
      insert.bind(13);
    } else {
      insert.bindNoCopy(13, row.geometry);
    }
    if (row.track_id) {
      insert.bindNoCopy(14, *row.track_id);
    } else {
      insert.bind(14);
    }
    insert.bind(15, row.source_record);
    insert.exec();
    insert.reset();
  }
  written_ += batch.size();
}

}  // namespace ea::core
