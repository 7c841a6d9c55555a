// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "mask_metadata.hpp"

namespace ea::masks {

/// How a folder of masks encodes instances (docs/formats/masks.md).
enum class Encoding {
  class_map,  ///< one image per data unit, pixel = class, instances = connected components
  label_map,  ///< one image per data unit, pixel = instance id, classes from --instances
  panoptic,   ///< COCO panoptic PNGs (id = R + 256·G + 256²·B) with their segments JSON
  binary,     ///< one folder per data unit, one 0/255 image per instance
};

/// The --encoding value for `encoding`.
const char* to_string(Encoding encoding);

/// One data unit's masks: a mask file, or for the binary encoding a folder of them.
struct MaskItem {
  std::string name;                          ///< file or folder name, for messages and matching
  std::vector<std::filesystem::path> files;  ///< the images to decode
  const PanopticImage* panoptic = nullptr;   ///< its segments, for the panoptic encoding
};

/// The encoding `--encoding` names, or when it says "auto" the one `input` looks like: a JSON
/// file, or a folder with a JSON file of the same name beside it, is panoptic; a folder of
/// folders is binary; a folder of images is a label map when --instances is given, else classes.
Encoding choose_encoding(const std::string& option, const std::filesystem::path& input,
                         bool has_instances);

/// The panoptic JSON and PNG folder an input names: the JSON itself (PNGs in the folder of its
/// stem, as panopticapi lays them out) or the PNG folder (JSON beside it), unless --segments
/// gives the JSON.
struct PanopticPaths {
  std::filesystem::path json;    ///< the segments JSON
  std::filesystem::path folder;  ///< the PNGs
};

/// Where the panoptic JSON and PNGs are; throws InputError when one is missing.
PanopticPaths panoptic_paths(const std::filesystem::path& input,
                             const std::optional<std::string>& segments);

/// The items of a folder in name order (images for the one-image encodings, sub-folders for
/// binary), or of a panoptic index; throws InputError when there are none.
std::vector<MaskItem> list_items(Encoding encoding, const std::filesystem::path& folder,
                                 const PanopticIndex* panoptic);

/// Whether `path` has an image extension the masks importer reads.
bool is_mask_image(const std::filesystem::path& path);

}  // namespace ea::masks
