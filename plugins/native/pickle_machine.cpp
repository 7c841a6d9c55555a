// SPDX-License-Identifier: Apache-2.0
// A pickle interpreter that builds values and never calls anything: globals are only names, and
// a name the policy does not allow stops the read. Opcodes follow CPython's pickletools
// documentation for protocols 2 to 5.
//
// Python memoizes nearly every object it writes, but refers back to few of them. A first pass
// over the opcodes finds the memo entries that are ever read; only those are kept, and they and
// everything reachable from them are "pinned" in the lasting arena. The rest lives in the batch
// arena, which the sink recycles each time a batch of top-level items has been handed over.
//
// A machine may read only a part of the file, from one list break to another, while other
// machines read the parts before it: it then starts with a stand-in for the list on its stack,
// and reads earlier parts' memo entries as they are shared. Whether that start was right is
// checked when the part before ends (NotAtBreak otherwise).
#include "pickle_machine.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include <fmt/format.h>

#include "ea/sdk/error.hpp"
#include "pickle_containers.hpp"
#include "pickle_memo_scan.hpp"
#include "pickle_value_stack.hpp"

namespace ea::native::pickle {

namespace {

// Values on the stack at once; a list of predictions needs a few dozen.
constexpr std::size_t kMaxStack = 1u << 20;

template <class Container>
Container* container_as(const Value& value) {
  const auto* held = std::get_if<Container*>(&value.content);
  return held == nullptr ? nullptr : *held;
}

// Makes room for `more` items at once, keeping geometric growth: arena memory is never reused
// within a batch, so growing by exact amounts would leave a copy behind at every step.
template <class Vector>
void grow(Vector& items, std::size_t more) {
  const std::size_t needed = items.size() + more;
  if (needed > items.capacity())
    items.reserve(std::max(needed, 2 * items.capacity()));
}

class Machine {
 public:
  Machine(std::string_view data, const Policy& policy, const Part& part, const Workspace& workspace)
      : data_(data),
        policy_(policy),
        part_(part),
        sink_(workspace.sink),
        lasting_(&workspace.lasting),
        memo_(workspace.memo),
        containers_(workspace.lasting, workspace.first_batch),
        position_(part.begin),
        memo_size_(part.memo_size) {
    if (part.begin != 0) {  // the list's stand-in: only ever compared and appended to
      root_ = containers_.make<List>(true);
      stack_.push(Value{root_});
    }
  }

  Interpretation run() {
    try {
      if (part_.begin == 0 && (data_.size() < 2 || static_cast<unsigned char>(data_[0]) != 0x80))
        fail("the file is not a pickle of protocol 2 or later");
      for (;;) {
        opcode_at_ = position_;
        if (position_ >= part_.end) [[unlikely]]
          return at_break();
        const auto opcode = static_cast<unsigned char>(byte());
        if (opcode == '.') {
          if (part_.end != Part::kToStop)
            throw NotAtBreak{};
          return {stop(), streamed_};
        }
        step(opcode);
      }
    } catch (const sdk::InputError& error) {
      throw sdk::InputError(fmt::format("{} (at byte {})", error.reason(), opcode_at_));
    }
  }

 private:
  // Errors name no position here: run() adds the opcode's, for these and the containers' alike.
  [[noreturn, gnu::cold, gnu::noinline]] static void fail(const std::string& reason) {
    throw sdk::InputError(reason);
  }
  [[noreturn, gnu::cold, gnu::noinline]] void truncated(std::uint64_t count) const {
    fail(
        fmt::format("the pickle is truncated or corrupt: it declares {} bytes where only {} "
                    "remain",
                    count, data_.size() - position_));
  }
  [[noreturn, gnu::cold, gnu::noinline]] void empty_stack() const {
    fail("the pickle reads from an empty stack");
  }

