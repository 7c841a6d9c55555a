// SPDX-License-Identifier: Apache-2.0
#include "ea/core/eval/file_evaluation.hpp"

#include "ea/core/eval/dataset_loading.hpp"
#include "ea/core/failure.hpp"
#include "ea/core/prediction_import.hpp"
#include "ea/core/project_import.hpp"
#include "ea/core/project_snapshot.hpp"

namespace ea::core::eval {

namespace {

// Hands validated rows straight to the dataset: no store round trip for half a million rows.
class DetectionCollector final : public PredictionRowConsumer {
 public:
  explicit DetectionCollector(DatasetBuilder& builder) : builder_(builder) {}

  void push(PredictionRow row) override {
    if (row.object_id == 0)
      return;  // a frame classification: not part of a COCO evaluation
    StoredObject object;
    object.id = ++count_;
    object.data_unit_id = row.data_unit_id;
    object.frame = row.frame;
    object.kind = row.kind;
    object.object_id = row.object_id;
    object.box = row.box.value_or(sdk::BoundingBox{});
    object.geometry = row.geometry;
    object.score = row.confidence;
    object.area = row.area;
    builder_.add_prediction(object);
  }

 private:
  DatasetBuilder& builder_;
  std::int64_t count_ = 0;
};

}  // namespace

FileDataset load_coco_files(const PluginHost& host, const std::filesystem::path& truth_file,
                            const std::filesystem::path& results_file, IouType type) {
  const ImporterRegistration* importer = host.find_importer("coco");
  if (importer == nullptr)
    throw Failure("the coco importer plugin was not found; ea cocoeval needs it.");
  FileDataset files{Store::in_memory(), {}};

  ProjectImportRequest truth_request;
  truth_request.input = checked_input(truth_file);
  truth_request.format = "coco";
  choose_importer(host, truth_request.input, "coco");  // refuses an empty file
  ProjectImportReport truth_report;
  read_ground_truth(files.store, *importer, truth_request, host, truth_report);

  DatasetBuilder builder(files.store, type);
  builder.add_labels(files.store);
  const ProjectSnapshot snapshot = ProjectSnapshot::load(files.store);
  PredictionImportRequest results_request;
  results_request.input = checked_input(results_file);
  results_request.format = "coco";
  choose_importer(host, results_request.input, "coco");
  PredictionImportReport results_report;
  DetectionCollector collector(builder);
  read_predictions(snapshot, *importer, results_request, host, collector, results_report);
  files.dataset = builder.take();
  return files;
}

}  // namespace ea::core::eval
