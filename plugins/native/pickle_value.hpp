// SPDX-License-Identifier: Apache-2.0
// The values a pickle can build without running anything: Python's containers and scalars, and
// "objects" that only record which allowed callable was named with which arguments and state.
// Text and bytes are views into the pickle's data; containers live in the reading Document's
// arenas, so a tree of millions of values costs no reference counting and no per-node frees.
#pragma once

#include <cstdint>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "pickle_arena.hpp"

namespace ea::native::pickle {

struct List;
struct Dict;
struct Object;

/// A `module.name` reference that the reader allowed.
struct Global {
  std::string_view module;  ///< e.g. "encord_active.lib.db.predictions"
  std::string_view name;    ///< e.g. "Prediction"
};

/// Python None.
struct None {};

/// Raw bytes (bytes and bytearray).
struct Bytes {
  std::string_view data;  ///< the bytes
};

/// One value of the pickle's object tree: None, bool, int, float, str (UTF-8), bytes, an allowed
/// global, or a container. Containers may be shared: the memo lets a pickle refer to one object
/// from several places.
struct Value {
  std::variant<None, bool, std::int64_t, double, std::string_view, Bytes, const Global*, List*,
               Dict*, Object*>
      content;  ///< the value
};

/// What the reader records of every container, whatever its kind.
struct Node {
  int depth = 1;        ///< containers nested in it, plus one
  bool nested = false;  ///< placed in another value, so never changed again
  bool pinned = false;  ///< lives as long as the document, not just the current batch
};

/// A list, tuple or set (readers of the tree do not need to tell them apart).
struct List : Node {
  explicit List(Arena& arena) : items(ArenaAllocator<Value>(arena)) {}
  std::vector<Value, ArenaAllocator<Value>> items;  ///< in order
};

/// A dict in insertion order.
struct Dict : Node {
  explicit Dict(Arena& arena) : items(ArenaAllocator<std::pair<Value, Value>>(arena)) {}
  std::vector<std::pair<Value, Value>, ArenaAllocator<std::pair<Value, Value>>>
      items;  ///< key, value
};

/// What REDUCE or NEWOBJ made of an allowed callable and its arguments, with the state BUILD gave
/// it; what that means is up to the reader of the tree.
struct Object : Node {
  explicit Object(Arena& arena) : arguments(ArenaAllocator<Value>(arena)) {}
  const Global* type = nullptr;                         ///< the callable or class
  std::vector<Value, ArenaAllocator<Value>> arguments;  ///< its positional arguments
  Value state;                                          ///< what BUILD set (None if nothing)
};

/// The container `value` holds, whatever its kind, or null: one test for the scalars and text
/// that make up most of a pickle.
inline Node* as_node(const Value& value) noexcept {
  constexpr std::size_t kFirstContainer = 7;  // List*, Dict*, Object* close the alternatives
  static_assert(
      std::is_same_v<std::variant_alternative_t<kFirstContainer, decltype(Value::content)>, List*>);
  if (value.content.index() < kFirstContainer)
    return nullptr;
  if (const auto* list = std::get_if<List*>(&value.content))
    return *list;
  if (const auto* dict = std::get_if<Dict*>(&value.content))
    return *dict;
  return *std::get_if<Object*>(&value.content);
}

/// The value `value` holds as T (a scalar, text, or a container pointer), or null.
template <class T>
const T* get_if(const Value& value) noexcept {
  return std::get_if<T>(&value.content);
}

/// The list `value` holds, or null.
inline const List* as_list(const Value& value) noexcept {
  const auto* list = std::get_if<List*>(&value.content);
  return list == nullptr ? nullptr : *list;
}

/// The dict `value` holds, or null.
inline const Dict* as_dict(const Value& value) noexcept {
  const auto* dict = std::get_if<Dict*>(&value.content);
  return dict == nullptr ? nullptr : *dict;
}

/// The object `value` holds, or null.
inline const Object* as_object(const Value& value) noexcept {
  const auto* object = std::get_if<Object*>(&value.content);
  return object == nullptr ? nullptr : *object;
}

/// The global `value` names, or null.
inline const Global* as_global(const Value& value) noexcept {
  const auto* global = std::get_if<const Global*>(&value.content);
  return global == nullptr ? nullptr : *global;
}

}  // namespace ea::native::pickle
