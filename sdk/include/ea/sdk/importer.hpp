// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include "ea/sdk/export.hpp"
#include "ea/sdk/options.hpp"
#include "ea/sdk/project_view.hpp"
#include "ea/sdk/record_sink.hpp"

namespace ea::sdk {

/// The input an importer is asked about: a file or a folder.
struct Input {
  std::filesystem::path path;  ///< absolute path of the file or folder
  std::string_view head;       ///< the first bytes of a file (up to 64 KiB); empty for a folder
};

/// Whether an import brings predictions or a project's ground truth.
enum class ImportKind {
  predictions,  ///< `ea import predictions`: predictions only
  project,      ///< `ea import project`: data units, ontology, labels, external ids
};

/// Reads one input format and emits records. Instances are created per import.
class EA_SDK_EXPORT Importer {
 public:
  virtual ~Importer();
  /// Options this format accepts after `--format F`.
  virtual std::vector<OptionSpec> options() const;
  /// How sure the importer is that it reads `input`: 0 (no) to 100 (certain).
  virtual int probe(const Input& input) const = 0;
  /// Reads `input` and hands every record to `sink`. Throws InputError when it cannot go on.
  virtual void read(const Input& input, ImportKind kind, const OptionValues& options,
                    const ProjectView& project, RecordSink& sink) const = 0;
};

}  // namespace ea::sdk
