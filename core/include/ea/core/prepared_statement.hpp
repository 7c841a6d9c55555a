// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string_view>

#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

namespace ea::core {

/// A prepared statement on SQLite's plain C API, for the few loops that read or write hundreds of
/// thousands of rows: SQLiteCpp's Column shares ownership of the statement (the reference counting
/// per column read cost a third of reading a prediction set), its checked binds cost ~3 % of a
/// bulk import, and it does not hand out its statement handle.
class PreparedStatement {
 public:
  /// Prepares `sql` on `db`; throws SQLite::Exception.
  PreparedStatement(SQLite::Database& db, std::string_view sql);

  /// The statement, for sqlite3_bind_* and sqlite3_column_*.
  sqlite3_stmt* handle() const noexcept { return statement_.get(); }
  /// Moves to the next row; false at the end. Throws SQLite::Exception on an error.
  bool step();
  /// Runs a statement that returns no rows (an INSERT) and resets it for the next bindings.
  /// Throws SQLite::Exception on an error.
  void run();

 private:
  struct Finalize {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
  };
  std::unique_ptr<sqlite3_stmt, Finalize> statement_;
  sqlite3* db_ = nullptr;
};

}  // namespace ea::core
