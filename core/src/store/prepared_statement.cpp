// SPDX-License-Identifier: Apache-2.0
#include "ea/core/prepared_statement.hpp"

#include <SQLiteCpp/Exception.h>

namespace ea::core {

PreparedStatement::PreparedStatement(SQLite::Database& db, std::string_view sql)
    : db_(db.getHandle()) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &statement, nullptr) !=
      SQLITE_OK) {
    throw SQLite::Exception(db_);
  }
  statement_.reset(statement);
}

bool PreparedStatement::step() {
  const int status = sqlite3_step(statement_.get());
  if (status == SQLITE_ROW)
    return true;
  if (status != SQLITE_DONE)
    throw SQLite::Exception(db_, status);
  return false;
}

void PreparedStatement::run() {
  const int status = sqlite3_step(statement_.get());
  sqlite3_reset(statement_.get());
  if (status != SQLITE_DONE)
    throw SQLite::Exception(db_, status);
}

}  // namespace ea::core
