// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <vector>

#include "pickle_value.hpp"

namespace ea::native::pickle {

/// The interpreter's stack: storage kept at its full size with a separate top, so that a push is
/// a compare and a store, inlined (a vector's push_back was an eighth of the reading time).
class ValueStack {
 public:
  std::size_t size() const noexcept { return size_; }                  ///< values on it
  bool empty() const noexcept { return size_ == 0; }                   ///< whether none
  bool full() const noexcept { return size_ == capacity_; }            ///< push needs grow()
  const Value* data() const noexcept { return slots_.data(); }         ///< the bottom value
  Value& back() noexcept { return slots_[size_ - 1]; }                 ///< the top value
  void push(const Value& value) noexcept { slots_[size_++] = value; }  ///< when not full
  Value pop() noexcept { return slots_[--size_]; }                     ///< when not empty
  void shrink_to(std::size_t size) noexcept { size_ = size; }          ///< keeps the storage
  /// Doubles the room.
  void grow() {
    slots_.resize(2 * slots_.size());
    capacity_ = slots_.size();
  }

 private:
  std::vector<Value> slots_ = std::vector<Value>(256);
  std::size_t capacity_ = slots_.size();  // kept apart: a vector's size is a division
  std::size_t size_ = 0;
};

}  // namespace ea::native::pickle
