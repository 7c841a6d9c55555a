// SPDX-License-Identifier: Apache-2.0
#include "coco_importer.hpp"

#include <string_view>

#include "coco_ground_truth.hpp"
#include "coco_json.hpp"
#include "coco_results.hpp"
#include "ea/sdk/error.hpp"

namespace ea::coco {

namespace {
bool mentions(std::string_view head, std::string_view key) {
  return head.find(key) != std::string_view::npos;
}
}  // namespace

int CocoImporter::probe(const sdk::Input& input) const {
  const std::string_view head = input.head;
  const auto first = head.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos)
    return 0;
  if (head[first] == '[') {
    return mentions(head, "\"image_id\"") && mentions(head, "\"category_id\"") ? 80 : 0;
  }
  if (head[first] == '{') {
    // The head is only the first 64 KiB: a large file may show just one of its lists there.
    const int keys = mentions(head, "\"images\"") + mentions(head, "\"annotations\"") +
                     mentions(head, "\"categories\"");
    const bool annotation_fields = mentions(head, "\"category_id\"") ||
                                   mentions(head, "\"bbox\"") || mentions(head, "\"file_name\"");
    if (keys >= 2)
      return 80;
    return keys == 1 && annotation_fields ? 70 : 0;
  }
  return 0;
}

void CocoImporter::read(const sdk::Input& input, sdk::ImportKind kind,
                        const sdk::OptionValues& options, const sdk::ProjectView& project,
                        sdk::RecordSink& sink) const {
  if (kind == sdk::ImportKind::predictions)
    return read_results(input.path, options, project, sink);
  Document document;
  load(input.path, document);
  read_ground_truth(document.root, project, sink);
}

std::vector<sdk::OptionSpec> CocoImporter::options() const {
  return {{"image-map", sdk::OptionType::text,
           "Map result image ids: 'title' (through images[].file_name of --gt or of the file "
           "itself) or a JSON file {image_id: title or data_hash}",
           ""},
          {"gt", sdk::OptionType::path,
           "The results' companion COCO ground truth, for --image-map title and --category-map "
           "name",
           ""},
          {"category-map", sdk::OptionType::text,
           "Map result category ids: 'name' (through categories[].name of --gt or of the file "
           "itself) or a JSON file {category_id: name or feature_hash}",
           ""}};
}

std::unique_ptr<sdk::Importer> make_coco_importer() {
  return std::make_unique<CocoImporter>();
}

}  // namespace ea::coco
