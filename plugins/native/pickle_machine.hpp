// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "pickle_memo.hpp"
#include "pickle_reader.hpp"
#include "pickle_value.hpp"

namespace ea::native::pickle {

/// Receives a streamed top-level list's items, batch by batch, and supplies the arena each batch
/// is built in.
class BatchSink {
 public:
  virtual ~BatchSink() = default;
  /// The items of one APPEND or APPENDS to the top-level list, the first being item `first`.
  /// They live in the current batch arena or the lasting one, and never change again.
  virtual void take(std::span<const Value> items, std::uint64_t first) = 0;
  /// Called when nothing the interpreter holds lives in the current batch arena any more: the
  /// arena to build the next batch in (it may wait until earlier batches have been read).
  virtual Arena& next_arena() = 0;
};

/// Thrown when a part read on its own does not end as its break promised (the list alone on the
/// stack, no mark open, the memo numbered up to the break's count): the file is then read in
/// order from the part's start.
struct NotAtBreak {};

/// Which bytes of the pickle one interpretation reads.
struct Part {
  static constexpr std::size_t kToStop = ~std::size_t{0};
  std::size_t begin =
      0;  ///< 0: the file's start; else a break, with the streamed list on the stack
  std::uint64_t memo_size = 0;      ///< memo entries stored before `begin`
  std::size_t end = kToStop;        ///< a break to stop at, or kToStop: the pickle's STOP
  std::uint64_t end_memo_size = 0;  ///< memo entries stored before `end`
  std::uint64_t shared_below = 0;   ///< entries below are other parts', read as they share them
};

/// Where an interpretation keeps what it builds.
struct Workspace {
  SharedMemo& memo;           ///< the pickle's memo
  Arena& lasting;             ///< for values referred back to
  Arena& first_batch;         ///< for the rest, until the sink supplies an arena
  BatchSink* sink = nullptr;  ///< where a top-level list is streamed; null: not
};

/// What an interpretation gives.
struct Interpretation {
  Value root;                  ///< the value the pickle builds (a streamed list is empty)
  std::uint64_t streamed = 0;  ///< items handed to the sink
};

/// Interprets `part` of `data` under `policy` (see Document). Throws sdk::InputError with one
/// sentence on anything it does not accept; NotAtBreak or NeedsOrder when a part cannot be read
/// on its own.
Interpretation interpret(std::string_view data, const Policy& policy, const Part& part,
                         const Workspace& workspace);

}  // namespace ea::native::pickle
