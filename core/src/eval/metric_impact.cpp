// SPDX-License-Identifier: Apache-2.0
#include "ea/core/eval/metric_impact.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <boost/dll/shared_library.hpp>

#include "../media/host_module.hpp"
#include "../plots/plot_contract.hpp"
#include "ea/core/failure.hpp"
#include "ea/core/metric_columns.hpp"

namespace ea::core::eval {

namespace {

// A value and whether its object counts (a true positive; for labels, a miss).
using Sample = std::pair<double, bool>;

// Bin edges at the quantiles of `values` (sorted): bin k holds values up to the k-th edge. Equal
// values never straddle two bins, so heavy ties give fewer bins, as pandas' qcut with duplicates
// dropped.
std::vector<double> quantile_edges(const std::vector<double>& values, int bins) {
  std::vector<double> edges;
  for (int k = 1; k <= bins; ++k) {
    const std::size_t rank = std::min(values.size() - 1, values.size() * k / bins);
    const double edge = k == bins ? values.back() : values[rank == 0 ? 0 : rank - 1];
    if (edges.empty() || edge > edges.back())
      edges.push_back(edge);
  }
  return edges;
}

std::size_t bin_of(const std::vector<double>& edges, double value) {
  return static_cast<std::size_t>(std::lower_bound(edges.begin(), edges.end(), value) -
                                  edges.begin());
}

// The values of a metric (column {0}) of the evaluated predictions, each with whether it is a
// true positive at threshold bit :bit.
constexpr const char* kPredictionSamples =
    "SELECT v.{0}, (m.tp_mask >> :bit) & 1 FROM prediction_matches m JOIN "
    "prediction_metric_values v ON v.prediction_id = m.prediction_id WHERE m.evaluation_id = "
    ":evaluation AND m.outcome <> 'not_evaluated' AND ((m.ignored_mask >> :bit) & 1) = 0 AND "
    "v.{0} IS NOT NULL";
// The values of a metric (column {0}) of the labels, each with whether it was missed at :bit.
constexpr const char* kLabelSamples =
    "SELECT v.{0}, 1 - ((lm.matched_mask >> :bit) & 1) FROM label_matches lm JOIN "
    "label_metric_values v ON v.label_id = lm.label_id WHERE lm.evaluation_id = :evaluation AND "
    "lm.ignored = 0 AND v.{0} IS NOT NULL";

// The samples `query` (one of the two above) selects for metric column `column`.
std::vector<Sample> read_samples(Store& store, const char* query, std::int64_t evaluation_id,
                                 std::int64_t bit, const std::string& column) {
  SQLite::Statement statement(store.db(), fmt::format(fmt::runtime(query), column));
  statement.bind(":evaluation", evaluation_id);
  statement.bind(":bit", bit);
  std::vector<Sample> samples;
  while (statement.executeStep())
    samples.emplace_back(statement.getColumn(0).getDouble(), statement.getColumn(1).getInt() != 0);
  return samples;
}

MetricImportance importance_of(const std::string& metric, std::vector<Sample>& samples, int bins) {
  MetricImportance importance{metric, samples.size(), 0, 0};
  if (samples.size() < 2)
    return importance;
  double mean_x = 0, mean_y = 0;
  for (const auto& [value, positive] : samples) {
    mean_x += value;
    mean_y += positive;
  }
  const double n = static_cast<double>(samples.size());
  mean_x /= n;
  mean_y /= n;
  double sxy = 0, sxx = 0, syy = 0;
  for (const auto& [value, positive] : samples) {
    const double dx = value - mean_x, dy = positive - mean_y;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  importance.correlation = sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : 0;
  // Mutual information of (quantile bin, TP): Σ p(b, t) · ln(p(b, t) ÷ (p(b) · p(t))).
  std::vector<double> values;
  for (const auto& sample : samples)
    values.push_back(sample.first);
  std::sort(values.begin(), values.end());
  const std::vector<double> edges = quantile_edges(values, bins);
  std::vector<std::array<double, 2>> joint(edges.size(), {0, 0});
  for (const auto& [value, positive] : samples)
    joint[bin_of(edges, value)][positive ? 1 : 0] += 1;
  for (const auto& cell : joint) {
    const double in_bin = cell[0] + cell[1];
    for (int t = 0; t < 2; ++t) {
      const double marginal_t = t == 1 ? mean_y : 1 - mean_y;
      if (cell[t] > 0 && marginal_t > 0)
        importance.mutual_information +=
            cell[t] / n * std::log((cell[t] / n) / ((in_bin / n) * marginal_t));
    }
  }
  // Rounding can leave a tiny negative sum where the variables are independent.
  importance.mutual_information = std::max(0.0, importance.mutual_information);
  return importance;
}

}  // namespace

MetricImpact metric_impact(Store& store, std::int64_t evaluation_id, const std::string& metric,
                           double iou, int bins) {
  if (bins < 1)
    throw Failure("--bins must be at least 1.");
  const std::int64_t bit = threshold_bit(store, evaluation_id, iou);
  MetricImpact impact{metric, iou, {}, {}};
  const std::vector<MetricColumn> columns = metric_columns(store.db());
  const auto named = std::find_if(columns.begin(), columns.end(), [&](const MetricColumn& column) {
    return column.name == metric;
  });
  std::vector<Sample> predictions, labels;
  if (named != columns.end()) {
    predictions = read_samples(store, kPredictionSamples, evaluation_id, bit, named->column);
    labels = read_samples(store, kLabelSamples, evaluation_id, bit, named->column);
  }
  if (predictions.empty() && labels.empty()) {
    throw Failure("metric '" + metric +
                  "' has no stored value for this set's predictions or the labels; run `ea "
                  "metrics run` (see `ea metrics list`).");
  }
  std::vector<double> values;
  for (const auto& sample : predictions)
    values.push_back(sample.first);
  for (const auto& sample : labels)
    values.push_back(sample.first);
  std::sort(values.begin(), values.end());
  const std::vector<double> edges = quantile_edges(values, bins);
  impact.bins.resize(edges.size());
  for (std::size_t k = 0; k < edges.size(); ++k) {
    impact.bins[k].low = k == 0 ? values.front() : edges[k - 1];
    impact.bins[k].high = edges[k];
  }
  for (const auto& [value, positive] : predictions) {
    MetricBin& bin = impact.bins[bin_of(edges, value)];
    ++bin.predictions;
    bin.true_positives += positive;
  }
  for (const auto& [value, missed] : labels) {
    MetricBin& bin = impact.bins[bin_of(edges, value)];
    ++bin.labels;
    bin.missed += missed;
  }

  // Importance of every metric stored for the evaluated predictions.
  for (const MetricColumn& column : columns) {
    std::vector<Sample> samples =
        read_samples(store, kPredictionSamples, evaluation_id, bit, column.column);
    if (!samples.empty())
      impact.importance.push_back(importance_of(column.name, samples, bins));
  }
  std::stable_sort(impact.importance.begin(), impact.importance.end(),
                   [](const MetricImportance& a, const MetricImportance& b) {
                     return std::fabs(a.correlation) > std::fabs(b.correlation);
                   });
  return impact;
}

std::string metric_impact_text(const MetricImpact& impact) {
  std::string text = fmt::format(
      "Metric '{}' by quantile bin (IoU {:g}; precision of predictions, false-negative rate of "
      "labels):\n{:>3}  {:<27}  {:>11} {:>9}  {:>6} {:>7}\n",
      impact.metric, impact.iou, "bin", "values", "predictions", "precision", "labels", "FN rate");
  const auto ratio = [](std::uint64_t part, std::uint64_t whole) {
    return whole == 0 ? std::string("-") : fmt::format("{:.3f}", double(part) / double(whole));
  };
  for (std::size_t k = 0; k < impact.bins.size(); ++k) {
    const MetricBin& bin = impact.bins[k];
    // The first bin starts at the smallest value; each later one just above the previous edge.
    const std::string range =
        fmt::format("{}{:.6g}, {:.6g}]", k == 0 ? "[" : "(", bin.low, bin.high);
    text += fmt::format("{:>3}  {:<27}  {:>11} {:>9}  {:>6} {:>7}\n", k + 1, range, bin.predictions,
                        ratio(bin.true_positives, bin.predictions), bin.labels,
                        ratio(bin.missed, bin.labels));
  }
  text += fmt::format(
      "\nMetric importance (predictions at IoU {:g}): Pearson correlation and mutual information "
      "(nats) with being a true positive:\n{:<24} {:>9} {:>12} {:>9}\n",
      impact.iou, "metric", "samples", "correlation", "MI");
  for (const MetricImportance& row : impact.importance) {
    text += fmt::format("{:<24} {:>9} {:>12.4f} {:>9.4f}\n", row.metric, row.samples,
                        row.correlation, row.mutual_information);
  }
  return text;
}

nlohmann::json metric_impact_json(const MetricImpact& impact) {
  nlohmann::json bins = nlohmann::json::array();
  for (const MetricBin& bin : impact.bins) {
    bins.push_back({{"from", bin.low},
                    {"to", bin.high},
                    {"predictions", bin.predictions},
                    {"true_positives", bin.true_positives},
                    {"labels", bin.labels},
                    {"false_negatives", bin.missed}});
  }
  nlohmann::json importance = nlohmann::json::array();
  for (const MetricImportance& row : impact.importance) {
    importance.push_back({{"metric", row.metric},
                          {"samples", row.samples},
                          {"correlation", row.correlation},
                          {"mutual_information", row.mutual_information}});
  }
  return {
      {"metric", impact.metric}, {"iou", impact.iou}, {"bins", bins}, {"importance", importance}};
}

void write_metric_impact_plot(const std::filesystem::path& folder, const MetricImpact& impact) {
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  plots::LineChart chart{"Precision and false-negative rate by '" + impact.metric + "'",
                         "quantile bin of " + impact.metric + " (low to high)",
                         "rate",
                         {{"precision (predictions)", {}, {}}, {"FN rate (labels)", {}, {}}}};
  const double count = static_cast<double>(impact.bins.size());
  for (std::size_t k = 0; k < impact.bins.size(); ++k) {
    const MetricBin& bin = impact.bins[k];
    const double x = (static_cast<double>(k) + 0.5) / count;
    if (bin.predictions > 0) {
      chart.series[0].x.push_back(x);
      chart.series[0].y.push_back(double(bin.true_positives) / double(bin.predictions));
    }
    if (bin.labels > 0) {
      chart.series[1].x.push_back(x);
      chart.series[1].y.push_back(double(bin.missed) / double(bin.labels));
    }
  }
  const auto library = load_host_module("ea_plots.so");
  std::string reason;
  const std::filesystem::path file = folder / ("by_metric_" + impact.metric + ".png");
  if (!library->get<plots::LineChartFunction>(plots::kLineChartSymbol)(chart, file, reason))
    throw Failure(reason + ".");
}

}  // namespace ea::core::eval
