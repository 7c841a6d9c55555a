// SPDX-License-Identifier: Apache-2.0
// The native plugin's pickle reader on pickles written by CPython 3.11's pickle module (the hex
// strings below; the objects are named in each test) and on hand-made hostile ones.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "../../plugins/native/pickle_memo_scan.hpp"
#include "../../plugins/native/pickle_reader.hpp"
#include "ea/sdk/error.hpp"

namespace pickle = ea::native::pickle;

namespace {

std::string from_hex(std::string_view hex) {
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    bytes.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return bytes;
}

// Allows the one test class and protocol 2's way of writing bytes.
pickle::Policy test_policy() {
  pickle::Policy policy;
  policy.allowed = [](std::string_view module, std::string_view name) {
    return (module == "encord_active.lib.db.predictions" && name == "Point") ||
           (module == "_codecs" && name == "encode");
  };
  policy.reduce_allowed = [](const pickle::Global& callable, std::span<const pickle::Value>) {
    return callable.module == "_codecs";
  };
  return policy;
}

std::string error_of(const std::string& bytes) {
  try {
    const pickle::Document document(bytes, test_policy());
  } catch (const ea::sdk::InputError& error) {
    return error.reason();
  }
  return "no error";
}

const pickle::List& list_in(const pickle::Value& value) {
  REQUIRE(pickle::as_list(value) != nullptr);
  return *pickle::as_list(value);
}

// [1, -2, 300, 70000, -70000, 2**40, 1.5, "héllo", b"\x00\x01", None, True, False, (1, 2),
//  {"a": [1.25]}] with protocols 3, 4 and 5 (2 writes the bytes through _codecs.encode).
constexpr const char* kScalars[] = {
    "80035d7100284b014afeffffff4d2c014a701101004a90eefeff8a06000000000001473ff800000000000058060000"
    "00"
    "68c3a96c6c6f71014302000171024e88894b014b028671037d710458010000006171055d7106473ff4000000000000"
    "61"
    "73652e",
    "80049554000000000000005d94284b014afeffffff4d2c014a701101004a90eefeff8a06000000000001473ff80000"
    "000000008c0668c3a96c6c6f9443020001944e88894b014b0286947d948c0161945d94473ff4000000000000617365"
    "2e",
    "80059554000000000000005d94284b014afeffffff4d2c014a701101004a90eefeff8a06000000000001473ff80000"
    "000000008c0668c3a96c6c6f9443020001944e88894b014b0286947d948c0161945d94473ff4000000000000617365"
    "2e",
};

}  // namespace

TEST_CASE("pickle: scalars and containers of protocols 3 to 5 read as CPython wrote them") {
  for (const char* hex : kScalars) {
    const std::string bytes = from_hex(hex);
    const pickle::Document document(bytes, test_policy());
    const auto& items = list_in(document.root()).items;
    REQUIRE(items.size() == 14);
    CHECK(std::get<std::int64_t>(items[0].content) == 1);
    CHECK(std::get<std::int64_t>(items[1].content) == -2);
    CHECK(std::get<std::int64_t>(items[2].content) == 300);
    CHECK(std::get<std::int64_t>(items[3].content) == 70000);
    CHECK(std::get<std::int64_t>(items[4].content) == -70000);
    CHECK(std::get<std::int64_t>(items[5].content) == (std::int64_t{1} << 40));
    CHECK(std::get<double>(items[6].content) == 1.5);
    CHECK(std::get<std::string_view>(items[7].content) == "h\xc3\xa9llo");
    CHECK(std::get<pickle::Bytes>(items[8].content).data == std::string("\x00\x01", 2));
    CHECK(std::holds_alternative<pickle::None>(items[9].content));
    CHECK(std::get<bool>(items[10].content));
    CHECK_FALSE(std::get<bool>(items[11].content));
    CHECK(list_in(items[12]).items.size() == 2);
    REQUIRE(pickle::as_dict(items[13]) != nullptr);
    const auto& dict = *pickle::as_dict(items[13]);
    REQUIRE(dict.items.size() == 1);
    CHECK(std::get<std::string_view>(dict.items[0].first.content) == "a");
    CHECK(std::get<double>(list_in(dict.items[0].second).items[0].content) == 1.25);
  }
}

