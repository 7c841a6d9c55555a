// SPDX-License-Identifier: Apache-2.0
#include <algorithm>

#include "ea/core/failure.hpp"
#include "ea/core/metric_run.hpp"

namespace ea::core {

std::vector<const MetricRegistration*> select_metrics(const PluginHost& host,
                                                      const ProjectConfig& config,
                                                      const std::vector<std::string>& names) {
  const std::vector<std::string>* chosen = !names.empty()   ? &names
                                           : config.metrics ? &*config.metrics
                                                            : nullptr;
  std::vector<const MetricRegistration*> selected;
  if (chosen == nullptr) {
    for (const MetricRegistration& metric : host.metrics()) {
      if (metric.plugin == kBuiltinMetricPlugin)
        selected.push_back(&metric);
    }
    return selected;
  }
  for (const std::string& name : *chosen) {
    const MetricRegistration* metric = host.find_metric(name);
    if (metric == nullptr) {
      std::string available;
      for (const MetricRegistration& known : host.metrics())
        available += (available.empty() ? "" : ", ") + known.info.name;
      throw Failure("there is no metric named '" + name + "'" +
                    (chosen == &names ? "" : " (ea.json selects it)") +
                    "; available: " + (available.empty() ? std::string("none") : available) + ".");
    }
    if (std::find(selected.begin(), selected.end(), metric) == selected.end())
      selected.push_back(metric);
  }
  return selected;
}

}  // namespace ea::core
