// SPDX-License-Identifier: Apache-2.0
#include "json_lines_reader.hpp"

#include <algorithm>
#include <cstring>

#include <simdjson.h>

#include "ea/sdk/error.hpp"

namespace ea::native {

namespace {
constexpr std::size_t kChunkBytes = 4 << 20;
}

JsonLinesReader::JsonLinesReader(const std::filesystem::path& file)
    : in_(file, std::ios::binary), buffer_(kChunkBytes + simdjson::SIMDJSON_PADDING) {
  if (!in_)
    throw sdk::InputError("cannot open the file for reading");
}

bool JsonLinesReader::refill() {
  if (eof_)
    return false;
  // Keep the unfinished line, moved to the front; grow only when one line outgrows the buffer.
  const std::size_t kept = end_ - begin_;
  std::memmove(buffer_.data(), buffer_.data() + begin_, kept);
  begin_ = 0;
  end_ = kept;
  const std::size_t usable = buffer_.size() - simdjson::SIMDJSON_PADDING;
  if (end_ == usable)
    buffer_.resize(buffer_.size() * 2);
  const std::size_t room = buffer_.size() - simdjson::SIMDJSON_PADDING - end_;
  in_.read(buffer_.data() + end_, static_cast<std::streamsize>(room));
  const auto got = static_cast<std::size_t>(in_.gcount());
  if (in_.bad())
    throw sdk::InputError("reading the file failed");
  end_ += got;
  if (got < room)
    eof_ = true;
  return got > 0;
}

std::optional<JsonLinesReader::Line> JsonLinesReader::next() {
  for (;;) {
    const char* start = buffer_.data() + begin_;
    const char* stop = buffer_.data() + end_;
    const char* newline =
        static_cast<const char*>(std::memchr(start, '\n', static_cast<std::size_t>(stop - start)));
    if (newline == nullptr && !eof_) {
      refill();
      continue;
    }
    if (newline == nullptr && begin_ == end_)
      return std::nullopt;
    const char* line_end = newline != nullptr ? newline : stop;
    const std::size_t offset = begin_;
    begin_ = static_cast<std::size_t>(line_end - buffer_.data()) + (newline != nullptr ? 1 : 0);
    ++line_number_;
    std::string_view text(buffer_.data() + offset, static_cast<std::size_t>(line_end - start));
    if (!text.empty() && text.back() == '\r')
      text.remove_suffix(1);
    const bool blank = std::all_of(text.begin(), text.end(),
                                   [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
    if (blank)
      continue;
    return Line{text, buffer_.size() - offset, line_number_};
  }
}

}  // namespace ea::native
