// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>
#include <memory_resource>
#include <span>
#include <string_view>

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

/// A pickle (protocols 2 to 5) interpreted without executing anything: the value it builds.
/// Text and bytes in the tree are views into `data`, which must outlive the document.
class Document {
 public:
  /// Reads `data`. Throws sdk::InputError with one sentence (e.g. "the pickle refers to
  /// os.system, which is not allowed", "the pickle is truncated (at byte 120)") on anything else.
  Document(std::string_view data, const Policy& policy);
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  /// The value the pickle builds.
  const Value& root() const noexcept { return root_; }

 private:
  std::pmr::monotonic_buffer_resource arena_;
  Value root_;
};

/// Whether `head` starts like a pickle of protocol 2 to 5.
bool looks_like_pickle(std::string_view head);

}  // namespace ea::native::pickle
