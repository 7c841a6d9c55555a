// SPDX-License-Identifier: Apache-2.0
// Skips through a pickle's opcodes by their argument sizes (CPython's pickletools documentation)
// without building anything.
#include "pickle_memo_scan.hpp"

#include <cstring>

namespace ea::native::pickle {

std::vector<std::uint8_t> memo_entries_read(std::string_view data) {
  std::vector<std::uint8_t> read;  // one entry per memo entry stored so far
  read.reserve(data.size() / 8);
  const char* p = data.data();
  const char* const end = p + data.size();
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
        return read;
      case 0x94:  // MEMOIZE
        read.push_back(0);
        break;
      case 0x80:
      case 'K':
        if (!skip(1))
          return read;
        break;
      case 'M':
        if (!skip(2))
          return read;
        break;
      case 'J':
        if (!skip(4))
          return read;
        break;
      case 'G':
      case 0x95:
        if (!skip(8))
          return read;
        break;
      case 0x8a:
      case 0x8c:
      case 'C':
        if (!length(1, n) || !skip(n))
          return read;
        break;
      case 0x8b:
      case 'X':
      case 'B':
        if (!length(4, n) || !skip(n))
          return read;
        break;
      case 0x8d:
      case 0x8e:
      case 0x96:
        if (!length(8, n) || !skip(n))
          return read;
        break;
      case 'c':
        for (int line = 0; line < 2; ++line) {
          p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
          if (p == nullptr)
            return read;
          ++p;
        }
        break;
      case 'q':
      case 'r':
        if (!length(p[-1] == 'q' ? 1 : 4, n))
          return read;
        if (n >= read.size() && n - read.size() <= kMaxMemoGap)
          read.resize(static_cast<std::size_t>(n) + 1, 0);
        break;
      case 'h':
      case 'j':
        if (!length(p[-1] == 'h' ? 1 : 4, n))
          return read;
        if (n < read.size())
          read[static_cast<std::size_t>(n)] = 1;
        break;
      default:
        return read;
    }
  }
  return read;
}

}  // namespace ea::native::pickle
