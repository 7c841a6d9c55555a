// SPDX-License-Identifier: Apache-2.0
#include "ea/core/eval/file_evaluation.hpp"

#include <exception>
#include <future>
#include <optional>
#include <vector>

#include "ea/core/eval/dataset_loading.hpp"
#include "ea/core/failure.hpp"
#include "ea/core/prediction_import.hpp"
#include "ea/core/project_import.hpp"
#include "ea/core/project_snapshot.hpp"

namespace ea::core::eval {

namespace {

// Collects validated detections on the results thread; they join the dataset once the ground
// truth is in.
class DetectionCollector final : public PredictionRowConsumer {
 public:
  void push(PredictionRow row) override {
    if (row.object_id != 0)  // frame classifications are not part of a COCO evaluation
      rows_.push_back(std::move(row));
  }
  // Moves the collected detections into `builder` in file order.
  void add_to(DatasetBuilder& builder) {
    std::int64_t count = 0;
    for (PredictionRow& row : rows_) {
      StoredObject object;
      object.id = ++count;
      object.data_unit_id = row.data_unit_id;
      object.frame = row.frame;
      object.kind = row.kind;
      object.object_id = row.object_id;
      object.box = row.box.value_or(sdk::BoundingBox{});
      object.geometry = row.geometry;
      object.mask = row.mask ? &*row.mask : nullptr;
      object.score = row.confidence;
      object.area = row.area;
      object.box_is_mask_box = row.mask.has_value() && !row.area;
      builder.add_prediction(object);
    }
  }

 private:
  std::vector<PredictionRow> rows_;
};

// Builds the dataset from labels as the ground-truth import validates them. Images and classes
// are complete in the store once the first label arrives (importers send them first).
class TruthCollector final : public LabelRowConsumer {
 public:
  TruthCollector(Store& store, IouType type) : store_(store), type_(type) {}

  /// The project as the results file must see it: ready when the first label arrives (images,
  /// classes and identifier maps come first), or when the ground truth ends.
  std::future<ProjectSnapshot> project() { return project_.get_future(); }
  /// Publishes the project if no label has yet (the file had none), or the failure.
  void finish(std::exception_ptr failure) {
    if (published_)
      return;
    published_ = true;
    if (failure) {
      project_.set_exception(failure);
    } else {
      project_.set_value(ProjectSnapshot::load(store_));
    }
  }

  void push(const LabelRow& label) override {
    if (!published_) {
      published_ = true;
      project_.set_value(ProjectSnapshot::load(store_));
    }
    if (label.row.object_id == 0)
      return;  // a frame classification: not part of a COCO evaluation
    StoredObject object;
    object.id = ++count_;
    object.data_unit_id = label.row.data_unit_id;
    object.frame = label.row.frame;
    object.kind = label.row.kind;
    object.object_id = label.row.object_id;
    object.box = label.row.box.value_or(sdk::BoundingBox{});
    object.geometry = label.row.geometry;
    std::optional<sdk::Rle> mask = label.row.mask;  // a copy: the label is the importer's
    object.mask = mask ? &*mask : nullptr;
    object.area = label.area;
    object.crowd = label.is_crowd;
    object.ignore = label.ignore;
    object.source_id = label.source_id;
    builder().add_label(object);
  }

  DatasetBuilder& builder() {
    if (!builder_)
      builder_.emplace(store_, type_);
    return *builder_;
  }

 private:
  Store& store_;
  IouType type_;
  std::optional<DatasetBuilder> builder_;
  std::int64_t count_ = 0;
  std::promise<ProjectSnapshot> project_;
  bool published_ = false;
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
  PredictionImportRequest results_request;
  results_request.input = checked_input(results_file);
  results_request.format = "coco";
  choose_importer(host, results_request.input, "coco");

  // The results file is read on the other core while the ground truth's labels are: it needs
  // only the images, classes and identifier maps, which come first.
  TruthCollector truths(files.store, type);
  DetectionCollector detections;
  auto results = std::async(std::launch::async, [&, project = truths.project()]() mutable {
    const ProjectSnapshot snapshot = project.get();
    PredictionImportReport report;
    read_predictions(snapshot, *importer, results_request, host, detections, report);
  });
  std::exception_ptr truth_failure;
  try {
    ProjectImportReport truth_report;
    read_ground_truth(files.store, *importer, truth_request, host, truth_report, &truths);
  } catch (...) {
    truth_failure = std::current_exception();
  }
  truths.finish(truth_failure);
  if (truth_failure) {
    results.wait();  // the ground truth's error is the one to report
    std::rethrow_exception(truth_failure);
  }
  results.get();
  DatasetBuilder& builder = truths.builder();
  detections.add_to(builder);
  files.dataset = builder.take();
  return files;
}

}  // namespace ea::core::eval
