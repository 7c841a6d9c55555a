// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "ea/core/diagnostics.hpp"
#include "ea/core/plugin_host.hpp"
#include "ea/core/prediction_row.hpp"
#include "ea/core/project.hpp"
#include "ea/core/project_snapshot.hpp"
#include "ea/sdk/options.hpp"

namespace ea::core {

/// What `ea import predictions` is asked to do.
struct PredictionImportRequest {
  std::filesystem::path input;  ///< file or folder to read
  std::string format;           ///< --format; empty = let the importers' probes decide
  std::string set_name;         ///< --name; empty = the input's file name without extension
  bool replace = false;         ///< replace a set of the same name
  bool skip_invalid = false;    ///< skip invalid records instead of failing
  sdk::OptionValues options;    ///< the format's own options
};

/// Records of one rejection category, for the reconciliation report.
struct RejectionTally {
  std::uint64_t count = 0;            ///< how many records
  std::vector<std::string> examples;  ///< the first few, with their locations
};

/// Counts a refused record under `category`, keeping the first few examples with their location.
void tally_rejection(std::map<std::string, RejectionTally>& tallies, const std::string& category,
                     const std::string& location, const std::string& message);

/// What an import did.
struct PredictionImportReport {
  std::string set_name;                                 ///< the set written
  std::string format;                                   ///< the importer used
  std::map<std::string, std::uint64_t> counts_by_kind;  ///< bounding_box, polygon, …
  std::uint64_t imported = 0;                           ///< predictions stored
  std::map<std::string, RejectionTally> skipped;        ///< by category (--skip-invalid)
  std::uint64_t units_without_predictions = 0;          ///< data units no prediction refers to
  std::vector<std::string> units_without_predictions_examples;  ///< their first titles
  std::vector<std::string> classes_never_seen;  ///< ontology objects never predicted
  bool replaced = false;                        ///< an older set of the name was replaced
  std::vector<std::string> notes;               ///< the importer's remarks (RecordSink::note)
  double seconds = 0;                           ///< wall time
};

/// Picks the importer for `input`: `format` when given, else the highest probe() vote (a tie or
/// no vote is a Failure listing the candidates). An empty file is a Failure too.
const ImporterRegistration& choose_importer(const PluginHost& host,
                                            const std::filesystem::path& input,
                                            const std::string& format);

/// `given` as an absolute path; throws Failure when it does not exist or cannot be read.
std::filesystem::path checked_input(const std::filesystem::path& given);

/// The first 64 KiB of a file (empty for a folder), for probe().
std::string read_head(const std::filesystem::path& input);

/// Reads `request.input` with `importer`, validates each record against `snapshot` and hands the
/// rows to `rows`; fills `report`. Throws Failure (or sdk errors) on the first invalid record
/// unless `request.skip_invalid`.
void read_predictions(const ProjectSnapshot& snapshot, const ImporterRegistration& importer,
                      const PredictionImportRequest& request, const PluginHost& host,
                      PredictionRowConsumer& rows, PredictionImportReport& report);

/// Imports predictions as one new prediction set in one transaction: on any failure the store is
/// exactly as it was. Throws Failure with file, record and reason.
PredictionImportReport import_predictions(Project& project, const PluginHost& host,
                                          const PredictionImportRequest& request,
                                          Diagnostics& diagnostics);

}  // namespace ea::core
