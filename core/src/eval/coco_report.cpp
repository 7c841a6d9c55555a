// SPDX-License-Identifier: Apache-2.0
#include "ea/core/eval/coco_report.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace ea::core::eval {

namespace {

// What each of the 12 numbers selects, for the printed summary.
struct StatLine {
  bool precision;
  int iou;  // −1: the whole range; else index into {0.5, 0.75}
  const char* area;
  int max_det_index;  // into maxDets; −1: stat 0's literal 100 (quirks)
};

constexpr StatLine kLines[12] = {
    {true, -1, "all", -1},   {true, 0, "all", 2},      {true, 1, "all", 2},
    {true, -1, "small", 2},  {true, -1, "medium", 2},  {true, -1, "large", 2},
    {false, -1, "all", 0},   {false, -1, "all", 1},    {false, -1, "all", 2},
    {false, -1, "small", 2}, {false, -1, "medium", 2}, {false, -1, "large", 2},
};

std::uint32_t max_det_of(const CocoParams& p, int index) {
  if (index < 0)
    return p.quirks ? 100 : p.max_dets.back();
  return p.max_dets[std::min<std::size_t>(static_cast<std::size_t>(index), p.max_dets.size() - 1)];
}

nlohmann::json maybe(double value) {
  return value > -1 ? nlohmann::json(value) : nlohmann::json(nullptr);
}

std::string cell(double value) {
  return value > -1 ? fmt::format("{:6.3f}", value) : std::string("     -");
}

}  // namespace

std::string category_name(const CocoEvaluation& evaluation, const EvalDataset& dataset,
                          std::size_t k) {
  return evaluation.params.use_categories ? dataset.categories[k].name : "all classes";
}

std::string summary_text(const CocoEvaluation& evaluation) {
  const CocoParams& p = evaluation.params;
  std::string text;
  for (std::size_t i = 0; i < 12; ++i) {
    const StatLine& line = kLines[i];
    const std::string iou = line.iou < 0 ? fmt::format("{:0.2f}:{:0.2f}", p.iou_thresholds.front(),
                                                       p.iou_thresholds.back())
                                         : (line.iou == 0 ? "0.50" : "0.75");
    text += fmt::format(" {:<18} {} @[ IoU={:<9} | area={:>6} | maxDets={:>3} ] = {:0.3f}\n",
                        line.precision ? "Average Precision" : "Average Recall",
                        line.precision ? "(AP)" : "(AR)", iou, line.area,
                        max_det_of(p, line.max_det_index), evaluation.stats[i]);
  }
  return text;
}

std::string report_text(const CocoEvaluation& evaluation, const EvalDataset& dataset,
                        bool per_class) {
  std::string text = summary_text(evaluation);
  for (const std::string& note : evaluation.quirk_notes)
    text += "Note: " + note + "\n";
  if (per_class)
    text += "\n" + per_class_table(evaluation, dataset);
  return text;
}

std::string per_class_table(const CocoEvaluation& evaluation, const EvalDataset& dataset) {
  std::size_t width = 5;
  for (std::size_t k = 0; k < evaluation.K; ++k)
    width = std::max(width, category_name(evaluation, dataset, k).size());
  std::string text = fmt::format(
      "{:<{}}  {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} "
      "{:>7} {:>9}\n",
      "class", width, "AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100", "labels",
      "predicted");
  std::vector<std::string> without_labels;
  for (std::size_t k = 0; k < evaluation.K; ++k) {
    const CategoryStats& c = evaluation.per_category[k];
    const std::string name = category_name(evaluation, dataset, k);
    if (c.truths == 0) {
      if (c.detections > 0)
        without_labels.push_back(name);
      continue;
    }
    text += fmt::format("{:<{}}  {} {} {} {} {} {} {} {} {} {:>7} {:>9}\n", name, width, cell(c.ap),
                        cell(c.ap50), cell(c.ap75), cell(c.ap_small), cell(c.ap_medium),
                        cell(c.ap_large), cell(c.ar1), cell(c.ar10), cell(c.ar100), c.truths,
                        c.detections);
  }
  if (!without_labels.empty()) {
    std::string names;
    for (const std::string& name : without_labels)
      names += (names.empty() ? "" : ", ") + name;
    text += fmt::format("Predicted but without labels (left out of the means, as in COCO): {}\n",
                        names);
  }
  return text;
}

