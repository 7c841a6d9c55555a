// SPDX-License-Identifier: Apache-2.0
#include "ea/sdk/registrar.hpp"

#include <algorithm>

#include "ea/sdk/error.hpp"

namespace ea::sdk {

namespace {
bool is_name(std::string_view text) {
  if (text.empty() || text.front() < 'a' || text.front() > 'z')
    return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}
}  // namespace

void Registrar::set_plugin(std::string name, std::string version) {
  plugin_name_ = std::move(name);
  plugin_version_ = std::move(version);
}

void Registrar::add_importer(ImporterInfo info, ImporterFactory factory) {
  if (!is_name(info.format)) {
    throw UsageError("importer format '" + info.format +
                     "' is not a valid name ([a-z][a-z0-9_-]*)");
  }
  if (factory == nullptr)
    throw UsageError("importer '" + info.format + "' has no factory");
  importers_.push_back({std::move(info), factory});
}

void Registrar::add_exporter(ExporterInfo info, ExporterFactory factory) {
  if (!is_name(info.format)) {
    throw UsageError("exporter format '" + info.format +
                     "' is not a valid name ([a-z][a-z0-9_-]*)");
  }
  if (factory == nullptr)
    throw UsageError("exporter '" + info.format + "' has no factory");
  exporters_.push_back({std::move(info), factory});
}

void Registrar::add_metric(MetricInfo info, MetricFactory factory) {
  if (!is_name(info.name)) {
    throw UsageError("metric name '" + info.name + "' is not a valid name ([a-z][a-z0-9_-]*)");
  }
  if (factory == nullptr)
    throw UsageError("metric '" + info.name + "' has no factory");
  metrics_.push_back({std::move(info), factory});
}

void Registrar::fail(std::string reason) {
  failure_ = std::move(reason);
}

}  // namespace ea::sdk
