// SPDX-License-Identifier: Apache-2.0
// Skips through a pickle's opcodes by their argument sizes (CPython's pickletools documentation)
// without building anything.
#include "pickle_memo_scan.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <future>
#include <initializer_list>
#include <iterator>
#include <limits>

namespace ea::native::pickle {

namespace {

// What a scan of part of a pickle found.
struct PartScan {
  std::vector<std::uint8_t> read;  // 1 at every memo index read back (absolute indices)
  std::vector<ListBreak> breaks;   // from elsewhere: memo sizes counted from the part's start
  std::uint64_t stored = 0;        // memo entries stored in the part
  std::int64_t depth = 0;          // marks open at its end, counted from its start
  std::int64_t break_depth = 0;    // the depth after each recorded break's APPENDS (the lowest)
  bool in_order = true;            // puts numbered as they come (from the start only)
  bool explicit_puts = false;      // BINPUT or LONG_BINPUT seen
  bool complete = false;           // reached `end` at an opcode boundary
};

// Scans [begin, end) of `data`. `from_start`: the part begins the file, so memo numbering and
// mark depth are known; elsewhere they count from the part's start, and a break is recorded where
// the depth is lowest (where the whole file's is 0 if the part has any top-level break).
PartScan scan_part(std::string_view data, const char* begin, const char* end, bool from_start) {
  PartScan part;
  std::int64_t lowest = from_start ? 0 : std::numeric_limits<std::int64_t>::max();
  std::uint64_t stored = 0;
  std::int64_t depth = 0;
  const char* p = begin;
  std::array<std::uint8_t, 256> read_small{};  // BINGET's entries: one store, no bounds to check
  const auto finish = [&](bool complete) {
    if (part.read.size() < read_small.size())
      part.read.resize(read_small.size(), 0);
    for (std::size_t i = 0; i < read_small.size(); ++i)
      part.read[i] |= read_small[i];
    part.stored = stored;
    part.depth = depth;
    part.break_depth = lowest;
    part.complete = complete;
    return std::move(part);
  };
  const auto skip = [&](std::uint64_t count) {
    if (count > static_cast<std::uint64_t>(end - p))
      return false;
    p += count;
    return true;
  };
  const auto number = [&](std::size_t bytes, std::uint64_t& value) {
    if (static_cast<std::size_t>(end - p) < bytes)
      return false;
    value = little_endian(p, bytes);
    p += bytes;
    return true;
  };
  std::uint64_t n = 0;
  const void* code[256];
  std::fill(std::begin(code), std::end(code), &&stop);
  for (const int opcode :
       std::initializer_list<int>{'0', '2', 'N', 0x88, 0x89, ']', ')', 0x8f, 0x85, 0x86, 0x87, 'a',
                                  '}', 's', 'R', 0x81, 0x92, 'b', 0x93})
    code[opcode] = &&next;
  code['('] = &&mark;
  for (const int opcode : std::initializer_list<int>{'1', 'l', 't', 0x91, 0x90, 'd', 'u'})
    code[opcode] = &&pop_mark;
  code['e'] = &&appends;
  code[0x94] = &&memoize;
  code[0x80] = code['K'] = &&skip1;
  code['M'] = &&skip2;
  code['J'] = &&skip4;
  code['G'] = code[0x95] = &&skip8;
  code[0x8a] = code[0x8c] = code['C'] = &&text1;
  code[0x8b] = code['X'] = code['B'] = &&text4;
  code[0x8d] = code[0x8e] = code[0x96] = &&text8;
  code['h'] = &&get1;
  code['j'] = &&get4;
  code['q'] = &&put1;
  code['r'] = &&put4;
  code['c'] = &&global_lines;

  // Each opcode's code jumps straight to the next one's (GCC's labels as values), written out
  // at every label: GCC merges a shared `goto next` into one indirect jump, whose target the
  // branch predictor then guesses from all opcodes at once. With a jump per opcode kind, each is
  // predicted from its own history, and Python's pickles repeat the same few sequences: the scan
  // takes ~40 % less time than with the shared jump (a file of 200,000 predictions).
#define EA_SCAN_NEXT                              \
  do {                                            \
    if (p >= end) [[unlikely]]                    \
      return finish(p == end);                    \
    goto* code[static_cast<unsigned char>(*p++)]; \
  } while (false)

next:
  EA_SCAN_NEXT;
mark:
  ++depth;
  EA_SCAN_NEXT;
pop_mark:
  --depth;
  EA_SCAN_NEXT;
appends:
  if (--depth <= lowest) {
    if (depth < lowest) {
      lowest = depth;
      part.breaks.clear();
    }
    part.breaks.push_back({static_cast<std::size_t>(p - data.data()), stored});
  }
  EA_SCAN_NEXT;
memoize:
  ++stored;
  EA_SCAN_NEXT;
skip1:
  if (skip(1))
    EA_SCAN_NEXT;
  return finish(false);
skip2:
  if (skip(2))
    EA_SCAN_NEXT;
  return finish(false);
skip4:
  if (skip(4))
    EA_SCAN_NEXT;
  return finish(false);
skip8:
  if (skip(8))
    EA_SCAN_NEXT;
  return finish(false);
text1:
  if (number(1, n) && skip(n))
    EA_SCAN_NEXT;
  return finish(false);
text4:
  if (number(4, n) && skip(n))
    EA_SCAN_NEXT;
  return finish(false);
text8:
  if (number(8, n) && skip(n))
    EA_SCAN_NEXT;
  return finish(false);
get1:
  if (p == end)
    return finish(false);
  read_small[static_cast<unsigned char>(*p++)] = 1;
  EA_SCAN_NEXT;
get4:
  if (!number(4, n))
    return finish(false);
  if (n < data.size()) {  // no pickle of this size stores that many entries
    if (n >= part.read.size())
      part.read.resize(static_cast<std::size_t>(n) + 1, 0);
    part.read[static_cast<std::size_t>(n)] = 1;
  }
  EA_SCAN_NEXT;
put1:
  if (!number(1, n))
    return finish(false);
  goto put;
put4:
  if (!number(4, n))
    return finish(false);
put:
  part.explicit_puts = true;
  if (n != stored)
    part.in_order = false;
  if (n >= stored && n - stored <= kMaxMemoGap)
    stored = n + 1;
  EA_SCAN_NEXT;
global_lines:
  for (int line = 0; line < 2; ++line) {
    p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    if (p == nullptr)
      return finish(false);
    ++p;
  }
  EA_SCAN_NEXT;
stop:  // STOP, or what the reader refuses
  return finish(false);
#undef EA_SCAN_NEXT
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

MemoScan whole(std::string_view data) {
  PartScan part = scan_part(data, data.data(), data.data() + data.size(), true);
  part.read.resize(static_cast<std::size_t>(part.stored), 0);
  return {std::move(part.read), std::move(part.breaks), part.in_order};
}

}  // namespace

MemoScan scan_memo(std::string_view data) {
  // Large framed pickles are scanned in two halves on both cores; the second half's reads are
  // absolute memo indices, so they merge into the first half's table once its length is known.
  constexpr std::size_t kParallelFrom = std::size_t{4} << 20;
  const char* split = data.size() >= kParallelFrom ? middle_frame_end(data) : nullptr;
  if (split == nullptr)
    return whole(data);
  auto later = std::async(std::launch::async,
                          [&] { return scan_part(data, split, data.data() + data.size(), false); });
  PartScan first = scan_part(data, data.data(), split, true);
  PartScan second = later.get();
  // A first half that stopped early (at STOP, or at what the reader will refuse) or a second
  // half that numbers memo entries itself: the whole file is scanned in one piece instead.
  if (!first.complete || second.explicit_puts)
    return whole(data);
  MemoScan scan;
  scan.read = std::move(first.read);
  scan.read.resize(static_cast<std::size_t>(first.stored + second.stored), 0);
  const std::size_t common = std::min(scan.read.size(), second.read.size());
  for (std::size_t i = 0; i < common; ++i)
    scan.read[i] |= second.read[i];
  scan.breaks = std::move(first.breaks);
  if (!second.breaks.empty() &&
      first.depth + second.break_depth == 0) {  // the second half's breaks are top-level ones
    for (ListBreak at : second.breaks) {
      at.memo_size += first.stored;
      scan.breaks.push_back(at);
    }
  }
  scan.numbered_in_order = first.in_order;
  return scan;
}

}  // namespace ea::native::pickle
