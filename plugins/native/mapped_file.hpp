// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <filesystem>
#include <string_view>

namespace ea::native {

/// A file's bytes mapped read-only into memory for as long as the object lives. Reading a large
/// pickle this way costs neither a copy nor zeroing a buffer first.
class MappedFile {
 public:
  /// Maps `file`. Throws sdk::InputError when it cannot be opened or mapped.
  explicit MappedFile(const std::filesystem::path& file);
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  /// The bytes.
  std::string_view bytes() const noexcept { return {data_, size_}; }

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace ea::native
