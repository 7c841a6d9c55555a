// SPDX-License-Identifier: Apache-2.0
#include "masks_importer.hpp"

#include <charconv>
#include <thread>

#include "ea/sdk/error.hpp"
#include "ea/sdk/file_targets.hpp"
#include "mask_classes.hpp"
#include "mask_emitter.hpp"
#include "mask_reading.hpp"
#include "ordered_pipeline.hpp"

namespace ea::masks {

namespace fs = std::filesystem;

namespace {

// Decoded images in flight at once: enough to keep both cores busy while records are written.
constexpr std::size_t kWindow = 4;

ReadSettings read_settings(const sdk::OptionValues& options, const fs::path& input) {
  ReadSettings settings;
  settings.encoding =
      choose_encoding(options.text("encoding").value_or("auto"), input, options.has("instances"));
  const std::int64_t connectivity = options.integer("connectivity").value_or(8);
  if (connectivity != 4 && connectivity != 8)
    throw sdk::UsageError("--connectivity must be 4 or 8");
  settings.connectivity = static_cast<int>(connectivity);
  const std::int64_t min_area = options.integer("min-area").value_or(4);
  if (min_area < 0)
    throw sdk::UsageError("--min-area must not be negative");
  settings.min_area = static_cast<std::uint64_t>(min_area);
  return settings;
}

// Where each item goes, found before any image is decoded.
struct Destination {
  std::optional<sdk::FileTarget> target;
  std::optional<ExpectedSize> size;
};

Destination destination_of(const MaskItem& item, Encoding encoding, const sdk::FileTargets& targets,
                           const sdk::ProjectView& project) {
  Destination destination;
  destination.target = targets.find(item.name, encoding == Encoding::binary);
  if (!destination.target && item.panoptic && !item.panoptic->image_id.empty())
    destination.target = targets.find(item.panoptic->image_id, true);
  if (destination.target) {
    const sdk::DataUnit* unit = project.find_data_unit(destination.target->data_hash);
    if (unit != nullptr && unit->width > 0)
      destination.size = ExpectedSize{unit->width, unit->height, unit->title};
  }
  return destination;
}

}  // namespace

int MasksImporter::probe(const sdk::Input& input) const {
  std::error_code error;
  if (!fs::is_directory(input.path, error)) {
    // A COCO panoptic JSON: annotations with segments_info.
    return input.path.extension() == ".json" &&
                   input.head.find("\"segments_info\"") != std::string_view::npos
               ? 70
               : 0;
  }
  for (const auto& entry : fs::directory_iterator(input.path, error)) {
    if (entry.is_regular_file(error) && is_mask_image(entry.path()))
      return 50;
  }
  // A folder of folders of images: one binary mask per instance.
  return choose_encoding("auto", input.path, false) == Encoding::binary ? 40 : 0;
}

void MasksImporter::read(const sdk::Input& input, sdk::ImportKind kind,
                         const sdk::OptionValues& options, const sdk::ProjectView& project,
                         sdk::RecordSink& sink) const {
  const bool predictions = kind == sdk::ImportKind::predictions;
  const ReadSettings settings = read_settings(options, input.path);
  PanopticIndex panoptic;
  fs::path folder = input.path;
  if (settings.encoding == Encoding::panoptic) {
    const PanopticPaths paths = panoptic_paths(input.path, options.text("segments"));
    panoptic = read_panoptic_index(paths.json.string());
    folder = paths.folder;
  } else if (std::error_code error; !fs::is_directory(input.path, error)) {
    throw sdk::InputError(
        "the masks importer reads a folder of mask images, or a COCO panoptic JSON");
  }
  const std::vector<MaskItem> items = list_items(settings.encoding, folder, &panoptic);

  ClassResolver classes(project, predictions ? nullptr : &sink, panoptic.categories);
  MaskEmitter emitter(settings.encoding, predictions, options, classes, sink);
  const sdk::FileTargets targets(project, {"coco.image"});
  std::vector<Destination> destinations;
  destinations.reserve(items.size());
  for (const MaskItem& item : items)
    destinations.push_back(destination_of(item, settings.encoding, targets, project));

  const MaskDecoder decoder;
  const unsigned workers = std::max(1u, std::min(2u, std::thread::hardware_concurrency()));
  std::vector<Scratch> scratch(workers);
  run_in_order<ItemResult>(
      items.size(), workers, kWindow,
      [&](unsigned worker, std::size_t i) {
        if (!destinations[i].target)
          return ItemResult{};
        return read_item(items[i], settings, destinations[i].size, decoder, scratch[worker]);
      },
      [&](std::size_t i, ItemResult&& result) {
        if (!destinations[i].target) {
          sink.reject(sdk::RecordLocation{}, items[i].name + " matches no data unit");
          return;
        }
        emitter.emit(items[i], *destinations[i].target, std::move(result));
      });
  emitter.finish(settings.min_area);
}

std::vector<sdk::OptionSpec> MasksImporter::options() const {
  return {{"encoding", sdk::OptionType::text,
           "How the images encode instances: auto, class, label-map, panoptic or binary", "auto"},
          {"class-map", sdk::OptionType::path,
           "Class masks: a JSON file {pixel value: class name, feature_hash or COCO category id} "
           "(default: the ontology's polygon and bitmask objects in order → 1..N)",
           ""},
          {"instances", sdk::OptionType::path,
           "Label maps and binary masks: a JSON file {image stem: {instance id or file stem: class "
           "or {\"class\", \"score\", \"iscrowd\"}}}",
           ""},
          {"scores", sdk::OptionType::path,
           "Class masks: a JSON file {image stem: {class value: [score per component, in raster "
           "order]}} (default: confidence 1.0)",
           ""},
          {"segments", sdk::OptionType::path,
           "Panoptic: the segments JSON, when it is not the PNG folder's name with .json", ""},
          {"connectivity", sdk::OptionType::integer,
           "Class masks: 4 or 8, how pixels of a component touch", "8"},
          {"min-area", sdk::OptionType::integer,
           "Class masks: components with fewer pixels are dropped (and counted)", "4"}};
}

std::unique_ptr<sdk::Importer> make_masks_importer() {
  return std::make_unique<MasksImporter>();
}

}  // namespace ea::masks
