// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ea/core/store.hpp"

namespace ea::core::eval {

/// One quantile bin of a metric's values.
struct MetricBin {
  double low = 0;                    ///< smallest value in the bin
  double high = 0;                   ///< largest value in the bin
  std::uint64_t predictions = 0;     ///< evaluated predictions in the bin
  std::uint64_t true_positives = 0;  ///< of which true positives
  std::uint64_t labels = 0;          ///< labels (not crowd regions) in the bin
  std::uint64_t missed = 0;          ///< of which false negatives
};

/// How strongly one metric relates to a prediction being a true positive (Encord Active's
/// "metric importance", with a discrete mutual-information estimate).
struct MetricImportance {
  std::string metric;             ///< its name
  std::uint64_t samples = 0;      ///< evaluated predictions with a value
  double correlation = 0;         ///< Pearson correlation of value and TP (0 when undefined)
  double mutual_information = 0;  ///< of the value's quantile bin and TP, in nats
};

/// Precision and false-negative rate by quantile bin of one metric, and the importance of every
/// metric, at one IoU threshold of a stored COCO evaluation.
struct MetricImpact {
  std::string metric;                        ///< the metric binned
  double iou = 0.5;                          ///< the threshold TP and FN are read at
  std::vector<MetricBin> bins;               ///< ascending; bins of equal values merge
  std::vector<MetricImportance> importance;  ///< every metric, strongest correlation first
};

/// Reads the stored matches of `evaluation_id` and the stored metric values. Throws Failure when
/// `iou` is not an evaluated threshold or `metric` has no stored value for the set.
MetricImpact metric_impact(Store& store, std::int64_t evaluation_id, const std::string& metric,
                           double iou, int bins);

/// The impact as a table.
std::string metric_impact_text(const MetricImpact& impact);
/// The impact as JSON.
nlohmann::json metric_impact_json(const MetricImpact& impact);
/// Writes by_metric_<name>.png: precision and FN rate by bin.
void write_metric_impact_plot(const std::filesystem::path& folder, const MetricImpact& impact);

/// The bit of the stored match masks that holds IoU threshold `iou`; throws Failure listing the
/// evaluated thresholds when it is not one of them.
std::int64_t threshold_bit(Store& store, std::int64_t evaluation_id, double iou);

}  // namespace ea::core::eval
