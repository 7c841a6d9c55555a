// SPDX-License-Identifier: Apache-2.0
// A pickle interpreter that builds values and never calls anything: globals are only names, and
// a name the policy does not allow stops the read. Opcodes follow CPython's pickletools
// documentation for protocols 2 to 5.
#include "pickle_reader.hpp"

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include <fmt/format.h>

#include "ea/sdk/error.hpp"

namespace ea::native::pickle {

namespace {

// Deeper trees are refused: destroying them would recurse that deep, and no prediction file
// nests more than a handful of levels.
constexpr int kMaxDepth = 100;
// Values on the stack at once; a list of predictions needs a few dozen.
constexpr std::size_t kMaxStack = 1u << 20;

// Marks a container as placed inside another. A value may not change once nested: pickles of
// ordinary data finish each value before using it, and the rule keeps every recorded depth true
// and makes cycles (which shared ownership would leak) impossible.
void mark_nested(const Value& value) {
  if (const auto* list = std::get_if<std::shared_ptr<List>>(&value.content))
    (*list)->nested = true;
  else if (const auto* dict = std::get_if<std::shared_ptr<Dict>>(&value.content))
    (*dict)->nested = true;
  else if (const auto* object = std::get_if<std::shared_ptr<Object>>(&value.content))
    (*object)->nested = true;
}

// The container a value holds, if any (for identity checks).
const void* container_of(const Value& value) {
  if (const auto* list = std::get_if<std::shared_ptr<List>>(&value.content))
    return list->get();
  if (const auto* dict = std::get_if<std::shared_ptr<Dict>>(&value.content))
    return dict->get();
  if (const auto* object = std::get_if<std::shared_ptr<Object>>(&value.content))
    return object->get();
  return nullptr;
}

int depth_of(const Value& value) {
  if (const auto* list = std::get_if<std::shared_ptr<List>>(&value.content))
    return (*list)->depth;
  if (const auto* dict = std::get_if<std::shared_ptr<Dict>>(&value.content))
    return (*dict)->depth;
  if (const auto* object = std::get_if<std::shared_ptr<Object>>(&value.content))
    return (*object)->depth;
  return 0;
}

class Machine {
 public:
  Machine(std::string_view data, const Policy& policy) : data_(data), policy_(policy) {}

  Value run() {
    if (data_.size() < 2 || static_cast<unsigned char>(data_[0]) != 0x80)
      fail("the file is not a pickle of protocol 2 or later");
    for (;;) {
      opcode_at_ = position_;
      const auto opcode = static_cast<unsigned char>(byte());
      if (opcode == '.')
        return stop();
      step(opcode);
    }
  }

 private:
  [[noreturn]] void fail(const std::string& reason) const {
    throw sdk::InputError(reason + fmt::format(" (at byte {})", opcode_at_));
  }

  // --- reading the byte stream --------------------------------------------------------------
  char byte() {
    if (position_ >= data_.size())
      fail("the pickle is truncated");
    return data_[position_++];
  }
  std::string_view take(std::uint64_t count) {
    if (count > data_.size() - position_) {
      fail(fmt::format("the pickle declares {} bytes where only {} remain", count,
                       data_.size() - position_));
    }
    const std::string_view bytes = data_.substr(position_, static_cast<std::size_t>(count));
    position_ += static_cast<std::size_t>(count);
    return bytes;
  }
  std::uint64_t unsigned_le(std::size_t bytes) {
    const std::string_view raw = take(bytes);
    std::uint64_t value = 0;
    for (std::size_t i = bytes; i-- > 0;)
      value = (value << 8) | static_cast<unsigned char>(raw[i]);
    return value;
  }
  std::string line() {
    const std::size_t end = data_.find('\n', position_);
    if (end == std::string_view::npos)
      fail("the pickle is truncated");
    std::string text(data_.substr(position_, end - position_));
    position_ = end + 1;
    return text;
  }

  // --- the stack ----------------------------------------------------------------------------
  void push(Value value) {
    if (stack_.size() >= kMaxStack)
      fail("the pickle holds too many values at once");
    stack_.push_back(std::move(value));
  }
  Value pop() {
    if (stack_.size() <= floor())
      fail("the pickle pops from an empty stack");
    Value value = std::move(stack_.back());
    stack_.pop_back();
    return value;
  }
  Value& top() {
    if (stack_.size() <= floor())
      fail("the pickle reads from an empty stack");
    return stack_.back();
  }
  std::size_t floor() const { return marks_.empty() ? 0 : marks_.back(); }
  std::vector<Value> pop_to_mark() {
    if (marks_.empty())
      fail("the pickle closes a mark it never opened");
    const std::size_t mark = marks_.back();
    marks_.pop_back();
    std::vector<Value> items(std::make_move_iterator(stack_.begin() + static_cast<long>(mark)),
                             std::make_move_iterator(stack_.end()));
    stack_.resize(mark);
    return items;
  }

