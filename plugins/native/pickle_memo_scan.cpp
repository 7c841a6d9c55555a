// SPDX-License-Identifier: Apache-2.0
// Skips through a pickle's opcodes by their argument sizes (CPython's pickletools documentation)
// without building anything.
#include "pickle_memo_scan.hpp"

#include <cstring>
#include <future>

namespace ea::native::pickle {

namespace {

// What a scan of part of a pickle found.
struct PartScan {
  // From the start of the file: one entry per memo entry stored so far, 1 when read back. From
  // elsewhere: 1 at every memo index read back (the indices are absolute).
  std::vector<std::uint8_t> read;
  std::uint64_t memoized = 0;  // MEMOIZE opcodes
  bool explicit_puts = false;  // BINPUT or LONG_BINPUT seen (the part's numbering is then unknown)
  bool complete = false;       // reached `end` at an opcode boundary
};

// Scans [begin, end). `from_start`: the part begins the file, so MEMOIZE numbering is known.
PartScan scan_part(const char* begin, const char* end, bool from_start, std::size_t index_limit) {
  PartScan part;
  std::vector<std::uint8_t>& read = part.read;
  if (from_start)  // elsewhere the table only reaches the highest index read back
    read.reserve(static_cast<std::size_t>(end - begin) / 8);
  const char* p = begin;
  const auto skip = [&](std::uint64_t count) {
    if (count > static_cast<std::uint64_t>(end - p))
      return false;
    p += count;
    return true;
  };
  const auto length = [&](std::size_t bytes, std::uint64_t& value) {
    if (static_cast<std::size_t>(end - p) < bytes)
      return false;
    value = little_endian(p, bytes);
    p += bytes;
    return true;
  };
  std::uint64_t n = 0;
  while (p < end) {
    switch (static_cast<unsigned char>(*p++)) {
      case '(':
      case '0':
      case '1':
      case '2':
      case 'N':
      case 0x88:
      case 0x89:
      case ']':
      case ')':
      case 0x8f:
      case 'l':
      case 't':
      case 0x91:
      case 0x85:
      case 0x86:
      case 0x87:
      case 'a':
      case 'e':
      case 0x90:
      case '}':
      case 'd':
      case 's':
      case 'u':
      case 'R':
      case 0x81:
      case 0x92:
      case 'b':
      case 0x93:
        break;
      case '.':
        return part;
      case 0x94:  // MEMOIZE
        ++part.memoized;
        if (from_start)
          read.push_back(0);
        break;
      case 0x80:
      case 'K':
        if (!skip(1))
          return part;
        break;
      case 'M':
        if (!skip(2))
          return part;
        break;
      case 'J':
        if (!skip(4))
          return part;
        break;
      case 'G':
      case 0x95:
        if (!skip(8))
          return part;
        break;
      case 0x8a:
      case 0x8c:
      case 'C':
        if (!length(1, n) || !skip(n))
          return part;
        break;
      case 0x8b:
      case 'X':
      case 'B':
        if (!length(4, n) || !skip(n))
          return part;
        break;
      case 0x8d:
      case 0x8e:
      case 0x96:
        if (!length(8, n) || !skip(n))
          return part;
        break;
      case 'c':
        for (int line = 0; line < 2; ++line) {
          p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
          if (p == nullptr)
            return part;
          ++p;
        }
        break;
      case 'q':
      case 'r':
        if (!length(p[-1] == 'q' ? 1 : 4, n))
          return part;
        part.explicit_puts = true;
        if (from_start && n >= read.size() && n - read.size() <= kMaxMemoGap)
          read.resize(static_cast<std::size_t>(n) + 1, 0);
        break;
      case 'h':
      case 'j':
        if (!length(p[-1] == 'h' ? 1 : 4, n))
          return part;
        if (from_start) {
          if (n < read.size())
            read[static_cast<std::size_t>(n)] = 1;
        } else if (n < index_limit) {
          if (n >= read.size())
            read.resize(static_cast<std::size_t>(n) + 1, 0);
          read[static_cast<std::size_t>(n)] = 1;
        }
        break;
      default:
        return part;
    }
  }
  part.complete = p == end;
  return part;
}

// A FRAME opcode's end near the middle of the pickle: protocol 4 and 5 group opcodes in frames
// of about 64 KiB, so a frame's end is an opcode boundary found without reading the opcodes.
// None when the frames are not contiguous from the start (or there are none).
const char* middle_frame_end(std::string_view data) {
  const char* p = data.data() + 2;  // after PROTO
  const char* const end = data.data() + data.size();
  const char* const middle = data.data() + data.size() / 2;
  while (end - p >= 9 && static_cast<unsigned char>(*p) == 0x95) {
    const std::uint64_t length = little_endian(p + 1, 8);
    if (length > static_cast<std::uint64_t>(end - (p + 9)))
      return nullptr;
    p += 9 + length;
    if (p >= middle)
      return p < end ? p : nullptr;
  }
  return nullptr;
}

}  // namespace

std::vector<std::uint8_t> memo_entries_read(std::string_view data) {
  // Large framed pickles are scanned in two halves on both cores; the second half's reads are
  // absolute memo indices, so they merge into the first half's table once its length is known.
  constexpr std::size_t kParallelFrom = std::size_t{4} << 20;
  const char* split = data.size() >= kParallelFrom ? middle_frame_end(data) : nullptr;
  if (split == nullptr)
    return scan_part(data.data(), data.data() + data.size(), true, 0).read;
  auto later = std::async(std::launch::async, [&] {
    return scan_part(split, data.data() + data.size(), false, data.size());
  });
  PartScan first = scan_part(data.data(), split, true, 0);
  PartScan second = later.get();
  // A first half that stopped early (at STOP, or at what the reader will refuse) or a second
  // half that numbers memo entries itself: the whole file is scanned in one piece instead.
  if (!first.complete || second.explicit_puts)
    return scan_part(data.data(), data.data() + data.size(), true, 0).read;
  std::vector<std::uint8_t>& read = first.read;
  read.resize(read.size() + second.memoized, 0);
  const std::size_t common = std::min(read.size(), second.read.size());
  for (std::size_t i = 0; i < common; ++i)
    read[i] |= second.read[i];
  return std::move(read);
}

}  // namespace ea::native::pickle
