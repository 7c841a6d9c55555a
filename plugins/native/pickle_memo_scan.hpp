// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace ea::native::pickle {

/// The unsigned little-endian integer in `count` bytes at `bytes`.
inline std::uint64_t little_endian(const char* bytes, std::size_t count) {
  std::uint64_t value = 0;
  for (std::size_t i = count; i-- > 0;)
    value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  return value;
}

/// Python numbers memo entries 0, 1, 2, …; a pickle that jumps further ahead is not one it wrote.
inline constexpr std::uint64_t kMaxMemoGap = 1u << 16;

/// One byte per memo entry of `data`: 1 when the pickle reads it back (BINGET, LONG_BINGET).
/// A first pass over the opcodes, so that the reader keeps only those entries. Stops quietly at
/// anything it does not know or at a truncated argument: the reader then reports it properly.
std::vector<std::uint8_t> memo_entries_read(std::string_view data);

}  // namespace ea::native::pickle
