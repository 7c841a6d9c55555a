// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory_resource>
#include <span>
#include <string_view>

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
  virtual std::pmr::memory_resource& next_arena() = 0;
};

/// What an interpretation gives.
struct Interpretation {
  Value root;                  ///< the value the pickle builds (a streamed list is empty)
  std::uint64_t streamed = 0;  ///< items handed to the sink
};

/// Interprets `data` under `policy` (see Document). Values referred back to live in `lasting`,
/// the rest in `first_batch` and the arenas the sink supplies. With a sink, a top-level list is
/// streamed to it. Throws sdk::InputError with one sentence on anything it does not accept.
Interpretation interpret(std::string_view data, const Policy& policy,
                         std::pmr::memory_resource& lasting, std::pmr::memory_resource& first_batch,
                         BatchSink* sink);

}  // namespace ea::native::pickle
