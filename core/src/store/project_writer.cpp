// SPDX-License-Identifier: Apache-2.0
#include "ea/core/project_writer.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <SQLiteCpp/Statement.h>

namespace ea::core {

DataUnitInserter::DataUnitInserter(SQLite::Database& db)
    : db_(db),
      statement_(db,
                 "INSERT INTO data_units (data_hash, title, path, kind, width, height, "
                 "frame_count) VALUES (?, ?, ?, ?, ?, ?, ?)") {}

std::int64_t DataUnitInserter::insert(const sdk::DataUnit& unit) {
  statement_.bind(1, unit.data_hash);
  statement_.bind(2, unit.title);
  statement_.bind(3, unit.path);
  statement_.bind(4, unit.kind == sdk::MediaKind::video ? "video" : "image");
  statement_.bind(5, static_cast<std::int64_t>(unit.width));
  statement_.bind(6, static_cast<std::int64_t>(unit.height));
  statement_.bind(7, static_cast<std::int64_t>(unit.frame_count));
  statement_.exec();
  statement_.reset();
  return db_.getLastInsertRowid();
}

void insert_data_units(SQLite::Database& db, std::span<const sdk::DataUnit> units) {
  DataUnitInserter inserter(db);
  for (const sdk::DataUnit& unit : units)
    inserter.insert(unit);
}

std::size_t insert_image_groups(SQLite::Database& db, std::span<const sdk::DataUnit> units) {
  std::map<std::string, std::vector<const sdk::DataUnit*>> groups;
  for (const sdk::DataUnit& unit : units) {
    const std::size_t slash = unit.title.find('/');
    if (unit.kind == sdk::MediaKind::image && slash != std::string::npos)
      groups[unit.title.substr(0, slash)].push_back(&unit);
  }
  SQLite::Statement group(db, "INSERT INTO image_groups (name) VALUES (?)");
  SQLite::Statement member(db,
                           "UPDATE data_units SET group_id = ?, group_position = ? WHERE "
                           "data_hash = ?");
  for (auto& [name, members] : groups) {
    group.bind(1, name);
    group.exec();
    group.reset();
    const std::int64_t id = db.getLastInsertRowid();
    std::sort(members.begin(), members.end(),
              [](const auto* a, const auto* b) { return a->title < b->title; });
    for (std::size_t position = 0; position < members.size(); ++position) {
      member.bind(1, id);
      member.bind(2, static_cast<std::int64_t>(position));
      member.bind(3, members[position]->data_hash);
      member.exec();
      member.reset();
    }
  }
  return groups.size();
}

void insert_ontology(SQLite::Database& db, const Ontology& ontology) {
  SQLite::Statement object(db,
                           "INSERT INTO ontology_objects (feature_hash, name, shape, "
                           "supercategory) VALUES (?, ?, ?, ?)");
  for (const sdk::OntologyObject& entry : ontology.objects) {
    object.bind(1, entry.feature_hash);
    object.bind(2, entry.name);
    object.bind(3, std::string(sdk::to_string(entry.shape)));
    object.bind(4, entry.supercategory);
    object.exec();
    object.reset();
  }
  SQLite::Statement classification(
      db,
      "INSERT INTO ontology_classifications (feature_hash, attribute_hash, name) VALUES (?, ?, ?)");
  SQLite::Statement option(
      db,
      "INSERT INTO classification_options (classification_id, option_hash, name) VALUES (?, ?, ?)");
  for (const sdk::OntologyClassification& entry : ontology.classifications) {
    classification.bind(1, entry.feature_hash);
    classification.bind(2, entry.attribute_hash);
    classification.bind(3, entry.name);
    classification.exec();
    classification.reset();
    const std::int64_t id = db.getLastInsertRowid();
    for (const sdk::ClassificationOption& answer : entry.options) {
      option.bind(1, id);
      option.bind(2, answer.option_hash);
      option.bind(3, answer.name);
      option.exec();
      option.reset();
    }
  }
}

}  // namespace ea::core
