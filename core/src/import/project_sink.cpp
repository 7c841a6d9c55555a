// SPDX-License-Identifier: Apache-2.0
#include "project_sink.hpp"

#include <fmt/format.h>

#include "ea/core/failure.hpp"
#include "ea/core/prediction_row.hpp"
#include "ea/core/project_writer.hpp"
#include "ea/sdk/error.hpp"

namespace ea::core {

namespace fs = std::filesystem;

ProjectSink::ProjectSink(Store& store, const ProjectImportRequest& request,
                         ProjectImportReport& report, LabelRowConsumer* labels)
    : store_(store), request_(request), report_(report), labels_(labels) {
  insert_label_ = std::make_unique<SQLite::Statement>(
      store.db(),
      "INSERT INTO labels (data_unit_id, frame, kind, object_id, option_id, x, y, w, h, theta, "
      "geometry, area, is_crowd, ignore, track_id, source_id, attributes) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert_external_id_ = std::make_unique<SQLite::Statement>(
      store.db(),
      "INSERT INTO external_ids (space, external_id, target, hash, frame) VALUES (?, ?, ?, ?, ?)");
  insert_unit_ = std::make_unique<DataUnitInserter>(store.db());
}

ProjectSink::~ProjectSink() = default;

const ProjectSnapshot& ProjectSink::snapshot() {
  // Reads inside the import's transaction see what it has written so far.
  if (stale_) {
    snapshot_ = ProjectSnapshot::load(store_);
    stale_ = false;
  }
  return snapshot_;
}

void ProjectSink::refuse(sdk::RecordLocation where, const std::string& category,
                         const std::string& message) {
  if (!request_.skip_invalid)
    throw sdk::InvalidRecord(message, where);
  tally_rejection(report_.skipped, category, sdk::describe(where), message);
}

bool ProjectSink::check_image(const sdk::DataUnit& unit, sdk::RecordLocation where) {
  const fs::path file = *request_.images / unit.title;
  if (!fs::is_regular_file(file)) {
    if (request_.strict) {
      refuse(where, "missing image", "the image " + file.string() + " does not exist");
      return false;
    }
    report_.missing_images.push_back(unit.title);
    return true;
  }
  if (!media_)
    media_.emplace();
  const MediaSize size = media_->read(file, unit.kind == sdk::MediaKind::video);
  if (size.width != unit.width || size.height != unit.height) {
    refuse(
        where, "image size mismatch",
        fmt::format("the file gives {} as {}×{} (width × height), the image {} is {}×{}",
                    unit.title, unit.width, unit.height, file.string(), size.width, size.height));
    return false;
  }
  return true;
}

void ProjectSink::add(const sdk::DataUnit& given, sdk::RecordLocation where) {
  sdk::DataUnit unit = given;
  if (unit.title.empty())
    return refuse(where, "invalid data unit", "the data unit has no title");
  const bool sized_by_image = unit.width == 0 && unit.height == 0 && request_.images &&
                              fs::is_regular_file(*request_.images / unit.title);
  if (sized_by_image) {
    // An importer that knows the file but not its size (KITTI) leaves the size to the image.
    if (!media_)
      media_.emplace();
    const MediaSize size = media_->read(*request_.images / unit.title, false);
    unit.width = size.width;
    unit.height = size.height;
  }
  if (unit.width == 0 || unit.height == 0 || unit.frame_count == 0) {
    return refuse(where, "invalid data unit",
                  "the data unit \"" + unit.title + "\" has no size or no frames");
  }
  if (unit.data_hash.empty())
    unit.data_hash = sdk::derived_data_hash(unit.title);
  if (unit.path.empty())
    unit.path = unit.title;
  if (const sdk::DataUnit* existing = snapshot().find_data_unit(unit.data_hash)) {
    if (existing->title != unit.title || existing->width != unit.width ||
        existing->height != unit.height) {
      refuse(where, "conflicting data unit",
             fmt::format("the data unit \"{}\" ({}×{}) has the data_hash of \"{}\" ({}×{})",
                         unit.title, unit.width, unit.height, existing->title, existing->width,
                         existing->height));
    }
    return;  // already in the project: adding the same data unit again changes nothing
  }
  // A unit sized from its image needs no second read to check that size.
  if (request_.images && !sized_by_image && !check_image(unit, where))
    return;
  const std::int64_t row = insert_unit_->insert(unit);
  ++report_.data_units;
  snapshot();  // current before it is extended, so the new row is not read twice
  snapshot_.add_data_unit(std::move(unit), row);
}

void ProjectSink::add(const sdk::OntologyObject& given, sdk::RecordLocation where) {
  sdk::OntologyObject object = given;
  if (object.name.empty())
    return refuse(where, "invalid class", "the class has no name");
  if (object.feature_hash.empty()) {
    object.feature_hash = sdk::derived_hash("object", object.name, sdk::to_string(object.shape));
  }
  for (const sdk::OntologyObject& existing : snapshot().objects()) {
    const bool same_hash = existing.feature_hash == object.feature_hash;
    const bool same_class = existing.name == object.name && existing.shape == object.shape;
    if (same_hash && same_class)
      return;  // already in the ontology
    if (same_hash || same_class) {
      return refuse(
          where, "conflicting class",
          fmt::format("the class \"{}\" ({}, feature_hash \"{}\") conflicts with \"{}\" "
                      "({}, feature_hash \"{}\") of the ontology",
                      object.name, sdk::to_string(object.shape), object.feature_hash, existing.name,
                      sdk::to_string(existing.shape), existing.feature_hash));
    }
  }
  Ontology ontology;
  ontology.objects.push_back(object);
  insert_ontology(store_.db(), ontology);
  ++report_.objects;
  snapshot_.add_object(std::move(object), store_.db().getLastInsertRowid());
}

void ProjectSink::add(const sdk::OntologyClassification& given, sdk::RecordLocation where) {
  sdk::OntologyClassification classification = given;
  if (classification.name.empty() || classification.options.empty()) {
    return refuse(where, "invalid classification", "a classification needs a name and options");
  }
  if (classification.feature_hash.empty()) {
    classification.feature_hash = sdk::derived_hash("classification", classification.name);
  }
  if (classification.attribute_hash.empty()) {
    classification.attribute_hash = sdk::derived_hash("attribute", classification.name);
  }
  for (sdk::ClassificationOption& option : classification.options) {
    if (option.option_hash.empty()) {
      option.option_hash = sdk::derived_hash("option", classification.name, option.name);
    }
  }
  for (const auto& existing : snapshot().classifications()) {
    if (existing.feature_hash == classification.feature_hash)
      return;  // already there
  }
  Ontology ontology;
  ontology.classifications.push_back(std::move(classification));
  insert_ontology(store_.db(), ontology);
  ++report_.classifications;
  stale_ = true;
}

void ProjectSink::add(const sdk::ExternalId& id, sdk::RecordLocation where) {
  const ProjectSnapshot& project = snapshot();
  const sdk::DataUnit* unit =
      id.target == sdk::ExternalTarget::data_unit ? project.find_data_unit(id.hash) : nullptr;
  const bool known = id.target == sdk::ExternalTarget::data_unit
                         ? unit != nullptr
                         : project.find_object(id.hash) != nullptr;
  if (!known) {
    return refuse(where, "unknown identifier target",
                  fmt::format("{} id \"{}\" maps to \"{}\", which is not in the project", id.space,
                              id.external_id, id.hash));
  }
  if (id.frame && (unit == nullptr || *id.frame < 0 ||
                   *id.frame >= static_cast<std::int64_t>(unit->frame_count))) {
    return refuse(where, "unknown identifier target",
                  fmt::format("{} id \"{}\" names frame {} of \"{}\", which has no such frame",
                              id.space, id.external_id, *id.frame, id.hash));
  }
  const std::string_view existing = project.find_external_id(id.space, id.external_id);
  if (existing == id.hash && project.find_external_frame(id.space, id.external_id) == id.frame)
    return;
  if (!existing.empty()) {
    return refuse(where, "conflicting identifier",
                  fmt::format("{} id \"{}\" already maps to \"{}\", not \"{}\"", id.space,
                              id.external_id, existing, id.hash));
  }
  SQLite::Statement& insert = *insert_external_id_;
  insert.bind(1, id.space);
  insert.bind(2, id.external_id);
  insert.bind(3, id.target == sdk::ExternalTarget::data_unit ? "data_unit" : "ontology_object");
  insert.bind(4, id.hash);
  id.frame ? insert.bind(5, *id.frame) : insert.bind(5);
  insert.exec();
  insert.reset();
  ++report_.external_ids;
  snapshot_.add_external_id(id.space, id.external_id, id.hash, id.frame);
}

void ProjectSink::add(const sdk::Label& label, sdk::RecordLocation where) {
  auto result = to_label_row(label, snapshot());
  if (const auto* rejection = std::get_if<Rejection>(&result)) {
    return refuse(where, rejection->category, rejection->message);
  }
  LabelRow& label_row = std::get<LabelRow>(result);
  PredictionRow& row = label_row.row;
  ++report_.labels_by_kind[std::string(row.kind)];
  if (label_row.is_crowd)
    ++report_.crowd_labels;
  if (labels_ != nullptr)
    return labels_->push(label_row);
  SQLite::Statement& insert = *insert_label_;
  insert.bind(1, row.data_unit_id);
  insert.bind(2, row.frame);
  insert.bind(3, std::string(row.kind));
  row.object_id != 0 ? insert.bind(4, row.object_id) : insert.bind(4);
  row.option_id != 0 ? insert.bind(5, row.option_id) : insert.bind(5);
  if (row.box) {
    insert.bind(6, row.box->x);
    insert.bind(7, row.box->y);
    insert.bind(8, row.box->w);
    insert.bind(9, row.box->h);
    insert.bind(10, row.box->theta);
  } else {
    for (int column = 6; column <= 10; ++column)
      insert.bind(column);
  }
  const std::string_view geometry = stored_geometry(row);
  geometry.empty() ? insert.bind(11) : insert.bind(11, std::string(geometry));
  label_row.area ? insert.bind(12, *label_row.area) : insert.bind(12);
  insert.bind(13, label_row.is_crowd ? 1 : 0);
  insert.bind(14, label_row.ignore ? 1 : 0);
  row.track_id ? insert.bind(15, *row.track_id) : insert.bind(15);
  label_row.source_id ? insert.bind(16, *label_row.source_id) : insert.bind(16);
  row.attributes.empty() ? insert.bind(17) : insert.bind(17, row.attributes);
  insert.exec();
  insert.reset();
}

void ProjectSink::add(const sdk::Prediction&, sdk::RecordLocation where) {
  throw sdk::InvalidRecord(
      "the importer produced a prediction, which only `ea import predictions` accepts", where);
}

void ProjectSink::reject(sdk::RecordLocation where, std::string_view reason) {
  // Grouped by the reason itself, so a report counts each unknown id, each broken field.
  refuse(where, std::string(reason), std::string(reason));
}

void ProjectSink::note(std::string_view message) {
  report_.notes.emplace_back(message);
}

}  // namespace ea::core
