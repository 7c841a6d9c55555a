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

/// A point just after an APPENDS that closes every open mark: where Python's list writer starts
/// its next batch of 1,000 items, so where part of a top-level list may be read on its own.
struct ListBreak {
  std::size_t position = 0;     ///< byte offset of the opcode that follows
  std::uint64_t memo_size = 0;  ///< memo entries stored before it
};

/// What a first pass over a pickle's opcodes finds, without building anything.
struct MemoScan {
  std::vector<std::uint8_t> read;  ///< per memo entry: 1 when the pickle reads it back
  std::vector<ListBreak> breaks;   ///< in file order
  bool numbered_in_order = true;   ///< every entry stored once, numbered 0, 1, 2, … as it comes
};

/// Scans `data` (large framed pickles in two halves on both cores). Stops quietly at anything
/// it does not know or at a truncated argument: the reader then reports it properly.
MemoScan scan_memo(std::string_view data);

}  // namespace ea::native::pickle
