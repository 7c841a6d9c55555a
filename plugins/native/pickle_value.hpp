// SPDX-License-Identifier: Apache-2.0
// The values a pickle can build without running anything: Python's containers and scalars, and
// "objects" that only record which allowed callable was named with which arguments and state.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace ea::native::pickle {

struct List;
struct Dict;
struct Object;

/// A `module.name` reference that the reader allowed.
struct Global {
  std::string module;  ///< e.g. "encord_active.lib.db.predictions"
  std::string name;    ///< e.g. "Prediction"
};

/// Python None.
struct None {};

/// Raw bytes (bytes and bytearray).
struct Bytes {
  std::string data;  ///< the bytes
};

/// One value of the pickle's object tree. Containers are shared: the memo lets a pickle refer to
/// one object from several places.
struct Value {
  std::variant<None, bool, std::int64_t, double, std::string, Bytes, Global, std::shared_ptr<List>,
               std::shared_ptr<Dict>, std::shared_ptr<Object>>
      content;  ///< the value
};

/// A list, tuple or set (readers of the tree do not need to tell them apart).
struct List {
  std::vector<Value> items;  ///< in order
  int depth = 1;             ///< containers nested in it, plus one
  bool nested = false;       ///< placed in another value, so never changed again
};

/// A dict in insertion order.
struct Dict {
  std::vector<std::pair<Value, Value>> items;  ///< key, value
  int depth = 1;                               ///< containers nested in it, plus one
  bool nested = false;                         ///< placed in another value
};

/// What REDUCE or NEWOBJ made of an allowed callable and its arguments, with the state BUILD gave
/// it; what that means is up to the reader of the tree.
struct Object {
  Global type;                   ///< the callable or class
  std::vector<Value> arguments;  ///< its positional arguments
  Value state;                   ///< what BUILD set (None if nothing)
  int depth = 1;                 ///< containers nested in it, plus one
  bool nested = false;           ///< placed in another value
};

}  // namespace ea::native::pickle
