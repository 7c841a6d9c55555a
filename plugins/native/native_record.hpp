// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <simdjson.h>

#include "ea/sdk/records.hpp"

namespace ea::native {

/// Turns native JSON records into sdk::Prediction with simdjson's On-Demand API; a record whose
/// JSON is broken is re-read with nlohmann::json only to say precisely where and why.
class RecordParser {
 public:
  /// What the records are: predictions need a "confidence"; ground-truth labels have none.
  enum class Records { predictions, labels };
  /// A parser of `records`.
  explicit RecordParser(Records records = Records::predictions) : records_(records) {}
  /// Parses one record held in `text` (`capacity` readable bytes start at text.data()) into
  /// prediction(); returns why it could not, if it could not.
  std::optional<std::string> parse(std::string_view text, std::size_t capacity);
  /// Parses a JSON array of records, calling `emit` with each one's problem (none: the record is
  /// in prediction()) and 0-based index. Broken JSON throws sdk::InputError naming line and column.
  void parse_array(
      const simdjson::padded_string& text,
      const std::function<void(const std::optional<std::string>&, std::uint64_t)>& emit);
  /// The last record parsed successfully.
  const sdk::Prediction& prediction() const noexcept { return prediction_; }

 private:
  Records records_;
  simdjson::ondemand::parser parser_;
  sdk::Prediction prediction_;
};

/// Why `text` is not valid JSON, with its line and column ("line 1, column 12: …"); empty if it
/// is valid.
std::string json_syntax_problem(std::string_view text);

}  // namespace ea::native
