// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>

#include <ea/sdk/importer.hpp>

namespace yolo {

/// Reads YOLO text predictions: one `<stem>.txt` per image, a detection per line, boxes relative
/// to the image by their centre, classes by index into a names file or by name.
class YoloImporter final : public ea::sdk::Importer {
 public:
  std::vector<ea::sdk::OptionSpec> options() const override;
  int probe(const ea::sdk::Input& input) const override;
  void read(const ea::sdk::Input& input, ea::sdk::ImportKind kind,
            const ea::sdk::OptionValues& options, const ea::sdk::ProjectView& project,
            ea::sdk::RecordSink& sink) const override;
};

/// The factory the registration block hands to the host.
std::unique_ptr<ea::sdk::Importer> make_yolo_importer();

}  // namespace yolo
