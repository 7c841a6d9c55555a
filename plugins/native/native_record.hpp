// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>

#include <simdjson.h>

#include "ea/sdk/records.hpp"

namespace ea::native {

/// A parsed record, or the sentence saying why it could not be read.
using RecordResult = std::variant<sdk::Prediction, std::string>;

/// Turns native JSON records into sdk::Prediction with simdjson's On-Demand API; a record whose
/// JSON is broken is re-read with nlohmann::json only to say precisely where and why.
class RecordParser {
 public:
  /// Parses one record held in `text`; `capacity` readable bytes start at text.data().
  RecordResult parse(std::string_view text, std::size_t capacity);
  /// Parses a JSON array of records, calling `emit` with each and its 0-based index. Broken JSON
  /// throws sdk::InputError naming the line and column.
  void parse_array(const simdjson::padded_string& text,
                   const std::function<void(const RecordResult&, std::uint64_t)>& emit);

 private:
  simdjson::ondemand::parser parser_;
};

/// Why `text` is not valid JSON, with its line and column ("line 1, column 12: …"); empty if it
/// is valid.
std::string json_syntax_problem(std::string_view text);

}  // namespace ea::native
