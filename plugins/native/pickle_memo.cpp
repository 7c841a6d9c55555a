// SPDX-License-Identifier: Apache-2.0
#include "pickle_memo.hpp"

#include <algorithm>

namespace ea::native::pickle {

SharedMemo::SharedMemo(const std::vector<std::uint8_t>& read_back,
                       std::vector<std::uint64_t> part_starts)
    : part_starts_(std::move(part_starts)), finished_(part_starts_.size(), false) {
  const auto last = std::find(read_back.rbegin(), read_back.rend(), 1);
  slots_.resize(static_cast<std::size_t>(read_back.rend() - last), kNone);
  std::uint32_t next = 0;
  for (std::size_t i = 0; i < slots_.size(); ++i)
    if (read_back[i] != 0)
      slots_[i] = next++;
  entries_.resize(next);
}

void SharedMemo::store(std::uint64_t index, const Value& value, bool unchanging) {
  const std::uint32_t slot = slots_[index];
  entries_[slot].value = value;
  set_state(slot, unchanging ? kShared : kStored);
}

void SharedMemo::share(std::uint64_t index) noexcept {
  set_state(slots_[index], kShared);
}

void SharedMemo::announce() {
  { const std::lock_guard lock(mutex_); }  // a waiter checks its entry under the lock
  changed_.notify_all();
}

const Value& SharedMemo::wait_for(std::uint64_t index) {
  const std::uint32_t slot = slot_of(index);
  const auto after = std::upper_bound(part_starts_.begin(), part_starts_.end(), index);
  const auto part = static_cast<std::size_t>(after - part_starts_.begin()) - 1;
  std::unique_lock lock(mutex_);
  for (;;) {
    if (slot != kNone && state(slot) == kShared)
      return entries_[slot].value;
    if (stopped_ || finished_[part])
      throw NeedsOrder{};
    changed_.wait(lock);
  }
}

void SharedMemo::finish_part(std::size_t part) {
  {
    const std::lock_guard lock(mutex_);
    finished_[part] = true;
  }
  changed_.notify_all();
}

void SharedMemo::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  changed_.notify_all();
}

void SharedMemo::forget_from(std::uint64_t index) {
  for (std::size_t i = static_cast<std::size_t>(index); i < slots_.size(); ++i)
    if (slots_[i] != kNone)
      entries_[slots_[i]].state = kWanted;
}

}  // namespace ea::native::pickle