  // --- reading the byte stream --------------------------------------------------------------
  [[gnu::always_inline]] char byte() {
    if (position_ >= data_.size())
      fail("the pickle is truncated");
    return data_[position_++];
  }
  [[gnu::always_inline]] std::string_view take(std::uint64_t count) {
    if (count > data_.size() - position_)
      truncated(count);
    const std::string_view bytes = data_.substr(position_, static_cast<std::size_t>(count));
    position_ += static_cast<std::size_t>(count);
    return bytes;
  }
  std::uint64_t unsigned_le(std::size_t bytes) { return little_endian(take(bytes).data(), bytes); }
  std::string_view line() {
    const std::size_t end = data_.find('\n', position_);
    if (end == std::string_view::npos)
      fail("the pickle is truncated");
    const std::string_view text = data_.substr(position_, end - position_);
    position_ = end + 1;
    return text;
  }

  // --- the stack ----------------------------------------------------------------------------
  [[gnu::always_inline]] void push(const Value& value) {
    if (stack_.full()) [[unlikely]]
      make_room();
    stack_.push(value);
  }
  [[gnu::noinline]] void make_room() {
    if (stack_.size() >= kMaxStack)
      fail("the pickle holds too many values at once");
    stack_.grow();
  }
  [[gnu::always_inline]] Value pop() {
    if (stack_.size() <= floor()) [[unlikely]]
      empty_stack();
    return stack_.pop();
  }
  [[gnu::always_inline]] Value& top() {
    if (stack_.size() <= floor()) [[unlikely]]
      empty_stack();
    return stack_.back();
  }
  std::size_t floor() const { return marks_.empty() ? 0 : marks_.back(); }
  // The values above the innermost mark; valid until the next push.
  std::span<const Value> pop_to_mark() {
    if (marks_.empty())
      fail("the pickle closes a mark it never opened");
    const std::size_t mark = marks_.back();
    marks_.pop_back();
    const std::span<const Value> items(stack_.data() + mark, stack_.size() - mark);
    stack_.shrink_to(mark);  // keeps the storage the span points into
    return items;
  }

  // --- containers ---------------------------------------------------------------------------
  Value make_list(std::span<const Value> items) {
    // The first value of a streamed pickle is the list whose items are handed over.
    const bool root = sink_ != nullptr && stack_.empty() && marks_.empty() && root_ == nullptr;
    List* list = containers_.make<List>(root);
    if (root)
      root_ = list;
    list->items.reserve(items.size());
    for (const Value& item : items)
      list->items.push_back(containers_.adopt(*list, item));
    return Value{list};
  }
  template <class Container>
  Container& on_top(const char* what) {
    Container* container = container_as<Container>(top());
    if (container == nullptr)
      fail(fmt::format("the pickle {} something that is not a {}", what,
                       std::is_same_v<Container, List> ? "list" : "dict"));
    return *container;
  }
  void append(std::span<const Value> items) {
    List& list = on_top<List>("appends to");
    if (&list == root_) {
      for (const Value& item : items)
        containers_.nest(list,
                         item);  // checks it and marks it nested; it is handed over, not stored
      sink_->take(items, streamed_);
      streamed_ += items.size();
      // Only the root is left: nothing the reader holds refers into the batch arena any more.
      if (stack_.size() == 1 && marks_.empty()) {
        containers_.use_batch_arena(sink_->next_arena());
        settle();
      }
      return;
    }
    grow(list.items, items.size());
    for (const Value& item : items)
      list.items.push_back(containers_.adopt(list, item));
  }
  void set_items(std::span<const Value> items) {
    if (items.size() % 2 != 0)
      fail("the pickle sets a dict key without a value");
    Dict& dict = on_top<Dict>("sets an item on");
    grow(dict.items, items.size() / 2);
    for (std::size_t i = 0; i < items.size(); i += 2) {
      const Value key = containers_.adopt(dict, items[i]);
      dict.items.emplace_back(key, containers_.adopt(dict, items[i + 1]));
    }
  }

