// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <filesystem>
#include <string_view>

#include "ea/sdk/export.hpp"

namespace ea::sdk {

/// A file's bytes mapped read-only into memory for as long as the object lives. Reading a large
/// input this way costs neither a copy nor zeroing a buffer first.
class EA_SDK_EXPORT MappedFile {
 public:
  /// Maps `file`, followed by at least `padding` readable zero bytes: parsers that read past the
  /// end in wide steps (simdjson needs 64) can then work on the mapping itself. Throws InputError
  /// when the file cannot be opened or mapped.
  explicit MappedFile(const std::filesystem::path& file, std::size_t padding = 0);
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  /// The file's bytes.
  std::string_view bytes() const noexcept { return {data_, size_}; }

  /// How many bytes may be read from bytes().data(): the size and at least the padding.
  std::size_t capacity() const noexcept { return mapped_; }

 private:
  char* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t mapped_ = 0;
};

}  // namespace ea::sdk
