// SPDX-License-Identifier: Apache-2.0
// Key functions of the SDK interfaces: their vtables and type_info live here, once.
#include "ea/sdk/exporter.hpp"
#include "ea/sdk/importer.hpp"
#include "ea/sdk/metric.hpp"
#include "ea/sdk/project_view.hpp"
#include "ea/sdk/record_sink.hpp"

namespace ea::sdk {

ProjectView::~ProjectView() = default;
RecordSink::~RecordSink() = default;
void RecordSink::note(std::string_view) {}
Importer::~Importer() = default;
std::vector<OptionSpec> Importer::options() const {
  return {};
}
Metric::~Metric() = default;
MetricSink::~MetricSink() = default;
FrameCache::~FrameCache() = default;
PredictionSource::~PredictionSource() = default;
Exporter::~Exporter() = default;
std::vector<OptionSpec> Exporter::options() const {
  return {};
}

}  // namespace ea::sdk