  // --- containers ---------------------------------------------------------------------------
  template <class Container>
  void deepen(Container& container, const Value& child) {
    if (container.nested)
      fail("the pickle changes a value after placing it in another (cycles are not accepted)");
    if (container_of(child) == &container)
      fail("the pickle places a value inside itself");
    mark_nested(child);
    container.depth = std::max(container.depth, depth_of(child) + 1);
    if (container.depth > kMaxDepth)
      fail(fmt::format("the pickle nests values more than {} levels deep", kMaxDepth));
  }
  Value make_list(std::vector<Value> items) {
    auto list = std::make_shared<List>();
    for (const Value& item : items)
      deepen(*list, item);
    list->items = std::move(items);
    return Value{list};
  }
  List& list_on_top() {
    auto* list = std::get_if<std::shared_ptr<List>>(&top().content);
    if (list == nullptr)
      fail("the pickle appends to something that is not a list");
    return **list;
  }
  Dict& dict_on_top() {
    auto* dict = std::get_if<std::shared_ptr<Dict>>(&top().content);
    if (dict == nullptr)
      fail("the pickle sets an item on something that is not a dict");
    return **dict;
  }
  void append(std::vector<Value> items) {
    List& list = list_on_top();
    for (Value& item : items) {
      deepen(list, item);
      list.items.push_back(std::move(item));
    }
  }
  void set_items(std::vector<Value> items) {
    if (items.size() % 2 != 0)
      fail("the pickle sets a dict key without a value");
    Dict& dict = dict_on_top();
    for (std::size_t i = 0; i < items.size(); i += 2) {
      deepen(dict, items[i]);
      deepen(dict, items[i + 1]);
      dict.items.emplace_back(std::move(items[i]), std::move(items[i + 1]));
    }
  }

  // --- globals and calls --------------------------------------------------------------------
  Value global(std::string module, std::string name) {
    if (!policy_.allowed || !policy_.allowed(module, name))
      fail(fmt::format("the pickle refers to {}.{}, which is not allowed", module, name));
    return Value{Global{std::move(module), std::move(name)}};
  }
  const Global& callable(const Value& value, const char* what) {
    const auto* global = std::get_if<Global>(&value.content);
    if (global == nullptr)
      fail(std::string("the pickle ") + what + " something that is not a named class");
    return *global;
  }
  std::vector<Value> tuple_items(Value value, const char* what) {
    auto* list = std::get_if<std::shared_ptr<List>>(&value.content);
    if (list == nullptr)
      fail(std::string("the pickle passes ") + what + " that are not a tuple");
    return (*list)->items;
  }
  Value make_object(const Global& type, std::vector<Value> arguments) {
    auto object = std::make_shared<Object>();
    object->type = type;
    for (const Value& argument : arguments)
      deepen(*object, argument);
    object->arguments = std::move(arguments);
    return Value{object};
  }
  void reduce() {
    std::vector<Value> arguments = tuple_items(pop(), "arguments");
    const Value callee = pop();
    const Global& function = callable(callee, "calls");
    if (!policy_.reduce_allowed || !policy_.reduce_allowed(function, arguments)) {
      fail(fmt::format("the pickle calls {}.{} in a way that is not allowed", function.module,
                       function.name));
    }
    push(make_object(function, std::move(arguments)));
  }
  void new_object(bool with_keywords) {
    if (with_keywords) {
      const Value keywords = pop();
      if (!std::holds_alternative<std::shared_ptr<Dict>>(keywords.content))
        fail("the pickle passes keyword arguments that are not a dict");
    }
    std::vector<Value> arguments = tuple_items(pop(), "constructor arguments");
    const Global type = callable(pop(), "instantiates");
    push(make_object(type, std::move(arguments)));
  }
  void build() {
    Value state = pop();
    auto* object = std::get_if<std::shared_ptr<Object>>(&top().content);
    if (object == nullptr)
      fail("the pickle sets the state of something that is not an object");
    deepen(**object, state);
    (*object)->state = std::move(state);
  }

  // --- the memo -----------------------------------------------------------------------------
  void memo_put(std::uint64_t index) { memo_[index] = top(); }
  void memo_get(std::uint64_t index) {
    const auto found = memo_.find(index);
    if (found == memo_.end())
      fail(fmt::format("the pickle refers to memo entry {}, which it never stored", index));
    push(found->second);
  }

