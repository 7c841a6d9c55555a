// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <memory_resource>
#include <new>
#include <utility>

namespace ea::native::pickle {

/// Where the interpreter's values live: a monotonic buffer (memory is given back all at once, by
/// release()) whose allocation the containers call directly. Through a memory_resource pointer
/// every allocation is a virtual call into the library's copy of the code; a pickle makes a few
/// dozen containers per prediction, and those calls were a tenth of the interpreter's work.
class Arena final : public std::pmr::monotonic_buffer_resource {
 public:
  using monotonic_buffer_resource::monotonic_buffer_resource;

  /// `bytes` aligned to `alignment`, inlined: the same steps as the resource's own allocate.
  void* take(std::size_t bytes, std::size_t alignment) {
    return monotonic_buffer_resource::do_allocate(bytes, alignment);
  }
  /// A new T made from `arguments`, never destroyed: values hold nothing to free.
  template <class T, class... Arguments>
  T* make(Arguments&&... arguments) {
    return new (take(sizeof(T), alignof(T))) T(std::forward<Arguments>(arguments)...);
  }
};

/// An allocator for standard containers that takes memory from an Arena and never frees it.
template <class T>
class ArenaAllocator {
 public:
  using value_type = T;  ///< what it allocates

  /// Allocates from `arena`, which must outlive every container using it.
  explicit ArenaAllocator(Arena& arena) noexcept : arena_(&arena) {}
  /// The same arena, for another type.
  template <class U>
  ArenaAllocator(const ArenaAllocator<U>& other) noexcept : arena_(&other.arena()) {}

  /// Room for `count` values.
  T* allocate(std::size_t count) {
    return static_cast<T*>(arena_->take(count * sizeof(T), alignof(T)));
  }
  /// Nothing: the arena gives its memory back all at once.
  void deallocate(T*, std::size_t) noexcept {}
  /// The arena it allocates from.
  Arena& arena() const noexcept { return *arena_; }

  /// Whether both allocate from the same arena.
  template <class U>
  bool operator==(const ArenaAllocator<U>& other) const noexcept {
    return arena_ == &other.arena();
  }

 private:
  Arena* arena_;
};

}  // namespace ea::native::pickle