TEST_CASE("pickle: an allowed class becomes an object with its state, nothing is run") {
  // [Point(0.25, 0.5), Point(1.0, 2.0)], Point in module encord_active.lib.db.predictions.
  for (const char* hex :
       {"80025d71002863656e636f72645f6163746976652e6c69622e64622e70726564696374696f6e730a506f696e74"
        "0a7101298171027d7103285801000000787104473fd00000000000005801000000797105473fe0000000000000"
        "75626801298171067d7107286804473ff000000000000068054740000000000000007562652e",
        "80059574000000000000005d94288c20656e636f72645f6163746976652e6c69622e64622e7072656469637469"
        "6f6e73948c05506f696e749493942981947d94288c017894473fd00000000000008c017994473fe00000000000"
        "00756268032981947d94286806473ff000000000000068074740000000000000007562652e"}) {
    const std::string bytes = from_hex(hex);
    const pickle::Document document(bytes, test_policy());
    const auto& points = list_in(document.root()).items;
    REQUIRE(points.size() == 2);
    REQUIRE(pickle::as_object(points[1]) != nullptr);
    const auto& second = *pickle::as_object(points[1]);
    CHECK(second.type->name == "Point");
    REQUIRE(pickle::as_dict(second.state) != nullptr);
    const auto& state = *pickle::as_dict(second.state);
    CHECK(std::get<std::string_view>(state.items[1].first.content) == "y");
    CHECK(std::get<double>(state.items[1].second.content) == 2.0);
  }
}

TEST_CASE("pickle: hostile and broken pickles are refused with one reason") {
  // os.system("touch /tmp/ea-canary") through REDUCE, as CPython writes it on Linux.
  CHECK(error_of(from_hex("800263706f7369780a73797374656d0a71005814000000746f756368202f746d702f65"
                          "612d63616e61727971018571025271032e")) ==
        "the pickle refers to posix.system, which is not allowed (at byte 2)");
  // eval("1+1").
  CHECK(error_of(from_hex("8004951f000000000000008c086275696c74696e73948c046576616c9493948c03312b"
                          "3194859452942e"))
            .starts_with("the pickle refers to builtins.eval, which is not allowed"));
  // An allowed name called in a way the policy refuses.
  pickle::Policy strict = test_policy();
  strict.reduce_allowed = [](const pickle::Global&, std::span<const pickle::Value>) {
    return false;
  };
  const std::string calls_point = from_hex(
      "80025d71002863656e636f72645f6163746976652e6c69622e64622e70726564696374696f6e730a506f696e740a"
      "71012952");
  CHECK_THROWS_WITH_AS(pickle::Document(calls_point, strict),
                       doctest::Contains("calls encord_active.lib.db.predictions.Point"),
                       ea::sdk::InputError);
  // 150 nested lists.
  std::string deep = "\x80\x04";
  for (int i = 0; i < 151; ++i)
    deep += "]";
  for (int i = 0; i < 150; ++i)
    deep += "a";
  deep += ".";
  CHECK(error_of(deep).starts_with("the pickle nests values more than 100 levels deep"));
  // A string declaring 2^60 bytes.
  CHECK(error_of(std::string("\x80\x04\x8d\x00\x00\x00\x00\x00\x00\x00\x10", 11))
            .starts_with("the pickle is truncated or corrupt: it declares 1152921504606846976 "
                         "bytes where only 0 remain"));
  // Truncated in the middle of a float, and with no STOP.
  CHECK(error_of(std::string("\x80\x04G\x3f\xf8", 5))
            .starts_with(
                "the pickle is truncated or corrupt: it declares 8 bytes where only 2 remain"));
  CHECK(error_of(std::string("\x80\x04]", 3)).starts_with("the pickle is truncated"));
  // Protocol 1 and an unknown protocol.
  CHECK(error_of(from_hex("5d71004b01612e")) ==
        "the file is not a pickle of protocol 2 or later (at byte 0)");
  CHECK(error_of(std::string("\x80\x07N.", 4)).starts_with("pickle protocol 7 is not supported"));
  // A list changed after being placed in another one (how a cycle or a false depth is built).
  CHECK(error_of(std::string("\x80\x04]\x94]\x94h\x00"
                             "a0h\x00]a.",
                             15))
            .starts_with("the pickle changes a value after placing it in another"));
  // A list placed inside itself.
  CHECK(error_of(std::string("\x80\x04]\x94h\x00"
                             "a.",
                             8))
            .starts_with("the pickle places a value inside itself"));
  // Out-of-band buffers and persistent ids are never accepted.
  CHECK(error_of(std::string("\x80\x05\x97.", 4))
            .starts_with("the pickle uses opcode 0x97, which this reader does not accept"));
}

