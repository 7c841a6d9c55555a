// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string_view>
#include <vector>

namespace ea::native {

/// Streams a JSON Lines file in fixed-size chunks: memory stays bounded by the chunk size and the
/// longest line, whatever the file size. Every line handed out is followed by at least simdjson's
/// padding of readable bytes, so it can be parsed in place.
class JsonLinesReader {
 public:
  /// One non-blank line.
  struct Line {
    std::string_view text;  ///< without the line break
    std::size_t capacity;   ///< readable bytes from text.data(), at least text.size() + padding
    std::uint64_t number;   ///< 1-based line number
  };

  /// Opens `file`; throws sdk::InputError when it cannot be read.
  explicit JsonLinesReader(const std::filesystem::path& file);
  /// The next non-blank line, or nullopt at the end of the file.
  std::optional<Line> next();

 private:
  bool refill();

  std::ifstream in_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // first unread byte
  std::size_t end_ = 0;    // one past the last byte read
  std::uint64_t line_number_ = 0;
  bool eof_ = false;
};

}  // namespace ea::native
