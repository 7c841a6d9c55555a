// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

namespace ea::core {

/// A forward-only query on the plain SQLite API, for the few loops that read hundreds of
/// thousands of rows: SQLiteCpp's Column shares ownership of the statement, and the reference
/// counting per column read cost a third of reading a prediction set.
class RowReader {
 public:
  /// Prepares `sql` on `db`; throws SQLite::Exception.
  RowReader(SQLite::Database& db, const char* sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db.getHandle(), sql, -1, &statement, nullptr) != SQLITE_OK)
      throw SQLite::Exception(db.getHandle());
    statement_.reset(statement);
    handle_ = db.getHandle();
  }
  /// Binds an integer to parameter `index` (1-based).
  void bind(int index, std::int64_t value) { sqlite3_bind_int64(statement_.get(), index, value); }
  /// Moves to the next row; false at the end. Throws SQLite::Exception on an error.
  bool step() {
    const int status = sqlite3_step(statement_.get());
    if (status == SQLITE_ROW)
      return true;
    if (status != SQLITE_DONE)
      throw SQLite::Exception(handle_, status);
    return false;
  }
  /// Column `index` (0-based) of the current row.
  std::int64_t integer(int index) const { return sqlite3_column_int64(statement_.get(), index); }
  /// Column `index` as a double.
  double real(int index) const { return sqlite3_column_double(statement_.get(), index); }
  /// Column `index` as text, valid until the next step().
  std::string_view text(int index) const {
    const auto* data = sqlite3_column_text(statement_.get(), index);
    return data == nullptr
               ? std::string_view()
               : std::string_view(
                     reinterpret_cast<const char*>(data),
                     static_cast<std::size_t>(sqlite3_column_bytes(statement_.get(), index)));
  }
  /// Whether column `index` is NULL.
  bool null(int index) const { return sqlite3_column_type(statement_.get(), index) == SQLITE_NULL; }

 private:
  struct Finalize {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
  };
  std::unique_ptr<sqlite3_stmt, Finalize> statement_;
  sqlite3* handle_ = nullptr;
};

}  // namespace ea::core
