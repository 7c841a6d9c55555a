// SPDX-License-Identifier: Apache-2.0
#include "mask_items.hpp"

#include <algorithm>
#include <array>

#include "ea/sdk/error.hpp"

namespace ea::masks {

namespace fs = std::filesystem;

namespace {

bool has_images(const fs::path& folder) {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    if (entry.is_regular_file() && is_mask_image(entry.path()))
      return true;
  }
  return false;
}

std::vector<fs::path> images_in(const fs::path& folder) {
  std::vector<fs::path> images;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.is_regular_file() && is_mask_image(entry.path()))
      images.push_back(entry.path());
  }
  std::sort(images.begin(), images.end());
  return images;
}

fs::path json_beside(const fs::path& folder) {
  fs::path json = folder.lexically_normal();
  if (!json.has_filename())
    json = json.parent_path();
  return json.replace_extension(".json");
}

}  // namespace

const char* to_string(Encoding encoding) {
  switch (encoding) {
    case Encoding::class_map:
      return "class";
    case Encoding::label_map:
      return "label-map";
    case Encoding::panoptic:
      return "panoptic";
    case Encoding::binary:
      return "binary";
  }
  return "";
}

bool is_mask_image(const fs::path& path) {
  static constexpr std::array<std::string_view, 4> kExtensions{".png", ".PNG", ".tif", ".tiff"};
  const std::string extension = path.extension().string();
  return std::find(kExtensions.begin(), kExtensions.end(), extension) != kExtensions.end();
}

Encoding choose_encoding(const std::string& option, const fs::path& input, bool has_instances) {
  for (const Encoding encoding :
       {Encoding::class_map, Encoding::label_map, Encoding::panoptic, Encoding::binary}) {
    if (option == to_string(encoding))
      return encoding;
  }
  if (option != "auto") {
    throw sdk::UsageError("--encoding " + option +
                          " is not one of auto, class, label-map, panoptic, binary");
  }
  std::error_code error;
  if (!fs::is_directory(input, error) || fs::is_regular_file(json_beside(input), error))
    return Encoding::panoptic;
  if (!has_images(input)) {
    for (const auto& entry : fs::directory_iterator(input, error)) {
      if (entry.is_directory() && has_images(entry.path()))
        return Encoding::binary;
    }
  }
  return has_instances ? Encoding::label_map : Encoding::class_map;
}

PanopticPaths panoptic_paths(const fs::path& input, const std::optional<std::string>& segments) {
  PanopticPaths paths;
  std::error_code error;
  if (fs::is_directory(input, error)) {
    paths.folder = input;
    paths.json = segments ? fs::path(*segments) : json_beside(input);
  } else {
    paths.json = input;
    paths.folder = fs::path(input).replace_extension();
  }
  if (!fs::is_regular_file(paths.json, error)) {
    throw sdk::InputError("the panoptic segments JSON " + paths.json.string() +
                          " does not exist; give it with --segments");
  }
  if (!fs::is_directory(paths.folder, error)) {
    throw sdk::InputError("the panoptic PNG folder " + paths.folder.string() +
                          " does not exist (it is the JSON's name without .json)");
  }
  return paths;
}

std::vector<MaskItem> list_items(Encoding encoding, const fs::path& folder,
                                 const PanopticIndex* panoptic) {
  std::vector<MaskItem> items;
  if (encoding == Encoding::panoptic) {
    for (const PanopticImage& image : panoptic->images)
      items.push_back(MaskItem{image.file_name, {folder / image.file_name}, &image});
  } else if (encoding == Encoding::binary) {
    std::vector<fs::path> folders;
    for (const auto& entry : fs::directory_iterator(folder)) {
      if (entry.is_directory())
        folders.push_back(entry.path());
    }
    std::sort(folders.begin(), folders.end());
    for (const fs::path& sub : folders) {
      if (std::vector<fs::path> files = images_in(sub); !files.empty())
        items.push_back(MaskItem{sub.filename().string(), std::move(files), nullptr});
    }
  } else {
    for (fs::path& file : images_in(folder))
      items.push_back(MaskItem{file.filename().string(), {std::move(file)}, nullptr});
  }
  if (items.empty()) {
    throw sdk::InputError(encoding == Encoding::binary
                              ? "the folder holds no sub-folders of mask images (.png)"
                              : "the folder holds no mask images (.png)");
  }
  return items;
}

}  // namespace ea::masks
