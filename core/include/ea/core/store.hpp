// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <memory>

#include <SQLiteCpp/Database.h>

namespace ea::core {

/// The newest store layout this ea knows; migrations lead every older store to it.
inline constexpr int kSchemaVersion = 7;

/// The project's SQLite store (`ea.db`): WAL journal, foreign keys on, schema migrated forward on
/// open. Every writer wraps its work in one transaction, so a killed process leaves either all or
/// nothing of it.
class Store {
 public:
  /// Creates a new store at `file` (which must not exist) with the newest schema.
  static Store create(const std::filesystem::path& file);
  /// A store in memory with the newest schema, for evaluating files without a project.
  static Store in_memory();
  /// Opens an existing store and migrates it; throws Failure if it is unreadable or newer than
  /// this ea.
  static Store open(const std::filesystem::path& file);

  /// The connection, for the store's own readers and writers in core.
  SQLite::Database& db() noexcept { return *db_; }
  /// The layout version of this store.
  int schema_version();

 private:
  explicit Store(std::unique_ptr<SQLite::Database> db) : db_(std::move(db)) {}
  std::unique_ptr<SQLite::Database> db_;
};

}  // namespace ea::core
