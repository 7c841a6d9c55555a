// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <string>

#include <SQLiteCpp/Statement.h>

#include "ea/core/failure.hpp"
#include "ea/core/store.hpp"
#include "test_support.hpp"

TEST_CASE("a new store has the newest schema, WAL and foreign keys") {
  const ea::test::TempDir dir;
  ea::core::Store store = ea::core::Store::create(dir / "ea.db");
  CHECK(store.schema_version() == ea::core::kSchemaVersion);
  CHECK(store.db().execAndGet("PRAGMA journal_mode").getString() == "wal");
  CHECK(store.db().execAndGet("PRAGMA foreign_keys").getInt() == 1);
  CHECK_THROWS_AS(ea::core::Store::create(dir / "ea.db"), ea::core::Failure);
}

TEST_CASE("opening an existing store keeps its data and a newer layout is refused") {
  const ea::test::TempDir dir;
  {
    ea::core::Store store = ea::core::Store::create(dir / "ea.db");
    store.db().exec(
        "INSERT INTO ontology_objects (feature_hash, name, shape) VALUES ('h', 'car', "
        "'bounding_box')");
  }
  {
    ea::core::Store store = ea::core::Store::open(dir / "ea.db");
    CHECK(store.db().execAndGet("SELECT name FROM ontology_objects").getString() == "car");
    store.db().exec("UPDATE schema_version SET version = 999");
  }
  try {
    ea::core::Store::open(dir / "ea.db");
    FAIL("a store from a newer ea was opened");
  } catch (const ea::core::Failure& error) {
    CHECK(std::string(error.what()).find("newer than this ea understands") != std::string::npos);
  }
  CHECK_THROWS_AS(ea::core::Store::open(dir / "missing.db"), ea::core::Failure);
}

TEST_CASE("the store refuses rows that break its constraints") {
  const ea::test::TempDir dir;
  ea::core::Store store = ea::core::Store::create(dir / "ea.db");
  CHECK_THROWS(store.db().exec(
      "INSERT INTO ontology_objects (feature_hash, name, shape) VALUES ('h', 'car', 'circle')"));
  CHECK_THROWS(store.db().exec(
      "INSERT INTO data_units (data_hash, title, path, kind, width, height, frame_count) "
      "VALUES ('d', 't', 'p', 'image', 0, 10, 1)"));
}

TEST_CASE("whether a set holds classifications is answered from an index, not by reading it") {
  const ea::test::TempDir dir;
  ea::core::Store store = ea::core::Store::create(dir / "ea.db");
  SQLite::Statement plan(store.db(),
                         "EXPLAIN QUERY PLAN SELECT EXISTS (SELECT 1 FROM predictions WHERE id "
                         "BETWEEN 1 AND 500000 AND option_id IS NOT NULL)");
  std::string steps;
  while (plan.executeStep())
    steps += plan.getColumn(3).getString() + "\n";
  CAPTURE(steps);
  CHECK(steps.find("USING INDEX predictions_classified") != std::string::npos);
}
