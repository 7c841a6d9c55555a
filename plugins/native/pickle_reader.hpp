// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "pickle_value.hpp"

namespace ea::native::pickle {

/// What a pickle may refer to: `allowed(module, name)` says whether a global may be named at all;
/// `reduce_allowed(callable, arguments)` whether calling it with these arguments may be recorded
/// (e.g. getattr only on one enum class with one of its member names).
struct Policy {
  std::function<bool(std::string_view module, std::string_view name)> allowed;  ///< globals
  std::function<bool(const Global& callable, std::span<const Value> arguments)>
      reduce_allowed;  ///< REDUCE calls
};

/// Turns the items of a streamed top-level list into results on the reader's threads, and hands
/// the results over in order on the calling thread.
class ItemBatch {
 public:
  virtual ~ItemBatch() = default;
  /// Reads the next items into the batch, on one of the reader's threads; they are valid only
  /// during the call, and never change.
  virtual void read(std::span<const Value> items) = 0;
  /// On the calling thread: hands over what was read since the last hand-over, the first being
  /// item `first` of the list, and empties the batch.
  virtual void hand_over(std::uint64_t first) = 0;
};

/// Makes an empty batch; the reader makes one for each part of the list it reads at once.
using BatchMaker = std::function<std::unique_ptr<ItemBatch>()>;

/// A pickle (protocols 2 to 5) interpreted without executing anything: the value it builds.
/// Text and bytes in the tree are views into `data`, which must outlive the document.
///
/// With batches, a top-level list is streamed: its items go to batches while they are read. A
/// large list is read in parts, from one of the breaks where Python starts a batch of 1,000 items
/// to another, on two threads at once; each part is checked against the one before it (how it
/// ends, which memo entries it shares), and when a check fails the rest of the file is read in
/// order instead, so what is handed over is always what reading in order would give. Memory holds
/// a few parts' results plus the few values the pickle refers back to, not the whole file's tree.
class Document {
 public:
  /// Reads `data` into one tree. Throws sdk::InputError with one sentence (e.g. "the pickle
  /// refers to os.system, which is not allowed (at byte 2)") on anything it does not accept.
  Document(std::string_view data, const Policy& policy);
  /// Reads `data`, streaming a top-level list's items to batches made by `batches`. The items
  /// before an error are handed over, then the error is thrown; an exception from a hand-over
  /// stops the reading and is passed on.
  Document(std::string_view data, const Policy& policy, const BatchMaker& batches);
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;
  ~Document();

  /// The value the pickle builds; a streamed top-level list is empty here.
  const Value& root() const noexcept { return root_; }
  /// Items handed over to batches.
  std::uint64_t streamed() const noexcept { return streamed_; }

 private:
  struct Arenas;
  std::unique_ptr<Arenas> arenas_;  // the values of the tree, and of the parts read
  std::uint64_t streamed_ = 0;
  Value root_;
};

/// Whether `head` starts like a pickle of protocol 2 to 5.
bool looks_like_pickle(std::string_view head);

}  // namespace ea::native::pickle
