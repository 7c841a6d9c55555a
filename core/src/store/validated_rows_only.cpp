// SPDX-License-Identifier: Apache-2.0
#include "ea/core/validated_rows_only.hpp"

namespace ea::core {

ValidatedRowsOnly::ValidatedRowsOnly(SQLite::Database& db) : db_(db) {
  db_.exec("PRAGMA foreign_keys = OFF");
  db_.exec("PRAGMA ignore_check_constraints = ON");
}

ValidatedRowsOnly::~ValidatedRowsOnly() {
  // Cannot fail outside a transaction; a destructor must not throw in any case.
  db_.tryExec("PRAGMA ignore_check_constraints = OFF");
  db_.tryExec("PRAGMA foreign_keys = ON");
}

}  // namespace ea::core
