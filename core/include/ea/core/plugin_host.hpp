// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ea/core/diagnostics.hpp"
#include "ea/core/plugin_directory.hpp"
#include "ea/sdk/registrar.hpp"

namespace boost::dll {
class shared_library;
}

namespace ea::core {

/// A loaded plugin library, shared by everything created from it.
using LibraryHandle = std::shared_ptr<const boost::dll::shared_library>;

/// Deletes a plugin-made object while keeping its library loaded until the object is gone: the
/// object's destructor and vtable live in that library.
template <class T>
struct PluginDeleter {
  LibraryHandle library;  ///< released only after the object is deleted
  void operator()(T* object) const noexcept { delete object; }
};

/// Ownership of an object created by a plugin.
template <class T>
using PluginPtr = std::unique_ptr<T, PluginDeleter<T>>;

/// What `ea plugins list` shows of a loaded plugin.
struct PluginInfo {
  std::string name;                          ///< from the file name and the EA_PLUGIN block
  std::string version;                       ///< declared version
  std::filesystem::path file;                ///< where it was loaded from
  std::vector<sdk::ImporterInfo> importers;  ///< formats it reads
  std::vector<sdk::ExporterInfo> exporters;  ///< formats it writes
  std::vector<sdk::MetricInfo> metrics;      ///< metrics it provides
};

/// An importer available to the host.
struct ImporterRegistration {
  sdk::ImporterInfo info;        ///< format name and description
  std::string plugin;            ///< the plugin that provides it
  sdk::ImporterFactory factory;  ///< creates instances (code inside `library`)
  LibraryHandle library;         ///< keeps the factory's code loaded
};

/// An exporter available to the host.
struct ExporterRegistration {
  sdk::ExporterInfo info;        ///< format name and description
  std::string plugin;            ///< the plugin that provides it
  sdk::ExporterFactory factory;  ///< creates instances (code inside `library`)
  LibraryHandle library;         ///< keeps the factory's code loaded
};

/// A metric available to the host.
struct MetricRegistration {
  sdk::MetricInfo info;        ///< name, description, scope and needs
  std::string plugin;          ///< the plugin that provides it
  sdk::MetricFactory factory;  ///< creates instances (code inside `library`)
  LibraryHandle library;       ///< keeps the factory's code loaded
};

/// Loads plugins and keeps the registry of what they provide. Libraries are never unloaded while
/// the host lives: objects, exceptions and type_info from a plugin must not outlive its code.
class PluginHost {
 public:
  /// A host that reports warnings and decisions to `diagnostics`.
  explicit PluginHost(Diagnostics& diagnostics);
  ~PluginHost();
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  /// Loads exactly this file; throws Failure naming the file and the reason when it is unusable.
  /// The stamp is compared before any plugin function runs, and the plugin's entries are
  /// committed only when its registration succeeds.
  const PluginInfo& load_file(const std::filesystem::path& file);
  /// Loads every candidate; an unusable one is skipped with a warning that gives the reason.
  void load_all(const std::vector<PluginCandidate>& candidates);

  /// Every plugin loaded, in load order.
  const std::vector<PluginInfo>& plugins() const noexcept { return plugins_; }
  /// Every importer available, in load order.
  const std::vector<ImporterRegistration>& importers() const noexcept { return importers_; }
  /// The importer of `format`, or nullptr.
  const ImporterRegistration* find_importer(std::string_view format) const;
  /// A new importer instance; throws Failure when the plugin's factory fails.
  PluginPtr<sdk::Importer> make_importer(const ImporterRegistration& registration) const;
  /// Every exporter available, in load order.
  const std::vector<ExporterRegistration>& exporters() const noexcept { return exporters_; }
  /// The exporter of `format`, or nullptr.
  const ExporterRegistration* find_exporter(std::string_view format) const;
  /// A new exporter instance; throws Failure when the plugin's factory fails.
  PluginPtr<sdk::Exporter> make_exporter(const ExporterRegistration& registration) const;
  /// Every metric available, in load order.
  const std::vector<MetricRegistration>& metrics() const noexcept { return metrics_; }
  /// The metric called `name`, or nullptr.
  const MetricRegistration* find_metric(std::string_view name) const;
  /// A new metric instance; throws Failure when the plugin's factory fails.
  PluginPtr<sdk::Metric> make_metric(const MetricRegistration& registration) const;

 private:
  // Declared first so it is destroyed last: registrations below point into these libraries.
  std::vector<LibraryHandle> libraries_;
  std::vector<PluginInfo> plugins_;
  std::vector<ImporterRegistration> importers_;
  std::vector<ExporterRegistration> exporters_;
  std::vector<MetricRegistration> metrics_;
  Diagnostics* diagnostics_;
};

}  // namespace ea::core
