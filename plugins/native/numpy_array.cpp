// SPDX-License-Identifier: Apache-2.0
// numpy pickles an ndarray as `_reconstruct(ndarray, (0,), b'b')` followed by BUILD with
// (version, shape, dtype, is_fortran, raw bytes), and under protocol 5 as
// `_frombuffer(buffer, dtype, shape, order)`; a dtype is `dtype(code, False, True)` with BUILD
// state (version, byte order, …). Those layouts are all this file knows.
#include "numpy_array.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>

#include <fmt/format.h>

#include "ea/sdk/error.hpp"

namespace ea::native::pickle {

namespace {

[[noreturn]] void malformed(const std::string& reason) {
  throw sdk::InputError("a numpy array in the pickle is malformed: " + reason);
}

bool is_numpy(const Global& global, std::string_view submodule, std::string_view name) {
  // numpy 1 names numpy.core.*, numpy 2 numpy._core.*.
  return global.name == name && (global.module == fmt::format("numpy.core.{}", submodule) ||
                                 global.module == fmt::format("numpy._core.{}", submodule));
}

// Bytes as pickled: protocol 3+ writes bytes directly; protocol 2 writes
// _codecs.encode(text, 'latin1'), each character standing for one byte.
std::string raw_bytes(const Value& value) {
  if (const auto* bytes = get_if<Bytes>(value))
    return std::string(bytes->data);
  const Object* encode = as_object(value);
  if (encode != nullptr && encode->type->module == "_codecs" && encode->arguments.size() == 2) {
    const auto* text = get_if<std::string_view>(encode->arguments[0]);
    if (text != nullptr) {
      std::string bytes;
      bytes.reserve(text->size());
      for (std::size_t i = 0; i < text->size(); ++i) {
        const auto lead = static_cast<unsigned char>((*text)[i]);
        if (lead < 0x80) {
          bytes.push_back(static_cast<char>(lead));
        } else if ((lead == 0xc2 || lead == 0xc3) && i + 1 < text->size()) {
          bytes.push_back(static_cast<char>(((lead & 0x03) << 6) |
                                            (static_cast<unsigned char>((*text)[++i]) & 0x3f)));
        } else {
          malformed("its latin-1 data holds a character above 255");
        }
      }
      return bytes;
    }
  }
  malformed("its data is not bytes");
}

struct Dtype {
  std::string code;
  bool swap = false;
};

Dtype dtype_from(const Value& value) {
  const Object* dtype = as_object(value);
  if (dtype == nullptr || dtype->type->module != "numpy" || dtype->type->name != "dtype" ||
      dtype->arguments.empty()) {
    malformed("its dtype is not a numpy dtype");
  }
  const auto* code = get_if<std::string_view>(dtype->arguments[0]);
  if (code == nullptr || code->size() < 2)
    malformed("its dtype has no type code");
  Dtype result{std::string(*code)};
  // The BUILD state's second item is the byte order: '<' little, '>' big, '|' or '=' neither.
  if (const List* state = as_list(dtype->state); state != nullptr && state->items.size() > 1) {
    if (const auto* order = get_if<std::string_view>(state->items[1])) {
      const bool big = *order == ">";
      result.swap = (*order == "<" || big) && big != (std::endian::native == std::endian::big);
    }
  }
  return result;
}

std::vector<std::int64_t> shape_from(const Value& value) {
  const List* dimensions = as_list(value);
  if (dimensions == nullptr)
    malformed("its shape is not a tuple");
  std::vector<std::int64_t> shape;
  for (const Value& dimension : dimensions->items) {
    const auto* extent = get_if<std::int64_t>(dimension);
    if (extent == nullptr || *extent < 0)
      malformed("its shape holds something other than a non-negative whole number");
    shape.push_back(*extent);
  }
  return shape;
}

}  // namespace

std::optional<NumpyArray> NumpyArray::from(const Value& value) {
  const Object* object = as_object(value);
  if (object == nullptr)
    return std::nullopt;
  NumpyArray array;
  Dtype dtype;
  if (is_numpy(*object->type, "multiarray", "_reconstruct")) {
    const List* state = as_list(object->state);
    if (state == nullptr || state->items.size() != 5)
      malformed("its state is not (version, shape, dtype, fortran, data)");
    array.shape_ = shape_from(state->items[1]);
    dtype = dtype_from(state->items[2]);
    const auto* fortran = get_if<bool>(state->items[3]);
    array.fortran_ = fortran != nullptr && *fortran;
    array.bytes_ = raw_bytes(state->items[4]);
  } else if (is_numpy(*object->type, "numeric", "_frombuffer")) {
    if (object->arguments.size() != 4)
      malformed("_frombuffer needs (buffer, dtype, shape, order)");
    array.bytes_ = raw_bytes(object->arguments[0]);
    dtype = dtype_from(object->arguments[1]);
    array.shape_ = shape_from(object->arguments[2]);
    const auto* order = get_if<std::string_view>(object->arguments[3]);
    array.fortran_ = order != nullptr && *order == "F";
  } else {
    return std::nullopt;
  }
  array.dtype_ = dtype.code;
  array.swap_ = dtype.swap;
  array.kind_ = dtype.code[0];
  const auto digits = std::string_view(dtype.code).substr(1);
  if (std::from_chars(digits.data(), digits.data() + digits.size(), array.item_).ec != std::errc{})
    array.item_ = 0;
  const bool known =
      (array.kind_ == 'f' && (array.item_ == 4 || array.item_ == 8)) ||
      ((array.kind_ == 'i' || array.kind_ == 'u') &&
       (array.item_ == 1 || array.item_ == 2 || array.item_ == 4 || array.item_ == 8)) ||
      (array.kind_ == 'b' && array.item_ == 1);
  if (!known)
    malformed(fmt::format("its element type \"{}\" is not a number or bool", dtype.code));
  std::size_t count = 1;
  for (const std::int64_t extent : array.shape_) {
    if (extent != 0 && count > (std::size_t{1} << 40) / static_cast<std::size_t>(extent))
      malformed("its shape is too large");
    count *= static_cast<std::size_t>(extent);
  }
  array.count_ = count;
  if (array.bytes_.size() != count * array.item_) {
    malformed(fmt::format("it holds {} bytes but its shape and type need {}", array.bytes_.size(),
                          count * array.item_));
  }
  return array;
}

double NumpyArray::at(std::size_t index) const {
  std::size_t stored = index;
  if (fortran_ && shape_.size() == 2) {
    const auto columns = static_cast<std::size_t>(shape_[1]);
    const auto rows = static_cast<std::size_t>(shape_[0]);
    stored = (index % columns) * rows + index / columns;
  }
  unsigned char raw[8];
  std::memcpy(raw, bytes_.data() + stored * item_, item_);
  if (swap_)
    std::reverse(raw, raw + item_);
  const auto read = [&]<class T>(T) {
    T element;
    std::memcpy(&element, raw, sizeof element);
    return static_cast<double>(element);
  };
  switch (kind_) {
    case 'f':
      return item_ == 4 ? read(float{}) : read(double{});
    case 'i':
      return item_ == 1   ? read(std::int8_t{})
             : item_ == 2 ? read(std::int16_t{})
             : item_ == 4 ? read(std::int32_t{})
                          : read(std::int64_t{});
    default:  // 'u' and 'b'
      return item_ == 1   ? read(std::uint8_t{})
             : item_ == 2 ? read(std::uint16_t{})
             : item_ == 4 ? read(std::uint32_t{})
                          : read(std::uint64_t{});
  }
}

}  // namespace ea::native::pickle
