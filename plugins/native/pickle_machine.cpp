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
#include <iterator>

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
      return interpret_opcodes();
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

  // Interprets opcodes from position_ to the part's end. Each opcode's code jumps straight to
  // the next one's (GCC's labels as values): a jump per opcode kind, each predicted from its own
  // history, where a switch shares one jump among all; Python's pickles repeat the same few
  // sequences of opcodes.
  Interpretation interpret_opcodes() {
    const void* code[256];
    std::fill(std::begin(code), std::end(code), &&unknown);
    code[0x80] = &&op_proto;
    code[0x95] = &&op_frame;
    code['('] = &&op_mark;
    code['0'] = &&op_pop;
    code['1'] = &&op_pop_mark;
    code['2'] = &&op_dup;
    code['N'] = &&op_none;
    code[0x88] = &&op_newtrue;
    code[0x89] = &&op_newfalse;
    code['J'] = &&op_binint;
    code['K'] = &&op_binint1;
    code['M'] = &&op_binint2;
    code[0x8a] = &&op_long1;
    code[0x8b] = &&op_long4;
    code['G'] = &&op_binfloat;
    code[0x8c] = &&op_short_binunicode;
    code['X'] = &&op_binunicode;
    code[0x8d] = &&op_binunicode8;
    code['C'] = &&op_short_binbytes;
    code['B'] = &&op_binbytes;
    code[0x8e] = &&op_binbytes8;
    code[0x96] = &&op_binbytes8;
    code[')'] = &&op_empty_tuple;
    code[']'] = &&op_empty_list;
    code[0x8f] = &&op_empty_list;
    code['l'] = &&op_list;
    code['t'] = &&op_list;
    code[0x91] = &&op_list;
    code[0x85] = &&op_tuple_n;
    code[0x86] = &&op_tuple_n;
    code[0x87] = &&op_tuple_n;
    code['a'] = &&op_append;
    code['e'] = &&op_appends;
    code[0x90] = &&op_appends;
    code['}'] = &&op_empty_dict;
    code['d'] = &&op_dict;
    code['s'] = &&op_setitem;
    code['u'] = &&op_setitems;
    code['c'] = &&op_global;
    code[0x93] = &&op_stack_global;
    code['R'] = &&op_reduce;
    code[0x81] = &&op_newobj;
    code[0x92] = &&op_newobj_ex;
    code['b'] = &&op_build;
    code[0x94] = &&op_memoize;
    code['q'] = &&op_binput;
    code['r'] = &&op_long_binput;
    code['h'] = &&op_binget;
    code['j'] = &&op_long_binget;
    code['.'] = &&stop_opcode;
    unsigned char opcode = 0;
  next:
    opcode_at_ = position_;
    if (position_ >= part_.end) [[unlikely]]
      return at_break();
    opcode = static_cast<unsigned char>(byte());
    goto* code[opcode];
  op_proto:  // PROTO
    if (const auto protocol = static_cast<unsigned char>(byte()); protocol < 2 || protocol > 5)
      fail(fmt::format("pickle protocol {} is not supported (2 to 5 are)", protocol));
    goto next;
  op_frame:  // FRAME: framing only groups opcodes; its length is not needed
    take(8);
    goto next;
  op_mark:  // MARK
    marks_.push_back(stack_.size());
    goto next;
  op_pop:  // POP
    pop();
    goto next;
  op_pop_mark:  // POP_MARK
    pop_to_mark();
    goto next;
  op_dup:  // DUP
    push(top());
    goto next;
  op_none:
    push(Value{None{}});
    goto next;
  op_newtrue:  // NEWTRUE
    push(Value{true});
    goto next;
  op_newfalse:  // NEWFALSE
    push(Value{false});
    goto next;
  op_binint:  // BININT: 4-byte signed
    push(Value{static_cast<std::int64_t>(static_cast<std::int32_t>(unsigned_le(4)))});
    goto next;
  op_binint1:  // BININT1
    push(Value{static_cast<std::int64_t>(unsigned_le(1))});
    goto next;
  op_binint2:  // BININT2
    push(Value{static_cast<std::int64_t>(unsigned_le(2))});
    goto next;
  op_long1:  // LONG1
    push(long_integer(unsigned_le(1)));
    goto next;
  op_long4:  // LONG4
    push(long_integer(unsigned_le(4)));
    goto next;
  op_binfloat :  // BINFLOAT: big-endian IEEE double
  {
    const std::string_view raw = take(8);
    std::uint64_t bits = 0;
    std::memcpy(&bits, raw.data(), sizeof bits);
    if constexpr (std::endian::native == std::endian::little)
      bits = __builtin_bswap64(bits);
    double value = 0;
    std::memcpy(&value, &bits, sizeof value);
    push(Value{value});
    goto next;
  }
  op_short_binunicode:  // SHORT_BINUNICODE
    push_made(Value{take(unsigned_le(1))});
    goto next;
  op_binunicode:  // BINUNICODE
    push(Value{take(unsigned_le(4))});
    goto next;
  op_binunicode8:  // BINUNICODE8
    push(Value{take(unsigned_le(8))});
    goto next;
  op_short_binbytes:  // SHORT_BINBYTES
    push(Value{Bytes{take(unsigned_le(1))}});
    goto next;
  op_binbytes:  // BINBYTES
    push(Value{Bytes{take(unsigned_le(4))}});
    goto next;
  op_binbytes8:  // BINBYTES8, BYTEARRAY8
    push(Value{Bytes{take(unsigned_le(8))}});
    goto next;
  op_empty_tuple
      :  // EMPTY_TUPLE: one shared, as in Python (every NEWOBJ of an Encord class has one)
    push(Value{containers_.empty_tuple()});
    goto next;
  op_empty_list:  // EMPTY_LIST, EMPTY_SET
    push_made(make_list({}));
    goto next;
  op_list:  // LIST, TUPLE, FROZENSET
    push(make_list(pop_to_mark()));
    goto next;
  op_tuple_n :  // TUPLE1, TUPLE2, TUPLE3
  {
    const auto count = static_cast<std::size_t>(opcode - 0x84);
    if (stack_.size() < floor() + count)
      empty_stack();
    const Value list = make_list({stack_.data() + stack_.size() - count, count});
    stack_.shrink_to(stack_.size() - count);
    push_made(list);
    goto next;
  }
  op_append :  // APPEND
  {
    const Value item = pop();
    append({&item, 1});
    goto next;
  }
  op_appends:  // APPENDS, ADDITEMS
    append(pop_to_mark());
    goto next;
  op_empty_dict:  // EMPTY_DICT
    push_made(Value{containers_.make<Dict>()});
    goto next;
  op_dict :  // DICT
  {
    const auto items = pop_to_mark();
    const std::vector<Value> pairs(items.begin(), items.end());  // push may reuse the slots
    push(Value{containers_.make<Dict>()});
    set_items(pairs);
    goto next;
  }
  op_setitem :  // SETITEM
  {
    const Value value = pop();
    const Value key = pop();
    const Value pair[] = {key, value};
    set_items(pair);
    goto next;
  }
  op_setitems:  // SETITEMS
    set_items(pop_to_mark());
    goto next;
  op_global :  // GLOBAL: "module\nname\n"
  {
    const std::string_view module = line();
    push(global(module, line()));
    goto next;
  }
  op_stack_global :  // STACK_GLOBAL
  {
    const Value name = pop();
    const Value module = pop();
    const auto* name_text = get_if<std::string_view>(name);
    const auto* module_text = get_if<std::string_view>(module);
    if (name_text == nullptr || module_text == nullptr)
      fail("the pickle names a global with something that is not text");
    push_made(global(*module_text, *name_text));
    goto next;
  }
  op_reduce:  // REDUCE
    reduce();
    goto next;
  op_newobj:  // NEWOBJ
    new_object(false);
    goto next;
  op_newobj_ex:  // NEWOBJ_EX
    new_object(true);
    goto next;
  op_build:  // BUILD
    build();
    goto next;
  op_memoize:  // MEMOIZE
    memo_put(memo_size_);
    goto next;
  op_binput:  // BINPUT
    memo_put(unsigned_le(1));
    goto next;
  op_long_binput:  // LONG_BINPUT
    memo_put(unsigned_le(4));
    goto next;
  op_binget:  // BINGET, often several in a row (a set's items, a dict's keys): done in one go
    memo_get(unsigned_le(1));
    while (next_is('h')) {
      opcode_at_ = position_++;
      memo_get(unsigned_le(1));
    }
    goto next;
  op_long_binget:  // LONG_BINGET
    memo_get(unsigned_le(4));
    goto next;
  unknown:
    fail(fmt::format("the pickle uses opcode 0x{:02x}, which this reader does not accept", opcode));
  stop_opcode:
    if (part_.end != Part::kToStop)
      throw NotAtBreak{};
    return {stop(), streamed_};
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
