// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string_view>

#include "ea/core/prepared_statement.hpp"

namespace ea::core {

/// A forward-only query on the plain C API (PreparedStatement), with typed column reads.
class RowReader {
 public:
  /// Prepares `sql` on `db`; throws SQLite::Exception.
  RowReader(SQLite::Database& db, const char* sql) : statement_(db, sql) {}
  /// Binds an integer to parameter `index` (1-based).
  void bind(int index, std::int64_t value) { sqlite3_bind_int64(handle(), index, value); }
  /// Moves to the next row; false at the end. Throws SQLite::Exception on an error.
  bool step() { return statement_.step(); }
  /// Column `index` (0-based) of the current row.
  std::int64_t integer(int index) const { return sqlite3_column_int64(handle(), index); }
  /// Column `index` as a double.
  double real(int index) const { return sqlite3_column_double(handle(), index); }
  /// Column `index` as text, valid until the next step().
  std::string_view text(int index) const {
    const auto* data = sqlite3_column_text(handle(), index);
    return data == nullptr
               ? std::string_view()
               : std::string_view(reinterpret_cast<const char*>(data),
                                  static_cast<std::size_t>(sqlite3_column_bytes(handle(), index)));
  }
  /// Whether column `index` is NULL.
  bool null(int index) const { return sqlite3_column_type(handle(), index) == SQLITE_NULL; }

 private:
  sqlite3_stmt* handle() const noexcept { return statement_.handle(); }

  PreparedStatement statement_;
};

}  // namespace ea::core
