// SPDX-License-Identifier: Apache-2.0
#include "ea/core/eval/evaluation_plots.hpp"

#include <algorithm>
#include <fstream>
#include <numeric>

#include <fmt/format.h>

#include "../media/host_module.hpp"
#include "../plots/plot_contract.hpp"
#include "ea/core/eval/classification_evaluation.hpp"
#include "ea/core/eval/coco_report.hpp"
#include "ea/core/failure.hpp"

namespace ea::core::eval {

namespace fs = std::filesystem;

namespace {

// The index of an evaluated IoU threshold, if it is one.
std::optional<std::size_t> threshold_index(const CocoParams& params, double iou) {
  const auto found = std::find(params.iou_thresholds.begin(), params.iou_thresholds.end(), iou);
  if (found == params.iou_thresholds.end())
    return std::nullopt;
  return static_cast<std::size_t>(found - params.iou_thresholds.begin());
}

// Class k's curve at threshold t (area all, largest maxDets); empty when it has no labels.
plots::Series class_curve(const CocoEvaluation& e, std::size_t t, std::size_t k,
                          std::string label) {
  plots::Series series{std::move(label), {}, {}};
  if (e.precision_at(t, 0, k, 0, e.M - 1) <= -1)
    return series;
  for (std::size_t r = 0; r < e.R; ++r) {
    series.x.push_back(e.params.recall_thresholds[r]);
    series.y.push_back(e.precision_at(t, r, k, 0, e.M - 1));
  }
  return series;
}

// The mean over classes with labels at each recall point: the curve whose mean is AP at t.
plots::Series mean_curve(const CocoEvaluation& e, std::size_t t, std::string label) {
  plots::Series series{std::move(label), {}, {}};
  for (std::size_t r = 0; r < e.R; ++r) {
    double sum = 0;
    std::size_t count = 0;
    for (std::size_t k = 0; k < e.K; ++k) {
      const double value = e.precision_at(t, r, k, 0, e.M - 1);
      if (value > -1) {
        sum += value;
        ++count;
      }
    }
    if (count == 0)
      return {series.label, {}, {}};
    series.x.push_back(e.params.recall_thresholds[r]);
    series.y.push_back(sum / static_cast<double>(count));
  }
  return series;
}

double mean_of(const std::vector<double>& values) {
  return values.empty() ? 0.0
                        : std::accumulate(values.begin(), values.end(), 0.0) /
                              static_cast<double>(values.size());
}

std::string file_safe(const std::string& name) {
  std::string safe;
  for (const char c : name)
    safe += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
  return safe.empty() ? "class" : safe;
}

class Plotter {
 public:
  Plotter() : library_(load_host_module("ea_plots.so")) {}

  void chart(const plots::LineChart& chart, const fs::path& file) const {
    std::string error;
    if (!library_->get<plots::LineChartFunction>(plots::kLineChartSymbol)(chart, file, error))
      throw Failure(error + ".");
  }
  void heat_map(const plots::HeatMap& map, const fs::path& file) const {
    std::string error;
    if (!library_->get<plots::HeatMapFunction>(plots::kHeatMapSymbol)(map, file, error))
      throw Failure(error + ".");
  }

