// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ea/sdk/error.hpp"
#include "pickle_value.hpp"

namespace ea::native::pickle {

/// Makes the interpreter's containers and places values in them under its rules. A value may not
/// change once placed in another: pickles of ordinary data finish each value before using it,
/// and the rule keeps every recorded depth true and makes cycles impossible. Containers live in
/// the current batch's arena unless pinned: a pinned container lasts as long as the document and
/// holds only pinned values. Errors are sdk::InputError without a position; the interpreter adds
/// it.
class Containers {
 public:
  /// Deeper trees are refused: no prediction file nests more than a handful of levels, and
  /// readers of the tree recurse.
  static constexpr int kMaxDepth = 100;

  /// Containers that last go to `lasting`, the others to `batch`.
  Containers(Arena& lasting, Arena& batch)
      : lasting_(&lasting), batch_(&batch), empty_tuple_(make<List>(true)) {
    empty_tuple_->nested = true;  // immutable, as Python's
  }

  /// A new empty container, in the lasting arena when `pinned`.
  template <class Container>
  Container* make(bool pinned = false) {
    Arena& arena = pinned ? *lasting_ : *batch_;
    auto* container = arena.make<Container>(arena);
    container->pinned = pinned;
    return container;
  }
  /// The one empty tuple (every NEWOBJ of an Encord class has one).
  List* empty_tuple() const noexcept { return empty_tuple_; }
  /// Where the next batch's containers go.
  void use_batch_arena(Arena& batch) noexcept { batch_ = &batch; }

  /// A copy of `value` in the lasting arena (itself when it is not a batch's container).
  Value pin(const Value& value);

  /// Records that `child` goes into `container`; returns whether the child is pinned.
  bool nest(Node& container, const Value& child) {
    if (container.nested) [[unlikely]]
      refuse("the pickle changes a value after placing it in another (cycles are not accepted)");
    Node* inner = as_node(child);
    if (inner == nullptr)
      return true;  // scalars and text are the same everywhere
    if (inner == &container) [[unlikely]]
      refuse("the pickle places a value inside itself");
    if (!inner->nested)  // a shared value is already nested, and other threads read it
      inner->nested = true;
    if (inner->depth >= container.depth) {
      container.depth = inner->depth + 1;
      if (container.depth > kMaxDepth) [[unlikely]]
        too_deep();
    }
    return inner->pinned;
  }
  /// Nests `child` in `container` and returns what to store there.
  Value adopt(Node& container, const Value& child) {
    const bool child_pinned = nest(container, child);
    return container.pinned && !child_pinned ? pin(child) : child;
  }

 private:
  [[noreturn, gnu::cold]] static void refuse(const char* reason) { throw sdk::InputError(reason); }
  [[noreturn, gnu::cold]] static void too_deep();

  Arena* lasting_;
  Arena* batch_;
  List* empty_tuple_;
};

}  // namespace ea::native::pickle