  // --- globals and calls --------------------------------------------------------------------
  Value global(std::string_view module, std::string_view name) {
    if (!policy_.allowed || !policy_.allowed(module, name))
      fail(fmt::format("the pickle refers to {}.{}, which is not allowed", module, name));
    const Global* named =
        std::pmr::polymorphic_allocator<Global>(lasting_).new_object<Global>(module, name);
    return Value{named};
  }
  const Global& callable(const Value& value, const char* what) {
    const Global* global = as_global(value);
    if (global == nullptr)
      fail(std::string("the pickle ") + what + " something that is not a named class");
    return *global;
  }
  const List& tuple(const Value& value, const char* what) {
    const List* list = as_list(value);
    if (list == nullptr)
      fail(std::string("the pickle passes ") + what + " that are not a tuple");
    return *list;
  }
  Value make_object(const Global& type, const List& arguments) {
    Object* object = containers_.make<Object>();
    object->type = &type;
    object->arguments.reserve(arguments.items.size());
    for (const Value& argument : arguments.items)
      object->arguments.push_back(containers_.adopt(*object, argument));
    return Value{object};
  }
  void reduce() {
    const Value arguments = pop();
    const Global& function = callable(pop(), "calls");
    const List& items = tuple(arguments, "arguments");
    if (!policy_.reduce_allowed || !policy_.reduce_allowed(function, items.items)) {
      fail(fmt::format("the pickle calls {}.{} in a way that is not allowed", function.module,
                       function.name));
    }
    push_made(make_object(function, items));
  }
  void new_object(bool with_keywords) {
    if (with_keywords && as_dict(pop()) == nullptr)
      fail("the pickle passes keyword arguments that are not a dict");
    const Value arguments = pop();
    const Global& type = callable(pop(), "instantiates");
    push_made(make_object(type, tuple(arguments, "constructor arguments")));
  }
  void build() {
    const Value state = pop();
    Object* object = container_as<Object>(top());
    if (object == nullptr)
      fail("the pickle sets the state of something that is not an object");
    object->state = containers_.adopt(*object, state);
  }

  // --- the memo -----------------------------------------------------------------------------
  void memo_put(std::uint64_t index) {
    if (index > memo_size_ && index - memo_size_ > kMaxMemoGap)
      fail(fmt::format("the pickle stores memo entry {} far beyond the others", index));
    memo_size_ = std::max(memo_size_, index + 1);
    // Another part's entries are its own to store.
    if (index < part_.shared_below || (part_.end != Part::kToStop && index >= part_.end_memo_size))
        [[unlikely]]
      throw NotAtBreak{};
    if (RecentEntry& recent = recent_[index % kRecent]; recent.index == index)
      recent.index = kNoEntry;  // an explicit put may replace an entry
    if (!memo_.kept(index))
      return;  // never read back: not worth keeping
    Value& value = top();
    value =
        containers_.pin(value);  // the stack now holds the lasting copy, so later changes reach it
    const Node* node = as_node(value);
    const bool unchanging = node == nullptr || node->nested;
    memo_.store(index, value, unchanging);
    if (unchanging)
      shared_since_announced_ = true;
    else
      changing_.push_back(index);
  }
  [[gnu::always_inline]] void memo_get(std::uint64_t index) {
    RecentEntry& recent = recent_[index % kRecent];
    if (recent.index != index) [[unlikely]]
      recent = {index, memo_entry(index)};
    push(recent.value);
  }
  // Entry `index`, as stored or shared.
  Value memo_entry(std::uint64_t index) {
    if (index < part_.shared_below)
      return memo_.shared(index);
    const Value* value = index < memo_size_ ? memo_.own(index) : nullptr;
    if (value == nullptr) [[unlikely]]
      fail(fmt::format("the pickle refers to memo entry {}, which it never stored", index));
    return *value;
  }
  // Shares the entries kept while they could change that no longer can (placed in another
  // value), and wakes the parts that may wait for them.
  void settle() {
    std::erase_if(changing_, [&](std::uint64_t index) {
      const Value* value = memo_.own(index);
      const Node* node = value == nullptr ? nullptr : as_node(*value);
      if (node != nullptr && !node->nested)
        return false;
      memo_.share(index);
      shared_since_announced_ = true;
      return true;
    });
    if (shared_since_announced_) {
      memo_.announce();
      shared_since_announced_ = false;
    }
  }
  // The end of a part: it must leave things as its break promised the next part.
  Interpretation at_break() {
    if (position_ != part_.end || stack_.size() != 1 || !marks_.empty() ||
        memo_size_ != part_.end_memo_size || root_ == nullptr || as_list(stack_.back()) != root_ ||
        root_->nested)
      throw NotAtBreak{};
    settle();
    return {stack_.back(), streamed_};
  }
  // Pushes a value the pickle has just made; Python memoizes nearly all of them at once, so a
  // MEMOIZE right after is done here rather than through another dispatch.
  [[gnu::always_inline]] void push_made(const Value& value) {
    push(value);
    if (next_is(0x94)) {
      opcode_at_ = position_++;
      memo_put(memo_size_);
    }
  }
  [[gnu::always_inline]] bool next_is(unsigned char opcode) const {
    return position_ < data_.size() && static_cast<unsigned char>(data_[position_]) == opcode;
  }