  Value stop() {
    Value result = pop();
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
      case '2': {  // DUP
        Value copy = top();
        return push(std::move(copy));
      }
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
        for (const char c : raw)
          bits = (bits << 8) | static_cast<unsigned char>(c);
        double value = 0;
        std::memcpy(&value, &bits, sizeof value);
        return push(Value{value});
      }
      case 0x8c:  // SHORT_BINUNICODE
        return push(Value{std::string(take(unsigned_le(1)))});
      case 'X':  // BINUNICODE
        return push(Value{std::string(take(unsigned_le(4)))});
      case 0x8d:  // BINUNICODE8
        return push(Value{std::string(take(unsigned_le(8)))});
      case 'C':  // SHORT_BINBYTES
        return push(Value{Bytes{std::string(take(unsigned_le(1)))}});
      case 'B':  // BINBYTES
        return push(Value{Bytes{std::string(take(unsigned_le(4)))}});
      case 0x8e:  // BINBYTES8
      case 0x96:  // BYTEARRAY8
        return push(Value{Bytes{std::string(take(unsigned_le(8)))}});
      case ']':   // EMPTY_LIST
      case ')':   // EMPTY_TUPLE
      case 0x8f:  // EMPTY_SET
        return push(make_list({}));
      case 'l':   // LIST
      case 't':   // TUPLE
      case 0x91:  // FROZENSET
        return push(make_list(pop_to_mark()));
      case 0x85:    // TUPLE1
      case 0x86:    // TUPLE2
      case 0x87: {  // TUPLE3
        std::vector<Value> items(static_cast<std::size_t>(opcode - 0x84));
        for (std::size_t i = items.size(); i-- > 0;)
          items[i] = pop();
        return push(make_list(std::move(items)));
      }
      case 'a':  // APPEND
        return append([&] {
          std::vector<Value> one;
          one.push_back(pop());
          return one;
        }());
      case 'e':   // APPENDS
      case 0x90:  // ADDITEMS
        return append(pop_to_mark());
      case '}':  // EMPTY_DICT
        return push(Value{std::make_shared<Dict>()});
      case 'd': {  // DICT
        std::vector<Value> items = pop_to_mark();
        push(Value{std::make_shared<Dict>()});
        return set_items(std::move(items));
      }
      case 's': {  // SETITEM
        std::vector<Value> pair(2);
        pair[1] = pop();
        pair[0] = pop();
        return set_items(std::move(pair));
      }
      case 'u':  // SETITEMS
        return set_items(pop_to_mark());
      case 'c': {  // GLOBAL: "module\nname\n"
        std::string module = line();
        std::string name = line();
        return push(global(std::move(module), std::move(name)));
      }
      case 0x93: {  // STACK_GLOBAL
        const Value name = pop();
        const Value module = pop();
        const auto* name_text = std::get_if<std::string>(&name.content);
        const auto* module_text = std::get_if<std::string>(&module.content);
        if (name_text == nullptr || module_text == nullptr)
          fail("the pickle names a global with something that is not text");
        return push(global(*module_text, *name_text));
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
        return memo_put(memo_.size());
      case 'q':  // BINPUT
        return memo_put(unsigned_le(1));
      case 'r':  // LONG_BINPUT
        return memo_put(unsigned_le(4));
      case 'h':  // BINGET
        return memo_get(unsigned_le(1));
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
    std::uint64_t value = 0;
    for (std::size_t i = raw.size(); i-- > 0;)
      value = (value << 8) | static_cast<unsigned char>(raw[i]);
    // Two's complement of `bytes` bytes, sign-extended.
    if (bytes > 0 && bytes < 8 && (static_cast<unsigned char>(raw.back()) & 0x80) != 0)
      value |= ~std::uint64_t{0} << (8 * bytes);
    return Value{static_cast<std::int64_t>(value)};
  }

  std::string_view data_;
  const Policy& policy_;
  std::size_t position_ = 0;
  std::size_t opcode_at_ = 0;
  std::vector<Value> stack_;
  std::vector<std::size_t> marks_;
  std::unordered_map<std::uint64_t, Value> memo_;
};

}  // namespace

Value read_pickle(std::string_view data, const Policy& policy) {
  return Machine(data, policy).run();
}

bool looks_like_pickle(std::string_view head) {
  return head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x80 &&
         static_cast<unsigned char>(head[1]) >= 2 && static_cast<unsigned char>(head[1]) <= 5;
}

}  // namespace ea::native::pickle
