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
// An interpreter may read only a part of the file, from one list break to another, while others
// read the parts before it: it then starts with a stand-in for the list on its stack, and reads
// earlier parts' memo entries as they are shared. Whether that start was right is checked when
// the part before ends (NotAtBreak otherwise).
#include <algorithm>

#include <fmt/format.h>

#include "pickle_interpreter.hpp"

namespace ea::native::pickle {

namespace {

// Values on the stack at once; a list of predictions needs a few dozen.
constexpr std::size_t kMaxStack = 1u << 20;

// Makes room for `more` items at once, keeping geometric growth: arena memory is never reused
// within a batch, so growing by exact amounts would leave a copy behind at every step.
template <class Vector>
void grow(Vector& items, std::size_t more) {
  const std::size_t needed = items.size() + more;
  if (needed > items.capacity())
    items.reserve(std::max(needed, 2 * items.capacity()));
}

}  // namespace

Interpretation Interpreter::run() {
  try {
    if (part_.begin == 0 && (data_.size() < 2 || static_cast<unsigned char>(data_[0]) != 0x80))
      fail("the file is not a pickle of protocol 2 or later");
    return interpret_opcodes();
  } catch (const sdk::InputError& error) {
    throw sdk::InputError(fmt::format("{} (at byte {})", error.reason(), opcode_at_));
  }
}

void Interpreter::truncated(std::uint64_t count) const {
  fail(
      fmt::format("the pickle is truncated or corrupt: it declares {} bytes where only {} "
                  "remain",
                  count, data_.size() - position_));
}

void Interpreter::empty_stack() const {
  fail("the pickle reads from an empty stack");
}

std::string_view Interpreter::line() {
  const std::size_t end = data_.find('\n', position_);
  if (end == std::string_view::npos)
    fail("the pickle is truncated");
  const std::string_view text = data_.substr(position_, end - position_);
  position_ = end + 1;
  return text;
}

void Interpreter::make_room() {
  if (stack_.size() >= kMaxStack)
    fail("the pickle holds too many values at once");
  stack_.grow();
}

std::span<const Value> Interpreter::pop_to_mark() {
  if (marks_.empty())
    fail("the pickle closes a mark it never opened");
  const std::size_t mark = marks_.back();
  marks_.pop_back();
  const std::span<const Value> items(stack_.data() + mark, stack_.size() - mark);
  stack_.shrink_to(mark);  // keeps the storage the span points into
  return items;
}

Value Interpreter::make_list(std::span<const Value> items) {
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

void Interpreter::append(std::span<const Value> items) {
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

void Interpreter::set_items(std::span<const Value> items) {
  if (items.size() % 2 != 0)
    fail("the pickle sets a dict key without a value");
  Dict& dict = on_top<Dict>("sets an item on");
  grow(dict.items, items.size() / 2);
  for (std::size_t i = 0; i < items.size(); i += 2) {
    // Nearly all keys and values are text and numbers, for which adopting checks nothing but
    // that the dict may still change, and pins nothing.
    if (!dict.nested && as_node(items[i]) == nullptr && as_node(items[i + 1]) == nullptr) {
      dict.items.emplace_back(items[i], items[i + 1]);
      continue;
    }
    const Value key = containers_.adopt(dict, items[i]);
    dict.items.emplace_back(key, containers_.adopt(dict, items[i + 1]));
  }
}

Value Interpreter::global(std::string_view module, std::string_view name) {
  if (!policy_.allowed || !policy_.allowed(module, name))
    fail(fmt::format("the pickle refers to {}.{}, which is not allowed", module, name));
  return Value{static_cast<const Global*>(lasting_->make<Global>(module, name))};
}

Value Interpreter::make_object(const Global& type, const List& arguments) {
  Object* object = containers_.make<Object>();
  object->type = &type;
  object->arguments.reserve(arguments.items.size());
  for (const Value& argument : arguments.items)
    object->arguments.push_back(containers_.adopt(*object, argument));
  return Value{object};
}

void Interpreter::reduce() {
  const Value arguments = pop();
  const Global& function = callable(pop(), "calls");
  const List& items = tuple(arguments, "arguments");
  if (!policy_.reduce_allowed || !policy_.reduce_allowed(function, items.items)) {
    fail(fmt::format("the pickle calls {}.{} in a way that is not allowed", function.module,
                     function.name));
  }
  push_made(make_object(function, items));
}

void Interpreter::new_object(bool with_keywords) {
  if (with_keywords && as_dict(pop()) == nullptr)
    fail("the pickle passes keyword arguments that are not a dict");
  const Value arguments = pop();
  const Global& type = callable(pop(), "instantiates");
  push_made(make_object(type, tuple(arguments, "constructor arguments")));
}

void Interpreter::build() {
  const Value state = pop();
  Object* object = container_as<Object>(top());
  if (object == nullptr)
    fail("the pickle sets the state of something that is not an object");
  object->state = containers_.adopt(*object, state);
}

void Interpreter::memo_put(std::uint64_t index) {
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

Value Interpreter::memo_entry(std::uint64_t index) {
  if (index < part_.shared_below)
    return memo_.shared(index);
  const Value* value = index < memo_size_ ? memo_.own(index) : nullptr;
  if (value == nullptr) [[unlikely]]
    fail(fmt::format("the pickle refers to memo entry {}, which it never stored", index));
  return *value;
}

void Interpreter::settle() {
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

Interpretation Interpreter::at_break() {
  if (position_ != part_.end || stack_.size() != 1 || !marks_.empty() ||
      memo_size_ != part_.end_memo_size || root_ == nullptr || as_list(stack_.back()) != root_ ||
      root_->nested)
    throw NotAtBreak{};
  settle();
  return {stack_.back(), streamed_};
}

Value Interpreter::stop() {
  const Value result = pop();
  if (!stack_.empty() || !marks_.empty())
    fail("the pickle ends with values left on its stack");
  return result;
}

Value Interpreter::long_integer(std::uint64_t bytes) {
  if (bytes > 8)
    fail(fmt::format("the pickle holds an integer of {} bytes, more than 8", bytes));
  const std::string_view raw = take(bytes);
  std::uint64_t value = little_endian(raw.data(), raw.size());
  // Two's complement of `bytes` bytes, sign-extended.
  if (bytes > 0 && bytes < 8 && (static_cast<unsigned char>(raw.back()) & 0x80) != 0)
    value |= ~std::uint64_t{0} << (8 * bytes);
  return Value{static_cast<std::int64_t>(value)};
}

Interpretation interpret(std::string_view data, const Policy& policy, const Part& part,
                         const Workspace& workspace) {
  return Interpreter(data, policy, part, workspace).run();
}

}  // namespace ea::native::pickle
