// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ea/sdk/export.hpp"
#include "ea/sdk/exporter.hpp"
#include "ea/sdk/importer.hpp"
#include "ea/sdk/metric.hpp"

namespace ea::sdk {

/// What a plugin can provide.
enum class PluginKind {
  importer,  ///< reads an input format into records
  exporter,  ///< writes prediction sets in a format
  metric,    ///< scores predictions, labels or frames
};

/// Creates an importer. A plain function pointer, so no plugin-resident std::function target
/// ever sits in host containers.
using ImporterFactory = std::unique_ptr<Importer> (*)();
/// Creates an exporter.
using ExporterFactory = std::unique_ptr<Exporter> (*)();
/// Creates a metric.
using MetricFactory = std::unique_ptr<Metric> (*)();

/// How an importer presents itself.
struct ImporterInfo {
  std::string format;                   ///< the --format name, [a-z][a-z0-9_-]*
  std::string description;              ///< one line for `ea plugins list`
  std::vector<std::string> extensions;  ///< typical file extensions with the dot (".json")
};

/// How an exporter presents itself.
struct ExporterInfo {
  std::string format;       ///< the --format name of `ea predictions export`
  std::string description;  ///< one line for `ea plugins list`
};

/// What a metric gives a value to.
enum class MetricScope {
  objects,  ///< each object of FrameView::objects (MetricSink::object)
  frames,   ///< the frame (MetricSink::frame)
};

/// How a metric presents itself and what it needs.
struct MetricInfo {
  std::string name;                          ///< the name ea.json selects it by, [a-z][a-z0-9_-]*
  std::string description;                   ///< one line
  MetricScope scope = MetricScope::objects;  ///< objects or frames
  bool on_predictions = true;                ///< run over each prediction set's predictions
  bool on_labels = true;      ///< run over the ground truth (frame metrics: once per frame)
  bool needs_pixels = false;  ///< FrameView::image must be decoded
  bool needs_labels = false;  ///< FrameView::labels must be filled
};

/// One importer a plugin registered.
struct ImporterEntry {
  ImporterInfo info;        ///< name and description
  ImporterFactory factory;  ///< creates instances
};

/// One exporter a plugin registered.
struct ExporterEntry {
  ExporterInfo info;        ///< name and description
  ExporterFactory factory;  ///< creates instances
};

/// One metric a plugin registered.
struct MetricEntry {
  MetricInfo info;        ///< name and description
  MetricFactory factory;  ///< creates instances
};

/// Collects what a plugin's registration block declares. The host commits the entries only when
/// the block finishes without error, so a failing plugin leaves the host's registry unchanged.
class EA_SDK_EXPORT Registrar {
 public:
  /// Names the plugin; the EA_PLUGIN macro calls it before the block runs.
  void set_plugin(std::string name, std::string version);
  /// Declares an importer; throws UsageError on a malformed info.
  void add_importer(ImporterInfo info, ImporterFactory factory);
  /// Declares an exporter; throws UsageError on a malformed info.
  void add_exporter(ExporterInfo info, ExporterFactory factory);
  /// Declares a metric; throws UsageError on a malformed info.
  void add_metric(MetricInfo info, MetricFactory factory);
  /// Records why registration failed (the macro calls it when the block throws).
  void fail(std::string reason);

  /// The plugin's declared name.
  const std::string& plugin_name() const noexcept { return plugin_name_; }
  /// The plugin's declared version.
  const std::string& plugin_version() const noexcept { return plugin_version_; }
  /// Importers staged so far.
  const std::vector<ImporterEntry>& importers() const noexcept { return importers_; }
  /// Exporters staged so far.
  const std::vector<ExporterEntry>& exporters() const noexcept { return exporters_; }
  /// Metrics staged so far.
  const std::vector<MetricEntry>& metrics() const noexcept { return metrics_; }
  /// The failure reported by the plugin, or empty.
  const std::string& failure() const noexcept { return failure_; }

 private:
  std::string plugin_name_;
  std::string plugin_version_;
  std::vector<ImporterEntry> importers_;
  std::vector<ExporterEntry> exporters_;
  std::vector<MetricEntry> metrics_;
  std::string failure_;
};

}  // namespace ea::sdk