  Value stop() {
    const Value result = pop();
    if (!stack_.empty() || !marks_.empty())
      fail("the pickle ends with values left on its stack");
    return result;
  }

  void step(unsigned char opcode) {
    switch (opcode) {
      case 0x80:  // PROTO
        if (const auto protocol = static_cast<unsigned char>(byte()); protocol < 2 || protocol > 5)
          fail(fmt::format("pickle protocol {} is not supported (2 to 5 are)", protocol));
        return;
      case 0x95:  // FRAME: framing only groups opcodes; its length is not needed
        take(8);
        return;
      case '(':  // MARK
        marks_.push_back(stack_.size());
        return;
      case '0':  // POP
        pop();
        return;
      case '1':  // POP_MARK
        pop_to_mark();
        return;
      case '2':  // DUP
        return push(top());
      case 'N':
        return push(Value{None{}});
      case 0x88:  // NEWTRUE
        return push(Value{true});
      case 0x89:  // NEWFALSE
        return push(Value{false});
      case 'J':  // BININT: 4-byte signed
        return push(Value{static_cast<std::int64_t>(static_cast<std::int32_t>(unsigned_le(4)))});
      case 'K':  // BININT1
        return push(Value{static_cast<std::int64_t>(unsigned_le(1))});
      case 'M':  // BININT2
        return push(Value{static_cast<std::int64_t>(unsigned_le(2))});
      case 0x8a:  // LONG1
        return push(long_integer(unsigned_le(1)));
      case 0x8b:  // LONG4
        return push(long_integer(unsigned_le(4)));
      case 'G': {  // BINFLOAT: big-endian IEEE double
        const std::string_view raw = take(8);
        std::uint64_t bits = 0;
        std::memcpy(&bits, raw.data(), sizeof bits);
        if constexpr (std::endian::native == std::endian::little)
          bits = __builtin_bswap64(bits);
        double value = 0;
        std::memcpy(&value, &bits, sizeof value);
        return push(Value{value});
      }
      case 0x8c:  // SHORT_BINUNICODE
        return push_made(Value{take(unsigned_le(1))});
      case 'X':  // BINUNICODE
        return push(Value{take(unsigned_le(4))});
      case 0x8d:  // BINUNICODE8
        return push(Value{take(unsigned_le(8))});
      case 'C':  // SHORT_BINBYTES
        return push(Value{Bytes{take(unsigned_le(1))}});
      case 'B':  // BINBYTES
        return push(Value{Bytes{take(unsigned_le(4))}});
      case 0x8e:  // BINBYTES8
      case 0x96:  // BYTEARRAY8
        return push(Value{Bytes{take(unsigned_le(8))}});
      case ')':  // EMPTY_TUPLE: one shared, as in Python (every NEWOBJ of an Encord class has one)
        return push(Value{containers_.empty_tuple()});
      case ']':   // EMPTY_LIST
      case 0x8f:  // EMPTY_SET
        return push_made(make_list({}));
      case 'l':   // LIST
      case 't':   // TUPLE
      case 0x91:  // FROZENSET
        return push(make_list(pop_to_mark()));
      case 0x85:    // TUPLE1
      case 0x86:    // TUPLE2
      case 0x87: {  // TUPLE3
        const auto count = static_cast<std::size_t>(opcode - 0x84);
        if (stack_.size() < floor() + count)
          empty_stack();
        const Value list = make_list({stack_.data() + stack_.size() - count, count});
        stack_.shrink_to(stack_.size() - count);
        return push_made(list);
      }
      case 'a': {  // APPEND
        const Value item = pop();
        return append({&item, 1});
      }
      case 'e':   // APPENDS
      case 0x90:  // ADDITEMS
        return append(pop_to_mark());
      case '}':  // EMPTY_DICT
        return push_made(Value{containers_.make<Dict>()});
      case 'd': {  // DICT
        const auto items = pop_to_mark();
        const std::vector<Value> pairs(items.begin(), items.end());  // push may reuse the slots
        push(Value{containers_.make<Dict>()});
        return set_items(pairs);
      }
      case 's': {  // SETITEM
        const Value value = pop();
        const Value key = pop();
        const Value pair[] = {key, value};
        return set_items(pair);
      }
      case 'u':  // SETITEMS
        return set_items(pop_to_mark());
      case 'c': {  // GLOBAL: "module\nname\n"
        const std::string_view module = line();
        return push(global(module, line()));
      }
      case 0x93: {  // STACK_GLOBAL
        const Value name = pop();
        const Value module = pop();
        const auto* name_text = get_if<std::string_view>(name);
        const auto* module_text = get_if<std::string_view>(module);
        if (name_text == nullptr || module_text == nullptr)
          fail("the pickle names a global with something that is not text");
        return push_made(global(*module_text, *name_text));
      }
      case 'R':  // REDUCE
        return reduce();
      case 0x81:  // NEWOBJ
        return new_object(false);
      case 0x92:  // NEWOBJ_EX
        return new_object(true);
      case 'b':  // BUILD
        return build();
      case 0x94:  // MEMOIZE
        return memo_put(memo_size_);
      case 'q':  // BINPUT
        return memo_put(unsigned_le(1));
      case 'r':  // LONG_BINPUT
        return memo_put(unsigned_le(4));
      case 'h':  // BINGET, often several in a row (a set's items, a dict's keys): done in one go
        memo_get(unsigned_le(1));
        while (next_is('h')) {
          opcode_at_ = position_++;
          memo_get(unsigned_le(1));
        }
        return;
      case 'j':  // LONG_BINGET
        return memo_get(unsigned_le(4));
      default:
        fail(fmt::format("the pickle uses opcode 0x{:02x}, which this reader does not accept",
                         opcode));
    }
  }