namespace {

// A protocol-2 pickle of the list [0, 1, …, count − 1] written as Python writes lists: APPENDS
// of 1,000 items at a time; `tail` replaces the final STOP.
std::string list_pickle(int count, const std::string& tail = ".") {
  std::string bytes("\x80\x02]", 3);
  for (int first = 0; first < count; first += 1000) {
    bytes += '(';
    for (int i = first; i < std::min(count, first + 1000); ++i) {
      bytes += 'M';  // BININT2
      bytes += static_cast<char>(i & 0xff);
      bytes += static_cast<char>((i >> 8) & 0xff);
    }
    bytes += 'e';
  }
  return bytes + tail;
}

// What a streamed list's items were, as handed over: each item as text (numbers, strings, or
// "dict" for a dict), checking that hand-overs come on the calling thread, in order.
struct Seen {
  std::vector<std::string> items;
  bool in_order = true;
  bool on_caller = true;
  std::thread::id caller = std::this_thread::get_id();
  std::function<void(std::uint64_t index)> on_item;  // e.g. to throw at one
};

std::string text_of(const pickle::Value& item) {
  if (const auto* number = pickle::get_if<std::int64_t>(item))
    return std::to_string(*number);
  if (const auto* text = pickle::get_if<std::string_view>(item))
    return std::string(*text);
  return pickle::as_dict(item) != nullptr ? "dict" : "other";
}

// One batch of a streamed list: items are read on the reader's threads, handed over to `seen`.
class Collect final : public pickle::ItemBatch {
 public:
  explicit Collect(Seen& seen) : seen_(seen) {}
  void read(std::span<const pickle::Value> items) override {
    for (const pickle::Value& item : items)
      read_.push_back(text_of(item));
  }
  void hand_over(std::uint64_t first) override {
    seen_.in_order = seen_.in_order && first == seen_.items.size();
    seen_.on_caller = seen_.on_caller && std::this_thread::get_id() == seen_.caller;
    for (std::string& item : read_) {
      if (seen_.on_item)
        seen_.on_item(seen_.items.size());
      seen_.items.push_back(std::move(item));
    }
    read_.clear();
  }

 private:
  Seen& seen_;
  std::vector<std::string> read_;
};

// A hand-over that throws at item `index`, as a sink that gives up would.
std::function<void(std::uint64_t)> give_up_at(std::uint64_t index) {
  return [index](std::uint64_t item) {
    if (item == index)
      throw std::runtime_error("the sink gave up");
  };
}

pickle::BatchMaker collect(Seen& seen) {
  return [&seen] { return std::make_unique<Collect>(seen); };
}

}  // namespace

