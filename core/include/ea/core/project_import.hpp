// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ea/core/diagnostics.hpp"
#include "ea/core/plugin_host.hpp"
#include "ea/core/prediction_import.hpp"
#include "ea/core/prediction_row.hpp"
#include "ea/core/store.hpp"
#include "ea/sdk/options.hpp"

namespace ea::core {

/// What `ea import project` is asked to do.
struct ProjectImportRequest {
  std::filesystem::path target;  ///< the project folder; created when it has no project
  std::filesystem::path input;   ///< the ground-truth file
  std::string format;            ///< --format; empty = the probes decide
  std::optional<std::filesystem::path> images;  ///< check each data unit's file and size here
  bool strict = false;                          ///< a missing image file is an error
  bool skip_invalid = false;                    ///< skip invalid records instead of failing
  sdk::OptionValues options;                    ///< the format's own options
};

/// What a project import did.
struct ProjectImportReport {
  std::string format;                                   ///< the importer used
  bool created = false;                                 ///< the project was made by this import
  std::uint64_t data_units = 0;                         ///< data units added
  std::uint64_t objects = 0;                            ///< ontology objects added
  std::uint64_t classifications = 0;                    ///< ontology classifications added
  std::uint64_t external_ids = 0;                       ///< source identifiers stored
  std::map<std::string, std::uint64_t> labels_by_kind;  ///< labels added per kind
  std::uint64_t crowd_labels = 0;                       ///< of which crowd regions
  std::vector<std::string> missing_images;              ///< titles without a file under --images
  std::map<std::string, RejectionTally> skipped;        ///< by reason (--skip-invalid)
  std::vector<std::string> notes;  ///< the importer's remarks (RecordSink::note)
  double seconds = 0;              ///< wall time
};

/// Reads ground truth from `request.input` with `importer` into `store` in one transaction;
/// with `labels`, the labels go there instead of into the store.
void read_ground_truth(Store& store, const ImporterRegistration& importer,
                       const ProjectImportRequest& request, const PluginHost& host,
                       ProjectImportReport& report, LabelRowConsumer* labels = nullptr);

/// Imports ground truth (data units, ontology, labels, identifier maps) in one transaction; a
/// project created for it is removed again when the import fails. Throws Failure.
ProjectImportReport import_project(const ProjectImportRequest& request, const PluginHost& host,
                                   Diagnostics& diagnostics);

}  // namespace ea::core
