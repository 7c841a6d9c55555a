// SPDX-License-Identifier: Apache-2.0
#include "prediction_sink.hpp"

#include "ea/sdk/error.hpp"

namespace ea::core {

PredictionSink::PredictionSink(const ProjectSnapshot& project, PredictionRowConsumer& writer,
                               bool skip_invalid, PredictionImportReport& report)
    : project_(project),
      writer_(writer),
      skip_invalid_(skip_invalid),
      report_(report),
      unit_seen_(project.data_units().size()),
      class_seen_(project.objects().size()) {}

void PredictionSink::add(const sdk::Prediction& prediction, sdk::RecordLocation where) {
  auto result = to_prediction_row(prediction, project_);
  if (auto* rejection = std::get_if<Rejection>(&result)) {
    refuse(where, rejection->category, rejection->message);
    return;
  }
  PredictionRow& row = std::get<PredictionRow>(result);
  row.source_record = static_cast<std::int64_t>(where.number);
  unit_seen_[row.unit_index] = true;
  if (row.object_id != 0)
    class_seen_[row.class_index] = true;
  ++report_.counts_by_kind[std::string(row.kind)];
  ++report_.imported;
  writer_.push(std::move(row));
}

void PredictionSink::reject(sdk::RecordLocation where, std::string_view reason) {
  // Grouped by the reason itself, so a report counts each unknown id, each broken field.
  refuse(where, std::string(reason), std::string(reason));
}

void PredictionSink::refuse(sdk::RecordLocation where, const std::string& category,
                            const std::string& message) {
  if (!skip_invalid_)
    throw sdk::InvalidRecord(message, where);
  tally_rejection(report_.skipped, category, sdk::describe(where), message);
}

void PredictionSink::not_a_prediction(sdk::RecordLocation where, const char* what) {
  throw sdk::InvalidRecord(
      std::string("the importer produced ") + what + ", which only `ea import project` accepts",
      where);
}

void PredictionSink::add(const sdk::DataUnit&, sdk::RecordLocation where) {
  not_a_prediction(where, "a data unit");
}
void PredictionSink::add(const sdk::OntologyObject&, sdk::RecordLocation where) {
  not_a_prediction(where, "an ontology object");
}
void PredictionSink::add(const sdk::OntologyClassification&, sdk::RecordLocation where) {
  not_a_prediction(where, "an ontology classification");
}
void PredictionSink::add(const sdk::ExternalId&, sdk::RecordLocation) {
  // Identifier maps are harmless here: the project already has its own.
}
void PredictionSink::add(const sdk::Label&, sdk::RecordLocation where) {
  not_a_prediction(where, "a ground-truth label");
}

void PredictionSink::summarise() const {
  constexpr std::size_t kExamples = 5;
  const auto units = project_.data_units();
  for (std::size_t i = 0; i < units.size(); ++i) {
    if (unit_seen_[i])
      continue;
    ++report_.units_without_predictions;
    if (report_.units_without_predictions_examples.size() < kExamples) {
      report_.units_without_predictions_examples.push_back(units[i].title);
    }
  }
  const auto objects = project_.objects();
  for (std::size_t i = 0; i < objects.size(); ++i) {
    if (!class_seen_[i])
      report_.classes_never_seen.push_back(objects[i].name);
  }
}

void PredictionSink::note(std::string_view message) {
  report_.notes.emplace_back(message);
}

}  // namespace ea::core
