// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "ea/core/prediction_insert.hpp"
#include "ea/core/prediction_row.hpp"
#include "ea/core/prepared_statement.hpp"

namespace ea::core {

/// Inserts prediction rows of one set on a thread of its own, so that parsing and validation on
/// the importing thread overlap with SQLite's work: both cores busy, at most a few batches held.
/// The caller owns the transaction; the connection is touched only by the writer thread between
/// construction and finish().
class PredictionWriter final : public PredictionRowConsumer {
 public:
  /// Starts writing rows of set `set_id` through `db`; SQLite gives them the ids from `first_id`
  /// on (the table's high-water mark + 1), which finish() verifies.
  PredictionWriter(SQLite::Database& db, std::int64_t set_id, std::int64_t first_id);
  /// Stops the thread; rows not yet written are dropped (the transaction will roll back).
  ~PredictionWriter() override;
  PredictionWriter(const PredictionWriter&) = delete;
  PredictionWriter& operator=(const PredictionWriter&) = delete;

  /// Queues a row; rethrows the writer's error if it failed.
  void push(PredictionRow row) override;
  /// Writes what is queued, joins the thread, rethrows its error, returns the rows written.
  std::uint64_t finish();

 private:
  using Batch = std::vector<PredictionRow>;
  void hand_over();
  void run();
  void write(Batch& batch);

  static constexpr std::size_t kBatchRows = 8192;
  static constexpr std::size_t kMaxQueuedBatches = 4;

  SQLite::Database& db_;
  std::int64_t set_id_;
  std::int64_t first_id_;
  Batch filling_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Batch> queue_;
  bool closing_ = false;
  std::exception_ptr failure_;
  std::uint64_t written_ = 0;
  std::optional<PreparedStatement> full_;  // the writer thread's 256-row INSERT, of full_shape_
  InsertShape full_shape_;
  std::thread thread_;  // last: started once everything above is initialised
};

}  // namespace ea::core
