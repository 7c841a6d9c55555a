// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <vector>

#include "pickle_value.hpp"

namespace ea::native::pickle {

/// Thrown when a part of a pickle read alongside others needs what only a reading of the whole
/// file in order can give; the part is then read again that way.
struct NeedsOrder {};

/// The memo of a pickle whose parts may be read by several interpreters at once. Each part stores
/// the entries numbered from its start up to the next part's; only the entries the pickle reads
/// back are kept. An entry is shared with the other parts' interpreters once it can no longer
/// change (text, numbers, names, or a container already placed in another); until then only its own
/// part reads it.
class SharedMemo {
 public:
  /// `read_back`: 1 for each memo entry the pickle reads back (from the scan). `part_starts`: the
  /// first entry each part stores, from 0, ascending.
  SharedMemo(const std::vector<std::uint8_t>& read_back, std::vector<std::uint64_t> part_starts);

  /// Whether entry `index` is worth keeping (it is read back).
  bool kept(std::uint64_t index) const noexcept { return slot_of(index) != kNone; }
  /// Keeps `value` as entry `index`, shared with other parts at once when `unchanging`. Only the
  /// entry's own part calls this.
  void store(std::uint64_t index, const Value& value, bool unchanging);
  /// Shares entry `index`, stored earlier and unchanging since.
  void share(std::uint64_t index) noexcept;
  /// Wakes the parts waiting for entries shared since the last call.
  void announce();

  /// Entry `index` as stored by its own part (or by an earlier part read before this one);
  /// null if it was never stored.
  const Value* own(std::uint64_t index) const noexcept {
    const std::uint32_t slot = slot_of(index);
    return slot != kNone && state(slot) >= kStored ? &entries_[slot].value : nullptr;
  }
  /// Entry `index` of an earlier part read at the same time: waits until that part shares it.
  /// Throws NeedsOrder when the part finishes without sharing it, or when stop() was called.
  const Value& shared(std::uint64_t index) {
    const std::uint32_t slot = slot_of(index);
    if (slot != kNone && state(slot) == kShared) [[likely]]
      return entries_[slot].value;
    return wait_for(index);
  }

  /// Part `part` will store nothing more.
  void finish_part(std::size_t part);
  /// Ends every wait (with NeedsOrder): the parts read at the same time are abandoned.
  void stop();
  /// Forgets the entries from `index` on, as before any part stored them, to read the rest of the
  /// pickle again in order; only when no other interpreter runs.
  void forget_from(std::uint64_t index);

 private:
  static constexpr std::uint8_t kWanted = 0, kStored = 1, kShared = 2;
  static constexpr std::uint32_t kNone = ~std::uint32_t{0};

  // An entry the pickle reads back. Python's pickles read back a few of their many entries, so
  // these are kept densely: the ones read back often stay in cache.
  struct Entry {
    Value value;
    std::uint8_t state = kWanted;  // written by its part, read by others through atomic_ref
  };

  std::uint32_t slot_of(std::uint64_t index) const noexcept {
    return index < slots_.size() ? slots_[index] : kNone;
  }
  std::uint8_t state(std::uint32_t slot) const noexcept {
    return std::atomic_ref<std::uint8_t>(const_cast<std::uint8_t&>(entries_[slot].state))
        .load(std::memory_order_acquire);
  }
  void set_state(std::uint32_t slot, std::uint8_t state) noexcept {
    std::atomic_ref<std::uint8_t>(entries_[slot].state).store(state, std::memory_order_release);
  }
  const Value& wait_for(std::uint64_t index);

  std::vector<std::uint32_t> slots_;  // per entry up to the last read back: its slot, or kNone
  std::vector<Entry> entries_;
  std::vector<std::uint64_t> part_starts_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<bool> finished_;  // per part, under mutex_
  bool stopped_ = false;        // under mutex_
};

}  // namespace ea::native::pickle
