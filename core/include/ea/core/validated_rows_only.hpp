// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <SQLiteCpp/Database.h>

namespace ea::core {

/// Turns off, for one connection while it lives, the row checks that a bulk writer has already
/// made: foreign keys (every id it writes was read inside its own transaction, so it exists) and
/// CHECK constraints (every row passed stricter validation). Checking three foreign keys per
/// prediction again cost ~7 % of a bulk insert, the CHECKs another ~6 % of the writer. Both
/// pragmas only take effect outside a transaction: create this before the transaction begins.
class ValidatedRowsOnly {
 public:
  /// Turns the checks off on `db`.
  explicit ValidatedRowsOnly(SQLite::Database& db);
  ValidatedRowsOnly(const ValidatedRowsOnly&) = delete;
  ValidatedRowsOnly& operator=(const ValidatedRowsOnly&) = delete;
  /// Turns them back on.
  ~ValidatedRowsOnly();

 private:
  SQLite::Database& db_;
};

}  // namespace ea::core
