// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vector>

#include "ea/core/prediction_import.hpp"
#include "ea/core/prediction_row.hpp"
#include "ea/core/project_snapshot.hpp"
#include "ea/sdk/record_sink.hpp"

namespace ea::core {

/// The RecordSink of a prediction import: validates each record against the project and hands
/// valid rows to the writer. An invalid record throws InvalidRecord (fail-fast) or is tallied
/// (--skip-invalid).
class PredictionSink final : public sdk::RecordSink {
 public:
  /// A sink checking against `project`, handing rows to `writer`, tallying into `report`.
  PredictionSink(const ProjectSnapshot& project, PredictionRowConsumer& writer, bool skip_invalid,
                 PredictionImportReport& report);

  void add(const sdk::DataUnit& unit, sdk::RecordLocation where) override;
  void add(const sdk::OntologyObject& object, sdk::RecordLocation where) override;
  void add(const sdk::OntologyClassification& classification, sdk::RecordLocation where) override;
  void add(const sdk::ExternalId& id, sdk::RecordLocation where) override;
  void add(const sdk::Label& label, sdk::RecordLocation where) override;
  void add(const sdk::Prediction& prediction, sdk::RecordLocation where) override;
  void reject(sdk::RecordLocation where, std::string_view reason) override;
  void note(std::string_view message) override;

  /// Fills the report's coverage fields (data units and classes never predicted).
  void summarise() const;

 private:
  void refuse(sdk::RecordLocation where, const std::string& category, const std::string& message);
  [[noreturn]] void not_a_prediction(sdk::RecordLocation where, const char* what);

  const ProjectSnapshot& project_;
  PredictionRowConsumer& writer_;
  bool skip_invalid_;
  PredictionImportReport& report_;
  std::vector<bool> unit_seen_;
  std::vector<bool> class_seen_;
};

}  // namespace ea::core
