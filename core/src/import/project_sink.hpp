// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <memory>
#include <optional>

#include <SQLiteCpp/Statement.h>

#include "ea/core/media_reader.hpp"
#include "ea/core/project_import.hpp"
#include "ea/core/project_snapshot.hpp"
#include "ea/core/project_writer.hpp"
#include "ea/core/store.hpp"
#include "ea/sdk/record_sink.hpp"

namespace ea::core {

/// The RecordSink of a project import: writes data units, ontology entries, identifier maps and
/// labels through the caller's transaction, checking each against what the store already holds.
/// A record may refer to entries added earlier in the same import.
class ProjectSink final : public sdk::RecordSink {
 public:
  /// A sink writing to `store`; with `images`, each data unit's file is looked up there. With
  /// `labels`, labels go there instead of into the store.
  ProjectSink(Store& store, const ProjectImportRequest& request, ProjectImportReport& report,
              LabelRowConsumer* labels = nullptr);
  ~ProjectSink() override;

  void add(const sdk::DataUnit& unit, sdk::RecordLocation where) override;
  void add(const sdk::OntologyObject& object, sdk::RecordLocation where) override;
  void add(const sdk::OntologyClassification& classification, sdk::RecordLocation where) override;
  void add(const sdk::ExternalId& id, sdk::RecordLocation where) override;
  void add(const sdk::Label& label, sdk::RecordLocation where) override;
  void add(const sdk::Prediction& prediction, sdk::RecordLocation where) override;
  void reject(sdk::RecordLocation where, std::string_view reason) override;
  void note(std::string_view message) override;

 private:
  const ProjectSnapshot& snapshot();
  void refuse(sdk::RecordLocation where, const std::string& category, const std::string& message);
  bool check_image(const sdk::DataUnit& unit, sdk::RecordLocation where);

  Store& store_;
  const ProjectImportRequest& request_;
  ProjectImportReport& report_;
  ProjectSnapshot snapshot_;
  bool stale_ = true;  // the store changed since the snapshot was read
  std::optional<MediaReader> media_;
  std::unique_ptr<SQLite::Statement> insert_label_;
  std::unique_ptr<SQLite::Statement> insert_external_id_;
  std::unique_ptr<DataUnitInserter> insert_unit_;
  LabelRowConsumer* labels_ = nullptr;
};

}  // namespace ea::core
