// SPDX-License-Identifier: Apache-2.0
// `ea evaluate`: the COCO protocol on a stored prediction set, stored matches, operating points,
// the confusion matrix and plots.
#include <chrono>
#include <future>
#include <span>

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli_context.hpp"
#include "ea/core/eval/classification_evaluation.hpp"
#include "ea/core/eval/coco_evaluation.hpp"
#include "ea/core/eval/coco_report.hpp"
#include "ea/core/eval/confusion_matrix.hpp"
#include "ea/core/eval/dataset_loading.hpp"
#include "ea/core/eval/evaluation_plots.hpp"
#include "ea/core/eval/evaluation_store.hpp"
#include "ea/core/eval/kitti_report.hpp"
#include "ea/core/eval/metric_impact.hpp"
#include "ea/core/failure.hpp"
#include "eval_options.hpp"

namespace ea::cli {

namespace {

namespace eval = core::eval;

struct Arguments {
  std::string set;
  std::string protocol = "coco";
  EvalOptions eval;
  std::optional<double> iou;
  std::optional<double> score;
  std::optional<std::filesystem::path> out;
  std::vector<std::string> min_overlaps;
  std::string by_metric;
  int bins = 10;
};

// Whether `condition` holds for some row of `table` (with the set's id range bound to two `?`
// when given). EXISTS stops at the first row: counting would scan half a million predictions.
bool exists(core::Store& store, const char* table, const char* condition,
            const eval::SetRange* set = nullptr) {
  SQLite::Statement query(store.db(), std::string("SELECT EXISTS (SELECT 1 FROM ") + table +
                                          " WHERE " + condition + ")");
  if (set != nullptr) {
    query.bind(1, set->first);
    query.bind(2, set->last);
  }
  query.executeStep();
  return query.getColumn(0).getInt() != 0;
}

void check_evaluable(core::Store& store, const eval::SetRange& set, eval::IouType type) {
  if (!exists(store, "labels", "object_id IS NOT NULL")) {
    throw core::Failure(
        "the project has no object labels to evaluate against; import ground truth with `ea "
        "import project`.");
  }
  if (type != eval::IouType::segm)
    return;
  const bool objects =
      exists(store, "predictions", "id BETWEEN ? AND ? AND object_id NOT NULL", &set);
  const bool masks = exists(store, "predictions",
                            "id BETWEEN ? AND ? AND (kind = 'mask' OR kind = 'polygon')", &set);
  if (objects && !masks) {
    throw core::Failure("the set '" + set.name +
                        "' holds only boxes; --iou-type segm needs masks or polygons (use "
                        "--iou-type bbox).");
  }
}

nlohmann::json confusion_json(const eval::ConfusionMatrix& matrix) {
  std::vector<std::string> names = matrix.classes;
  names.push_back("background");
  std::vector<std::vector<std::uint64_t>> rows(names.size());
  for (std::size_t t = 0; t < names.size(); ++t) {
    for (std::size_t p = 0; p < names.size(); ++p)
      rows[t].push_back(matrix.at(t, p));
  }
  return {{"iou", matrix.iou_threshold}, {"score", matrix.score_threshold}, {"classes", names},
          {"rows_are", "labels"},        {"columns_are", "predictions"},    {"counts", rows}};
}

std::string confusion_table(const eval::ConfusionMatrix& matrix) {
  constexpr std::size_t kMaxPrinted = 25;
  const std::size_t n = matrix.classes.size() + 1;
  if (n - 1 > kMaxPrinted) {
    return fmt::format(
        "Confusion matrix: {} classes are too many to print; see --json or the "
        "heat map from --out.\n",
        n - 1);
  }
  std::vector<std::string> names = matrix.classes;
  names.push_back("background");
  std::size_t width = 10;
  for (const auto& name : names)
    width = std::max(width, name.size());
  std::string text = fmt::format(
      "Confusion matrix (class-agnostic matching at IoU {:g}, score >= {:g}; rows: labels, "
      "columns: predictions)\n{:<{}}",
      matrix.iou_threshold, matrix.score_threshold, "", width);
  for (const auto& name : names)
    text += fmt::format(" {:>{}}", name.substr(0, 10), 10);
  text += '\n';
  for (std::size_t t = 0; t < n; ++t) {
    text += fmt::format("{:<{}}", names[t], width);
    for (std::size_t p = 0; p < n; ++p)
      text += fmt::format(" {:>10}", matrix.at(t, p));
    text += '\n';
  }
  return text;
}

std::string operating_point_table(const std::vector<eval::OperatingPoint>& points, double iou,
                                  double score) {
  std::size_t width = 5;
  for (const auto& point : points)
    width = std::max(width, point.name.size());
  std::string text = fmt::format(
      "At IoU {:g} and score >= {:g} (from the stored matches):\n{:<{}}  {:>7} {:>7} "
      "{:>7} {:>9} {:>7} {:>7}\n",
      iou, score, "class", width, "TP", "FP", "FN", "precision", "recall", "F1");
  for (const auto& p : points) {
    text += fmt::format("{:<{}}  {:>7} {:>7} {:>7} {:>9.3f} {:>7.3f} {:>7.3f}\n", p.name, width,
                        p.true_positives, p.false_positives, p.false_negatives, p.precision,
                        p.recall, p.f1);
  }
  return text;
}

nlohmann::json operating_point_json(const std::vector<eval::OperatingPoint>& points, double iou,
                                    double score) {
  nlohmann::json classes = nlohmann::json::object();
  for (const auto& p : points) {
    classes[p.name] = {{"tp", p.true_positives},  {"fp", p.false_positives},
                       {"fn", p.false_negatives}, {"precision", p.precision},
                       {"recall", p.recall},      {"f1", p.f1}};
  }
  return {{"iou", iou}, {"score", score}, {"classes", classes}};
}

// Frame classifications: accuracy, per-option precision/recall/F1 and the confusion matrix.
// `into` is the COCO results when the set holds objects too, or null.
void run_classification(CliContext& context, core::Store& store, const eval::SetRange& set,
                        const Arguments& arguments, nlohmann::json* into) {
  const double min_score = std::max(arguments.eval.min_score, arguments.score.value_or(0.0));
  const eval::ClassificationEvaluation evaluation =
      eval::evaluate_classifications(store, set, min_score);
  nlohmann::json results = eval::classification_json(evaluation);
  const std::int64_t id = eval::store_classification_evaluation(store, set, evaluation, results);
  results["set"] = set.name;
  results["evaluation_id"] = id;
  if (arguments.out)
    eval::write_classification_plots(*arguments.out, evaluation);
  if (into != nullptr) {
    (*into)["classification"] = results;
    if (!arguments.eval.json)
      context.out() << '\n' << eval::classification_text(evaluation);
    return;
  }
  std::ostream& out = context.out();
  if (arguments.eval.json) {
    out << results.dump(2) << '\n';
    return;
  }
  fmt::print(out, "Set '{}': {} classification predictions (score >= {:g}).\n", set.name,
             evaluation.predictions, min_score);
  out << eval::classification_text(evaluation);
  if (arguments.out)
    fmt::print(out, "\nConfusion heat maps written to {}.\n", arguments.out->string());
}

// The KITTI devkit's 2D evaluation: AP|R40, AP|R11 (and AOS) per class and difficulty.
void run_kitti(CliContext& context, core::Store& store, const eval::SetRange& set,
               const Arguments& arguments) {
  check_evaluable(store, set, eval::IouType::bbox);
  const auto classes = eval::kitti_classes(store, arguments.min_overlaps);
  const eval::KittiEvaluation evaluation =
      eval::evaluate_kitti(eval::read_kitti_images(store, set), classes);
  nlohmann::json results = eval::kitti_json(evaluation);
  nlohmann::json params = nlohmann::json::object();
  for (const auto& [key, named] : classes)
    params[named.first] = named.second;
  results["evaluation_id"] = eval::store_protocol_evaluation(store, set, "kitti", "bbox",
                                                             {{"min_overlap", params}}, results);
  results["set"] = set.name;
  if (arguments.out)
    eval::write_kitti_plots(*arguments.out, evaluation);
  std::ostream& out = context.out();
  if (arguments.eval.json) {
    out << results.dump(2) << '\n';
    return;
  }
  fmt::print(out, "Set '{}'.\n", set.name);
  out << eval::kitti_text(evaluation);
  if (arguments.out)
    fmt::print(out, "\nPR curves written to {}.\n", arguments.out->string());
}

void run(CliContext& context, const Arguments& arguments) {
  if (arguments.protocol == "kitti") {
    core::Project project = context.open_project();
    core::Store& store = project.store();
    return run_kitti(context, store, eval::find_set(store, arguments.set), arguments);
  }
  const eval::CocoParams params = arguments.eval.params();
  core::Project project = context.open_project();
  core::Store& store = project.store();
  const eval::SetRange set = eval::find_set(store, arguments.set);
  const bool classifications =  // from the partial index of classifications: no scan
      exists(store, "predictions", "id BETWEEN ? AND ? AND option_id IS NOT NULL", &set);
  const bool objects =
      exists(store, "predictions", "id BETWEEN ? AND ? AND object_id NOT NULL", &set);
  if (classifications && !objects)
    return run_classification(context, store, set, arguments, nullptr);
  check_evaluable(store, set, params.iou_type);

  core::Diagnostics& diagnostics = context.diagnostics();
  auto phase_started = std::chrono::steady_clock::now();
  const auto phase = [&](const char* name) {
    const auto now = std::chrono::steady_clock::now();
    diagnostics.debug(fmt::format("{}: {:.3f} s", name,
                                  std::chrono::duration<double>(now - phase_started).count()));
    phase_started = now;
  };
  eval::DatasetBuilder builder(store, params.iou_type);
  builder.read_store(store, set.first, set.last);
  const eval::EvalDataset dataset = builder.take();
  phase("read labels and predictions");
  // Each prediction's and label's match is written on the other core while the curves are
  // accumulated and the confusion matrix is counted.
  eval::EvaluationWriter writer(store, set, params);
  std::future<void> writing;
  const eval::CocoEvaluation evaluation =
      eval::evaluate_coco(dataset, params,
                          [&](std::span<const eval::DetectionResult> detections,
                              std::span<const eval::TruthResult> truths) {
                            writing = std::async(std::launch::async, [&, detections, truths] {
                              writer.write_matches(dataset, detections, truths);
                            });
                          });
  phase("matched and accumulated");
  const double score = arguments.score.value_or(0.5);
  const eval::ConfusionMatrix confusion =
      eval::confusion_matrix(dataset, params.iou_type, 0.5, score);

  phase("confusion matrix");
  nlohmann::json results = eval::evaluation_json(evaluation, dataset);
  results["confusion_matrix"] = confusion_json(confusion);
  writing.get();
  phase("waited for the matches to be written");
  writer.commit(results);
  const std::int64_t evaluation_id = writer.id();
  phase("stored the evaluation and every match");
  results["set"] = set.name;
  results["evaluation_id"] = evaluation_id;
  results["counts"] = {{"images", dataset.images.size()},
                       {"labels", dataset.truths.size()},
                       {"predictions", dataset.detections.size()},
                       {"classes", dataset.categories.size()}};

  const bool wants_point = arguments.iou.has_value() || arguments.score.has_value();
  const double iou = arguments.iou.value_or(0.5);
  std::vector<eval::OperatingPoint> points;
  if (wants_point) {
    points = eval::operating_point(store, evaluation_id, iou, score);
    results["operating_point"] = operating_point_json(points, iou, score);
  }
  if (arguments.out)
    eval::write_evaluation_plots(*arguments.out, evaluation, dataset, confusion);
  std::optional<eval::MetricImpact> impact;
  if (!arguments.by_metric.empty()) {
    impact = eval::metric_impact(store, evaluation_id, arguments.by_metric, iou, arguments.bins);
    results["by_metric"] = eval::metric_impact_json(*impact);
    if (arguments.out)
      eval::write_metric_impact_plot(*arguments.out, *impact);
  }

  std::ostream& out = context.out();
  if (arguments.eval.json) {
    if (classifications)
      run_classification(context, store, set, arguments, &results);
    out << results.dump(2) << '\n';
    return;
  }
  fmt::print(out, "Set '{}': {} predictions against {} labels, {} classes ({}).\n", set.name,
             dataset.detections.size(), dataset.truths.size(), dataset.categories.size(),
             eval::to_string(params.iou_type));
  out << eval::report_text(evaluation, dataset, arguments.eval.per_class);
  out << '\n' << confusion_table(confusion);
  if (wants_point)
    out << '\n' << operating_point_table(points, iou, score);
  if (impact)
    out << '\n' << eval::metric_impact_text(*impact);
  if (classifications)
    run_classification(context, store, set, arguments, &results);
  if (arguments.out)
    fmt::print(out, "\nPlots and curves written to {}.\n", arguments.out->string());
}

}  // namespace

void add_evaluate_command(CLI::App& app, CliContext& context) {
  auto arguments = std::make_shared<Arguments>();
  CLI::App* command = app.add_subcommand(
      "evaluate",
      "Evaluate a stored prediction set against the project's labels (objects: the COCO protocol, "
      "as pycocotools, or the KITTI devkit's with --protocol kitti; frame classifications: "
      "accuracy, precision, recall, F1 and confusion), store the results, and print the summary");
  command->add_option("--set", arguments->set,
                      "The prediction set (default: the most recently imported)");
  command
      ->add_option("--protocol", arguments->protocol,
                   "The object protocol: coco (pycocotools' COCOeval, the default) or kitti "
                   "(the KITTI object devkit, 2D boxes)")
      ->check(CLI::IsMember({"coco", "kitti"}));
  add_eval_options(*command, arguments->eval);
  command->add_option("--min-overlap", arguments->min_overlaps,
                      "KITTI protocol: CLASS=OVERLAP, the overlap a match must exceed for a class "
                      "(repeatable; Car 0.7, Pedestrian 0.5 and Cyclist 0.5 by default, as the "
                      "devkit)");
  command->add_option("--iou", arguments->iou,
                      "Print precision, recall and F1 per class at this IoU threshold (one of "
                      "the evaluated ones; default 0.5 when --score is given)");
  command->add_option("--score", arguments->score,
                      "Score threshold of the operating point and of the confusion matrix "
                      "(default 0.5)");
  command->add_option("--by-metric", arguments->by_metric,
                      "Precision of predictions and false-negative rate of labels by quantile bin "
                      "of this stored metric (at --iou), and every metric's correlation and "
                      "mutual information with being a true positive");
  command->add_option("--bins", arguments->bins, "Quantile bins of --by-metric (default 10)")
      ->check(CLI::Range(1, 100));
  command->add_option("--out", arguments->out,
                      "Write PR curves and the confusion matrix as PNG images, and the curves "
                      "as CSV, into this folder");
  command->callback([&context, arguments] { run(context, *arguments); });
}

}  // namespace ea::cli
