// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <memory_resource>
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

/// Receives each item of a pickled top-level list as soon as it is complete, with its 0-based
/// index; the item is only valid during the call.
using ItemHandler = std::function<void(const Value& item, std::uint64_t index)>;

/// A pickle (protocols 2 to 5) interpreted without executing anything: the value it builds.
/// Text and bytes in the tree are views into `data`, which must outlive the document.
///
/// With an item handler, a top-level list is streamed: its items go to the handler, on the
/// calling thread, while another thread interprets the rest of the file; a batch's items are
/// dropped once read, so memory holds two batches of items (Python appends them 1,000 at a time)
/// plus the few values the pickle refers back to, not the whole file's tree.
class Document {
 public:
  /// Reads `data`. Throws sdk::InputError with one sentence (e.g. "the pickle refers to
  /// os.system, which is not allowed (at byte 2)") on anything else; an exception from the
  /// handler stops the reading and is passed on.
  Document(std::string_view data, const Policy& policy, const ItemHandler& items = {});
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  /// The value the pickle builds; a streamed top-level list is empty here.
  const Value& root() const noexcept { return root_; }
  /// Items handed to the item handler.
  std::uint64_t streamed() const noexcept { return streamed_; }

  /// An arena for one batch's values, with a first buffer it reuses after every release.
  struct BatchArena {
    explicit BatchArena(std::size_t size);
    std::unique_ptr<std::byte[]> buffer;       ///< not zeroed: the arena hands it out in pieces
    std::pmr::monotonic_buffer_resource pool;  ///< over `buffer`, then the heap
  };

 private:
  std::pmr::monotonic_buffer_resource lasting_;  // the root, globals and values referred back to
  BatchArena first_;  // batches alternate between these two: one is read while the other fills
  BatchArena second_;
  std::uint64_t streamed_ = 0;
  Value root_;
};

/// Whether `head` starts like a pickle of protocol 2 to 5.
bool looks_like_pickle(std::string_view head);

}  // namespace ea::native::pickle