 private:
  std::unique_ptr<boost::dll::shared_library> library_;
};

void write_csv(const fs::path& file, const CocoEvaluation& e, const EvalDataset& dataset) {
  std::ofstream out(file);
  out << "class,iou,recall,precision,score\n";
  for (std::size_t t = 0; t < e.T; ++t) {
    for (std::size_t k = 0; k < e.K; ++k) {
      if (e.precision_at(t, 0, k, 0, e.M - 1) <= -1)
        continue;
      std::string name = category_name(e, dataset, k);
      std::replace(name.begin(), name.end(), '"', '\'');
      for (std::size_t r = 0; r < e.R; ++r) {
        out << fmt::format("\"{}\",{:.2f},{:.2f},{:.17g},{:.17g}\n", name,
                           e.params.iou_thresholds[t], e.params.recall_thresholds[r],
                           e.precision_at(t, r, k, 0, e.M - 1), e.score_at(t, r, k, 0, e.M - 1));
      }
    }
  }
  if (!out)
    throw Failure("cannot write " + file.string() + ".");
}

}  // namespace

void write_evaluation_plots(const fs::path& folder, const CocoEvaluation& e,
                            const EvalDataset& dataset, const ConfusionMatrix& confusion) {
  std::error_code error;
  fs::create_directories(folder / "classes", error);
  if (error)
    throw Failure("cannot create " + folder.string() + ": " + error.message() + ".");
  const Plotter plotter;
  const auto iou50 = threshold_index(e.params, 0.5), iou75 = threshold_index(e.params, 0.75);
  std::vector<std::pair<std::size_t, std::string>> levels;
  if (iou50)
    levels.emplace_back(*iou50, "IoU 0.50");
  if (iou75)
    levels.emplace_back(*iou75, "IoU 0.75");

  plots::LineChart overall{"Precision-recall, mean over classes", "recall", "precision", {}};
  for (const auto& [t, name] : levels) {
    plots::Series series = mean_curve(e, t, name);
    series.label += fmt::format(" (AP {:.3f})", mean_of(series.y));
    overall.series.push_back(std::move(series));
  }
  plotter.chart(overall, folder / "pr_overall.png");

  if (e.params.use_categories && iou50) {
    std::vector<std::size_t> order(e.K);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return e.per_category[a].truths > e.per_category[b].truths;
    });
    plots::LineChart classes{
        "Precision-recall at IoU 0.50, classes with most labels", "recall", "precision", {}};
    for (std::size_t i = 0; i < std::min<std::size_t>(order.size(), 10); ++i) {
      plots::Series series = class_curve(e, *iou50, order[i], dataset.categories[order[i]].name);
      if (!series.x.empty())
        classes.series.push_back(std::move(series));
    }
    plotter.chart(classes, folder / "pr_classes_iou50.png");
  }
  for (std::size_t k = 0; k < e.K; ++k) {
    const std::string name = category_name(e, dataset, k);
    plots::LineChart chart{"Precision-recall: " + name, "recall", "precision", {}};
    for (const auto& [t, level] : levels) {
      plots::Series series = class_curve(e, t, k, level);
      if (series.x.empty())
        continue;
      series.label += fmt::format(" (AP {:.3f})", mean_of(series.y));
      chart.series.push_back(std::move(series));
    }
    if (!chart.series.empty())
      plotter.chart(chart, folder / "classes" / ("pr_" + file_safe(name) + ".png"));
  }

  plots::HeatMap map;
  map.title = fmt::format("Confusion matrix (IoU {:g}, score >= {:g})", confusion.iou_threshold,
                          confusion.score_threshold);
  map.names = confusion.classes;
  map.names.push_back("background");
  map.counts = confusion.counts;
  map.row_label = "label";
  map.column_label = "predicted";
  plotter.heat_map(map, folder / "confusion_matrix.png");
  write_csv(folder / "pr_curves.csv", e, dataset);
}

void write_classification_plots(const fs::path& folder,
                                const ClassificationEvaluation& evaluation) {
  fs::create_directories(folder);
  const Plotter plotter;
  for (const auto& question : evaluation.questions) {
    plots::HeatMap map;
    map.title = fmt::format("{}: accuracy {:.3f}", question.question, question.accuracy);
    map.names = question.options;
    map.names.push_back("no prediction");
    for (const auto& row : question.confusion)
      map.counts.insert(map.counts.end(), row.begin(), row.end());
    map.row_label = "label";
    map.column_label = "predicted";
    plotter.heat_map(
        map, folder / ("classification_confusion_" + file_safe(question.question) + ".png"));
  }
}

void write_kitti_plots(const fs::path& folder, const KittiEvaluation& evaluation) {
  fs::create_directories(folder);
  const Plotter plotter;
  for (const KittiClassResult& result : evaluation.classes) {
    plots::LineChart chart;
    chart.title = fmt::format("{} (KITTI 2D, overlap > {:g})", result.name, result.min_overlap);
    chart.x_label = "recall";
    chart.y_label = "precision";
    for (std::size_t d = 0; d < kKittiDifficulties.size(); ++d) {
      plots::Series series;
      series.label = fmt::format("{} (AP|R40 {:.3f})", kKittiDifficulties[d], result.ap_r40[d]);
      for (std::size_t i = 0; i < result.precision[d].size(); ++i) {
        series.x.push_back(static_cast<double>(i) / 40.0);
        series.y.push_back(result.precision[d][i]);
      }
      chart.series.push_back(std::move(series));
    }
    plotter.chart(chart, folder / ("kitti_pr_" + file_safe(result.name) + ".png"));
  }
}

}  // namespace ea::core::eval
