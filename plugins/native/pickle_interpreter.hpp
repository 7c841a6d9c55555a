// SPDX-License-Identifier: Apache-2.0
// The pickle interpreter's state and its small, hot steps; its opcodes are in pickle_opcodes.cpp,
// the rest of its steps in pickle_interpreter.cpp. Private to the native plugin.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ea/sdk/error.hpp"
#include "pickle_containers.hpp"
#include "pickle_machine.hpp"
#include "pickle_memo.hpp"
#include "pickle_memo_scan.hpp"
#include "pickle_value_stack.hpp"

namespace ea::native::pickle {

/// The container `value` holds as Container (List, Dict or Object), or null.
template <class Container>
Container* container_as(const Value& value) {
  const auto* held = std::get_if<Container*>(&value.content);
  return held == nullptr ? nullptr : *held;
}

/// Interprets one part of a pickle (see interpret()): a stack machine that builds values and
/// never calls anything.
class Interpreter {
 public:
  Interpreter(std::string_view data, const Policy& policy, const Part& part,
              const Workspace& workspace)
      : data_(data),
        policy_(policy),
        part_(part),
        sink_(workspace.sink),
        lasting_(&workspace.lasting),
        memo_(workspace.memo),
        containers_(workspace.lasting, workspace.first_batch),
        position_(part.begin),
        opcodes_end_(std::min(part.end, data.size())),
        memo_size_(part.memo_size),
        memo_limit_(part.end == Part::kToStop ? ~std::uint64_t{0} : part.end_memo_size) {
    if (part.begin != 0) {  // the list's stand-in: only ever compared and appended to
      root_ = containers_.make<List>(true);
      stack_.push(Value{root_});
    }
  }

  /// Interprets the part, as interpret() says.
  Interpretation run();

 private:
  // Errors name no position here: run() adds the opcode's, for these and the containers' alike.
  [[noreturn, gnu::cold, gnu::noinline]] static void fail(const std::string& reason) {
    throw sdk::InputError(reason);
  }
  [[noreturn, gnu::cold, gnu::noinline]] void truncated(std::uint64_t count) const;
  [[noreturn, gnu::cold, gnu::noinline]] void empty_stack() const;

  // --- reading the byte stream --------------------------------------------------------------
  [[gnu::always_inline]] char byte() {
    if (position_ >= data_.size())
      fail("the pickle is truncated");
    return data_[position_++];
  }
  [[gnu::always_inline]] std::string_view take(std::uint64_t count) {
    if (count > data_.size() - position_)
      truncated(count);
    const std::string_view bytes(data_.data() + position_, static_cast<std::size_t>(count));
    position_ += static_cast<std::size_t>(count);
    return bytes;
  }
  std::uint64_t unsigned_le(std::size_t bytes) { return little_endian(take(bytes).data(), bytes); }
  std::string_view line();

  // --- the stack ----------------------------------------------------------------------------
  [[gnu::always_inline]] void push(const Value& value) {
    if (stack_.full()) [[unlikely]]
      make_room();
    stack_.push(value);
  }
  [[gnu::noinline]] void make_room();
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
  std::span<const Value> pop_to_mark();

  // --- containers ---------------------------------------------------------------------------
  Value make_list(std::span<const Value> items);
  template <class Container>
  Container& on_top(const char* what) {
    Container* container = container_as<Container>(top());
    if (container == nullptr)
      fail(fmt::format("the pickle {} something that is not a {}", what,
                       std::is_same_v<Container, List> ? "list" : "dict"));
    return *container;
  }
  void append(std::span<const Value> items);
  void set_items(std::span<const Value> items);

  // --- globals and calls --------------------------------------------------------------------
  Value global(std::string_view module, std::string_view name);
  [[gnu::always_inline]] const Global& callable(const Value& value, const char* what) {
    const Global* global = as_global(value);
    if (global == nullptr) [[unlikely]]
      fail(std::string("the pickle ") + what + " something that is not a named class");
    return *global;
  }
  [[gnu::always_inline]] const List& tuple(const Value& value, const char* what) {
    const List* list = as_list(value);
    if (list == nullptr) [[unlikely]]
      fail(std::string("the pickle passes ") + what + " that are not a tuple");
    return *list;
  }
  Value make_object(const Global& type, const List& arguments);
  void reduce();
  void new_object(bool with_keywords);
  void build();

  // --- the memo -----------------------------------------------------------------------------
  void memo_put(std::uint64_t index);
  [[gnu::always_inline]] void memo_get(std::uint64_t index) {
    RecentEntry& recent = recent_[index % kRecent];
    if (recent.index != index) [[unlikely]]
      recent = {index, memo_entry(index)};
    push(recent.value);
  }
  // Entry `index`, as stored or shared.
  Value memo_entry(std::uint64_t index);
  // Shares the entries kept while they could change that no longer can (placed in another
  // value), and wakes the parts that may wait for them.
  void settle();
  // The end of a part: it must leave things as its break promised the next part.
  Interpretation at_break();
  // Pushes a value the pickle has just made; Python memoizes nearly all of them at once, so a
  // MEMOIZE right after is done here rather than through another dispatch.
  [[gnu::always_inline]] void push_made(const Value& value) {
    push(value);
    if (next_is(0x94)) {
      opcode_at_ = position_++;
      memoize();
    }
  }
  // MEMOIZE: stores the top as the next entry. That entry is new (memo_size_ exceeds every index
  // stored), so unless the pickle reads it back or the part ends before it, it is only counted.
  [[gnu::always_inline]] void memoize() {
    if (memo_size_ < memo_limit_ && !memo_.kept(memo_size_)) [[likely]]
      ++memo_size_;
    else
      memo_put(memo_size_);
  }
  [[gnu::always_inline]] bool next_is(unsigned char opcode) const {
    return position_ < data_.size() && static_cast<unsigned char>(data_[position_]) == opcode;
  }

  Value stop();

  // Interprets opcodes from position_ to the part's end, dispatching through a table of their
  // code's addresses (GCC's labels as values). GCC merges the jumps into one here; writing the
  // dispatch out at every opcode, as the memo scan does, measured no faster for this loop, whose
  // opcodes mostly call out of line.
  Interpretation interpret_opcodes();

  Value long_integer(std::uint64_t bytes);

  std::string_view data_;
  const Policy& policy_;
  const Part part_;
  BatchSink* sink_;  // where a streamed top-level list's items go; null: nothing is streamed
  Arena* lasting_;
  SharedMemo& memo_;
  Containers containers_;
  std::uint64_t streamed_ = 0;
  List* root_ = nullptr;  // the streamed top-level list (or its stand-in)
  std::size_t position_;
  const std::size_t opcodes_end_;  // the part's end or the data's, whichever comes first
  std::size_t opcode_at_ = 0;
  ValueStack stack_;
  std::vector<std::size_t> marks_;
  std::uint64_t memo_size_;
  const std::uint64_t memo_limit_;       // the part stores entries up to here
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

}  // namespace ea::native::pickle