TEST_CASE("a streamed list reaches the batches in order, handed over on the calling thread") {
  const std::string bytes = list_pickle(25'000);
  Seen seen;
  const pickle::Document document(bytes, test_policy(), collect(seen));
  REQUIRE(seen.items.size() == 25'000);
  for (std::size_t i = 0; i < seen.items.size(); ++i)
    REQUIRE(seen.items[i] == std::to_string(i));
  CHECK(seen.in_order);
  CHECK(seen.on_caller);
  CHECK(document.streamed() == 25'000);
}

TEST_CASE("a streamed read stops cleanly on a hand-over's exception and on a late bad opcode") {
  const std::string bytes = list_pickle(25'000);
  Seen seen;
  seen.on_item = give_up_at(1'500);
  CHECK_THROWS_WITH(pickle::Document(bytes, test_policy(), collect(seen)), "the sink gave up");
  CHECK(seen.items.size() == 1'500);
  // The items before the bad opcode are handed over, then its error is passed on.
  const std::string broken = list_pickle(5'000, "\x97.");
  Seen before_error;
  try {
    const pickle::Document document(broken, test_policy(), collect(before_error));
    FAIL("the bad opcode was accepted");
  } catch (const ea::sdk::InputError& error) {
    CHECK(std::string(error.reason()).starts_with("the pickle uses opcode 0x97"));
  }
  CHECK(before_error.items.size() == 5'000);
}

namespace {

// Opcodes packed into protocol-4 frames of at most 64 KiB, as Python frames them.
std::string framed(const std::vector<std::string>& opcodes) {
  std::string bytes("\x80\x04", 2);
  std::string frame;
  const auto flush = [&] {
    bytes += '\x95';
    for (int i = 0; i < 8; ++i)
      bytes += static_cast<char>((frame.size() >> (8 * i)) & 0xff);
    bytes += frame;
    frame.clear();
  };
  for (const std::string& opcode : opcodes) {
    if (frame.size() + opcode.size() > 65536)
      flush();
    frame += opcode;
  }
  flush();
  return bytes;
}

std::string long_binget(std::uint32_t index) {
  std::string opcode = "j";
  for (int i = 0; i < 4; ++i)
    opcode += static_cast<char>((index >> (8 * i)) & 0xff);
  return opcode;
}

}  // namespace

TEST_CASE("a large framed pickle's memo is scanned on both cores and read back in either half") {
  // A list of 1.2 million strings in 1,200 APPENDS: every batch stores a new string ("b<N>") and
  // refers back to it and to one stored at the very start, so references cross the middle of the
  // file, where the scan splits, in both directions.
  // "late" is stored at the start and read back only in the last batch, far past the split.
  std::vector<std::string> opcodes{"]", "\x94",         "\x8c\x06shared", "\x94",
                                   "0", "\x8c\x04late", "\x94",           "0"};
  std::uint32_t memo = 3;  // the list, "shared" and "late"
  constexpr int kBatches = 1'200;
  for (int batch = 0; batch < kBatches; ++batch) {
    opcodes.emplace_back("(");
    const std::string name = "b" + std::to_string(batch);
    opcodes.push_back(std::string("\x8c") + static_cast<char>(name.size()) + name);
    opcodes.emplace_back("\x94");
    const std::uint32_t own = memo++;
    for (int i = 1; i < 1'000; ++i) {
      if (batch == kBatches - 1 && i == 999)
        opcodes.emplace_back("h\x02", 2);
      else
        opcodes.push_back(i % 2 == 0 ? std::string("h\x01", 2) : long_binget(own));
    }
    opcodes.emplace_back("e");
  }
  opcodes.emplace_back(".");
  const std::string bytes = framed(opcodes);
  REQUIRE(bytes.size() > (std::size_t{4} << 20));  // large enough for the split scan

  Seen seen;
  const pickle::Document document(bytes, test_policy(), collect(seen));
  REQUIRE(seen.items.size() == kBatches * 1'000);
  CHECK(seen.in_order);
  CHECK(seen.on_caller);
  bool as_expected = true;
  for (std::size_t index = 0; index < seen.items.size(); ++index) {
    const std::uint64_t batch = index / 1'000, at = index % 1'000;
    const std::string own = "b" + std::to_string(batch);
    const bool last = index + 1 == kBatches * 1'000;
    as_expected = as_expected && seen.items[index] == (last                     ? "late"
                                                       : at == 0 || at % 2 == 1 ? own
                                                                                : "shared");
  }
  CHECK(as_expected);
}

namespace {

// A framed protocol-4 pickle of `batches` APPENDS of 1,000 items, Python's way, each item made
// by `item(batch, i)`, to the list `head` makes (by default an empty list, memoized); `tail`
// replaces the STOP. Large enough, it is read in parts on two threads.
std::string framed_list(int batches, const std::function<std::string(int, int)>& item,
                        const std::vector<std::string>& head = {"]", "\x94"},
                        const std::string& tail = ".") {
  std::vector<std::string> opcodes = head;
  for (int batch = 0; batch < batches; ++batch) {
    opcodes.emplace_back("(");
    for (int i = 0; i < 1'000; ++i)
      opcodes.push_back(item(batch, i));
    opcodes.emplace_back("e");
  }
  opcodes.push_back(tail);
  return framed(opcodes);
}

std::string binint2(int value) {
  return std::string{'M', static_cast<char>(value & 0xff), static_cast<char>((value >> 8) & 0xff)};
}

// The items of `bytes` read in order into one tree, as text.
std::vector<std::string> read_in_order(const std::string& bytes) {
  const pickle::Document whole(bytes, test_policy());
  std::vector<std::string> items;
  for (const pickle::Value& item : list_in(whole.root()).items)
    items.push_back(text_of(item));
  return items;
}

}  // namespace

TEST_CASE("a list read in parts gives what reading it in order gives, whatever a part needs") {
  SUBCASE("parts that share nothing") {
    const std::string bytes =
        framed_list(600, [](int batch, int i) { return binint2((batch * 7 + i) & 0xffff); });
    REQUIRE(bytes.size() > (std::size_t{1} << 20));  // several parts
    Seen seen;
    const pickle::Document document(bytes, test_policy(), collect(seen));
    CHECK(seen.items == read_in_order(bytes));
    CHECK(seen.in_order);
    CHECK(document.streamed() == 600'000);
  }
  SUBCASE("a hand-over that throws stops the parts being read") {
    const std::string bytes = framed_list(600, [](int, int i) { return binint2(i); });
    Seen seen;
    seen.on_item = give_up_at(300'000);
    CHECK_THROWS_WITH(pickle::Document(bytes, test_policy(), collect(seen)), "the sink gave up");
    CHECK(seen.items.size() == 300'000);
  }
  SUBCASE("a part refers to a dict an earlier part stored but never placed anywhere") {
    // The dict may still change when the later part is read at the same time, so it is not
    // shared: that part, and the rest, are read again in order, where the dict is then placed.
    const std::string bytes =
        framed_list(600,
                    [](int batch, int i) {
                      return batch == 450 && i == 10 ? std::string("h\x01", 2) : binint2(i);
                    },
                    {"]", "\x94", "}", "\x94", "0"});
    Seen seen;
    const pickle::Document document(bytes, test_policy(), collect(seen));
    const std::vector<std::string> expected = read_in_order(bytes);
    REQUIRE(expected[450'010] == "dict");
    CHECK(seen.items == expected);
    CHECK(seen.in_order);
    CHECK(seen.on_caller);
  }
  SUBCASE("breaks that are not the top-level list's") {
    // {"a": [0, 1, …]}: every APPENDS closes every mark, but the list is not alone on the stack,
    // so no part can start there; nothing is streamed and the dict is read whole.
    const std::string bytes = framed_list(
        600, [](int, int i) { return binint2(i); },
        {"}", "\x94",
         "\x8c\x01"
         "a",
         "]"},
        "s.");
    Seen seen;
    const pickle::Document document(bytes, test_policy(), collect(seen));
    CHECK(seen.items.empty());
    REQUIRE(pickle::as_dict(document.root()) != nullptr);
    const auto& dict = *pickle::as_dict(document.root());
    REQUIRE(dict.items.size() == 1);
    CHECK(list_in(dict.items[0].second).items.size() == 600'000);
  }
  SUBCASE("an error late in the file, after parts read at once") {
    const std::string bytes = framed_list(
        600, [](int, int i) { return binint2(i); }, {"]", "\x94"}, "\x97.");
    std::string in_order;
    try {
      read_in_order(bytes);
    } catch (const ea::sdk::InputError& error) {
      in_order = error.reason();
    }
    REQUIRE(in_order.starts_with("the pickle uses opcode 0x97"));
    Seen seen;
    CHECK_THROWS_WITH(pickle::Document(bytes, test_policy(), collect(seen)), in_order.c_str());
    CHECK(seen.items.size() == 600'000);
    CHECK(seen.in_order);
  }
}

namespace {

std::string le32(std::uint32_t value) {
  std::string bytes;
  for (int i = 0; i < 4; ++i)
    bytes += static_cast<char>((value >> (8 * i)) & 0xff);
  return bytes;
}

// A protocol-2 list (no frames; memo entries stored by LONG_BINPUT, as numbered by `index_of`) of
// 600 APPENDS of 1,001 strings: first the string stored at the very start, read back, then pairs
// of a new string and the same string read back.
std::string unframed_list(const std::function<std::uint32_t(std::uint32_t)>& index_of) {
  std::string bytes =
      std::string("\x80\x02]q", 4) + '\0' + "\x8c\x05" + "first" + "r" + le32(index_of(1)) + "0";
  std::uint32_t stored = 2;
  for (int batch = 0; batch < 600; ++batch) {
    bytes += '(';
    bytes += "j" + le32(index_of(1));
    for (int i = 1; i < 1'000; i += 2) {
      const std::string text = std::to_string(batch * 1'000 + i);
      bytes += "\x8c" + std::string(1, static_cast<char>(text.size())) + text;
      bytes += "r" + le32(index_of(stored));
      bytes += "j" + le32(index_of(stored));
      ++stored;
    }
    bytes += 'e';
  }
  return bytes + ".";
}

}  // namespace

TEST_CASE("a protocol-2 list, whose memo is numbered by its puts, is read in parts too") {
  SUBCASE("puts numbered in order") {
    const std::string bytes = unframed_list([](std::uint32_t index) { return index; });
    REQUIRE(bytes.size() > (std::size_t{1} << 20));
    const pickle::MemoScan scan = pickle::scan_memo(bytes);
    CHECK(scan.numbered_in_order);
    CHECK(scan.breaks.size() == 600);  // every APPENDS closes the batch's only mark
    Seen seen;
    const pickle::Document document(bytes, test_policy(), collect(seen));
    const std::vector<std::string> expected = read_in_order(bytes);
    REQUIRE(seen.items.size() == 600'600);
    CHECK(seen.items == expected);
    CHECK(seen.items[1'001] == "first");
    CHECK(seen.items[1'003] == "1001");
    CHECK(seen.items[600'599] == "599999");
    CHECK(seen.in_order);
  }
  SUBCASE("puts out of order: read in order on one thread, with the same result") {
    // Indices run backwards in each pair, so no part could know which entries are whose.
    const std::string bytes =
        unframed_list([](std::uint32_t index) { return index % 2 == 0 ? index + 1 : index - 1; });
    CHECK_FALSE(pickle::scan_memo(bytes).numbered_in_order);
    Seen seen;
    const pickle::Document document(bytes, test_policy(), collect(seen));
    CHECK(seen.items == read_in_order(bytes));
    CHECK(seen.items[1'001] == "first");
  }
}
