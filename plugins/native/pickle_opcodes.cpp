// SPDX-License-Identifier: Apache-2.0
// The interpreter's opcodes, as CPython's pickletools documents them for protocols 2 to 5.
#include <algorithm>
#include <bit>
#include <cstring>
#include <iterator>

#include <fmt/format.h>

#include "pickle_interpreter.hpp"

namespace ea::native::pickle {

Interpretation Interpreter::interpret_opcodes() {
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
  if (position_ >= opcodes_end_) [[unlikely]] {
    if (position_ >= part_.end)
      return at_break();
    fail("the pickle is truncated");
  }
  opcode = static_cast<unsigned char>(data_[position_++]);
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
op_empty_tuple:  // EMPTY_TUPLE: one shared, as in Python (every NEWOBJ of an Encord class has one)
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
  memoize();
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

}  // namespace ea::native::pickle