  Value long_integer(std::uint64_t bytes) {
    if (bytes > 8)
      fail(fmt::format("the pickle holds an integer of {} bytes, more than 8", bytes));
    const std::string_view raw = take(bytes);
    std::uint64_t value = little_endian(raw.data(), raw.size());
    // Two's complement of `bytes` bytes, sign-extended.
    if (bytes > 0 && bytes < 8 && (static_cast<unsigned char>(raw.back()) & 0x80) != 0)
      value |= ~std::uint64_t{0} << (8 * bytes);
    return Value{static_cast<std::int64_t>(value)};
  }

  std::string_view data_;
  const Policy& policy_;
  const Part part_;
  BatchSink* sink_;  // where a streamed top-level list's items go; null: nothing is streamed
  std::pmr::memory_resource* lasting_;
  SharedMemo& memo_;
  Containers containers_;
  std::uint64_t streamed_ = 0;
  List* root_ = nullptr;  // the streamed top-level list (or its stand-in)
  std::size_t position_;
  std::size_t opcode_at_ = 0;
  ValueStack stack_;
  std::vector<std::size_t> marks_;
  std::uint64_t memo_size_;
  std::vector<std::uint64_t> changing_;  // memo entries kept that may still change
  // The entries read back most recently, by index modulo kRecent: a pickle reads a few of them
  // (its dict keys, its classes) over and over, and the memo is a few lookups away. An entry's
  // value never changes once stored (a container it holds may), unless stored again.
  struct RecentEntry {
    std::uint64_t index = kNoEntry;
    Value value;
  };
  static constexpr std::uint64_t kNoEntry = ~std::uint64_t{0};
  static constexpr std::size_t kRecent = 256;
  std::array<RecentEntry, kRecent> recent_{};
  bool shared_since_announced_ = false;
};

}  // namespace

Interpretation interpret(std::string_view data, const Policy& policy, const Part& part,
                         const Workspace& workspace) {
  return Machine(data, policy, part, workspace).run();
}

}  // namespace ea::native::pickle
