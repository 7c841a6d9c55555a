// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pickle_value.hpp"

namespace ea::native::pickle {

/// A numpy array rebuilt from its pickled form (numpy's _reconstruct + state tuple, or
/// protocol 5's _frombuffer): the shape, the element type and a copy of the raw bytes.
class NumpyArray {
 public:
  /// The array `value` holds, or none if `value` is not a pickled ndarray. Throws
  /// sdk::InputError when it is one but its parts disagree (e.g. fewer bytes than its shape).
  static std::optional<NumpyArray> from(const Value& value);

  /// Extent of each dimension.
  const std::vector<std::int64_t>& shape() const noexcept { return shape_; }
  /// numpy's dtype string, e.g. "f8", "u1", "b1".
  const std::string& dtype() const noexcept { return dtype_; }
  /// Element `index` of the array read in row-major (C) order, converted to double.
  double at(std::size_t index) const;
  /// Number of elements.
  std::size_t size() const noexcept { return count_; }

 private:
  std::vector<std::int64_t> shape_;
  std::string dtype_;
  char kind_ = 'f';        // numpy's kind: f float, i signed, u unsigned, b bool
  std::size_t item_ = 8;   // bytes per element
  bool swap_ = false;      // stored with the other byte order than this machine's
  bool fortran_ = false;   // stored column-major
  std::size_t count_ = 0;  // elements
  std::string bytes_;      // the elements as stored
};

}  // namespace ea::native::pickle
