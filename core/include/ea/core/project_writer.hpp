// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <span>

#include <SQLiteCpp/Database.h>

#include "ea/core/ontology_file.hpp"
#include "ea/sdk/records.hpp"

namespace ea::core {

/// Inserts data units; the caller holds the transaction.
void insert_data_units(SQLite::Database& db, std::span<const sdk::DataUnit> units);

/// Inserts ontology objects and classifications with their options; the caller holds the
/// transaction.
void insert_ontology(SQLite::Database& db, const Ontology& ontology);

}  // namespace ea::core