nlohmann::json params_json(const CocoParams& p) {
  nlohmann::json params = {{"iou_type", to_string(p.iou_type)},
                           {"iou_thresholds", p.iou_thresholds},
                           {"max_dets", p.max_dets},
                           {"use_categories", p.use_categories},
                           {"quirks", p.quirks},
                           {"min_score", p.min_score}};
  nlohmann::json areas = nlohmann::json::array();
  for (const AreaRange& range : p.area_ranges)
    areas.push_back({{"name", range.name}, {"low", range.low}, {"high", range.high}});
  params["area_ranges"] = areas;
  return params;
}

nlohmann::json evaluation_json(const CocoEvaluation& evaluation, const EvalDataset& dataset) {
  const CocoParams& p = evaluation.params;
  nlohmann::json out;
  out["iou_type"] = to_string(p.iou_type);
  out["params"] = params_json(p);
  out["stats"] = evaluation.stats;
  nlohmann::json named = nlohmann::json::object();
  for (std::size_t i = 0; i < 12; ++i)
    named[kStatNames[i]] = evaluation.stats[i];
  out["stats_named"] = named;

  nlohmann::json per_category = nlohmann::json::object();
  for (std::size_t k = 0; k < evaluation.K; ++k) {
    const CategoryStats& c = evaluation.per_category[k];
    nlohmann::json entry = {
        {"AP", maybe(c.ap)},        {"AP50", maybe(c.ap50)},     {"AP75", maybe(c.ap75)},
        {"APs", maybe(c.ap_small)}, {"APm", maybe(c.ap_medium)}, {"APl", maybe(c.ap_large)},
        {"AR1", maybe(c.ar1)},      {"AR10", maybe(c.ar10)},     {"AR100", maybe(c.ar100)},
        {"labels", c.truths},       {"detections", c.detections}};
    if (p.use_categories) {
      entry["category_id"] = dataset.categories[k].coco_id;
      entry["feature_hash"] = dataset.categories[k].feature_hash;
    }
    per_category[category_name(evaluation, dataset, k)] = std::move(entry);
  }
  out["per_category"] = std::move(per_category);

  // PR curves at IoU .50 and .75 where those thresholds are evaluated; area all, largest maxDets.
  nlohmann::json curves = nlohmann::json::array();
  for (const double iou : {0.5, 0.75}) {
    const auto t = std::find(p.iou_thresholds.begin(), p.iou_thresholds.end(), iou);
    if (t == p.iou_thresholds.end())
      continue;
    const std::size_t ti = static_cast<std::size_t>(t - p.iou_thresholds.begin());
    for (std::size_t k = 0; k < evaluation.K; ++k) {
      std::vector<double> precision(evaluation.R), scores(evaluation.R);
      for (std::size_t r = 0; r < evaluation.R; ++r) {
        precision[r] = evaluation.precision_at(ti, r, k, 0, evaluation.M - 1);
        scores[r] = evaluation.score_at(ti, r, k, 0, evaluation.M - 1);
      }
      curves.push_back({{"iou", iou},
                        {"category", category_name(evaluation, dataset, k)},
                        {"precision", precision},
                        {"scores", scores}});
    }
  }
  out["pr"] = {{"recall_thresholds", p.recall_thresholds}, {"curves", curves}};
  out["quirk_notes"] = evaluation.quirk_notes;
  return out;
}

}  // namespace ea::core::eval
