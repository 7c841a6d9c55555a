// SPDX-License-Identifier: Apache-2.0
#include "mask_emitter.hpp"

#include <charconv>
#include <filesystem>

#include "ea/sdk/error.hpp"

namespace ea::masks {

namespace {

std::string stem_of(const MaskItem& item, Encoding encoding) {
  return encoding == Encoding::binary ? item.name
                                      : std::filesystem::path(item.name).stem().string();
}

template <class Number>
bool parse_number(std::string_view text, Number& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc{} && end == text.data() + text.size() && !text.empty();
}

// A binary mask named <class>_<index>[_<score>]: the score has a decimal point, the index none.
std::optional<InstanceInfo> info_from_name(const std::string& stem) {
  std::string_view rest = stem;
  InstanceInfo info;
  std::size_t cut = rest.rfind('_');
  if (cut == std::string_view::npos)
    return std::nullopt;
  double score = 0;
  if (const std::string_view last = rest.substr(cut + 1);
      last.find('.') != std::string_view::npos && parse_number(last, score)) {
    info.score = score;
    rest = rest.substr(0, cut);
    cut = rest.rfind('_');
    if (cut == std::string_view::npos)
      return std::nullopt;
  }
  std::uint64_t index = 0;
  if (!parse_number(rest.substr(cut + 1), index) || cut == 0)
    return std::nullopt;
  info.class_ref = ClassRef(std::string(rest.substr(0, cut)));
  return info;
}

}  // namespace

MaskEmitter::MaskEmitter(Encoding encoding, bool predictions, const sdk::OptionValues& options,
                         ClassResolver& classes, sdk::RecordSink& sink)
    : encoding_(encoding), predictions_(predictions), classes_(classes), sink_(sink) {
  if (const auto file = options.text("instances"))
    instances_ = read_instance_table(*file);
  if (encoding == Encoding::label_map && !instances_)
    throw sdk::UsageError("--encoding label-map needs --instances FILE giving each id's class");
  if (encoding != Encoding::class_map)
    return;
  if (const auto file = options.text("scores"))
    scores_ = read_score_table(*file);
  const auto map_file = options.text("class-map");
  const ClassMap map = map_file ? read_class_map(*map_file) : classes.default_class_map();
  if (map.empty()) {
    throw sdk::UsageError(
        "class masks need --class-map FILE: the ontology has no polygon or bitmask objects to "
        "number 1..N");
  }
  for (const auto& [value, ref] : map) {
    std::string hash = classes.find(ref);
    if (hash.empty())
      throw sdk::UsageError("--class-map maps " + std::to_string(value) + " to " + describe(ref) +
                            ", which is not a class of the project");
    class_of_value_.emplace(value, std::move(hash));
  }
}

bool MaskEmitter::scores_fit(const MaskItem& item, const ItemResult& result) {
  if (!scores_)
    return true;
  const auto of_image = scores_->find(stem_of(item, encoding_));
  if (of_image == scores_->end())
    return true;
  std::map<std::uint32_t, std::size_t> components;
  for (const Instance& instance : result.instances.found)
    ++components[instance.key];
  for (const auto& [value, count] : components) {
    const auto given = of_image->second.find(value);
    const std::size_t scores = given == of_image->second.end() ? 0 : given->second.size();
    if (scores != count) {
      sink_.reject({}, item.name + ": --scores gives " + std::to_string(scores) +
                           " score(s) for class value " + std::to_string(value) + " but it has " +
                           std::to_string(count) + " component(s)");
      return false;
    }
  }
  return true;
}

std::optional<MaskEmitter::Resolved> MaskEmitter::from_info(const MaskItem& item,
                                                            const InstanceInfo* info,
                                                            const std::string& what) {
  if (info == nullptr || !info->class_ref) {
    sink_.reject({}, item.name + ": " + what);
    return std::nullopt;
  }
  Resolved resolved;
  resolved.feature_hash = classes_.find(*info->class_ref);
  if (resolved.feature_hash.empty()) {
    sink_.reject({},
                 item.name + ": " + describe(*info->class_ref) + " is not a class of the project");
    return std::nullopt;
  }
  resolved.score = info->score.value_or(1.0);
  resolved.crowd = info->crowd;
  return resolved;
}

std::optional<MaskEmitter::Resolved> MaskEmitter::resolve(const MaskItem& item,
                                                          const Instance& instance,
                                                          std::size_t rank) {
  const std::string stem = stem_of(item, encoding_);
  const auto listed = [&](const std::string& id) -> const InstanceInfo* {
    if (!instances_)
      return nullptr;
    const auto of_image = instances_->find(stem);
    if (of_image == instances_->end())
      return nullptr;
    const auto found = of_image->second.find(id);
    return found == of_image->second.end() ? nullptr : &found->second;
  };
  switch (encoding_) {
    case Encoding::class_map: {
      const auto found = class_of_value_.find(instance.key);
      if (found == class_of_value_.end()) {
        sink_.reject({}, item.name + ": pixel value " + std::to_string(instance.key) +
                             " is not in the class map");
        return std::nullopt;
      }
      Resolved resolved{found->second, 1.0, false};
      if (scores_) {
        if (const auto of_image = scores_->find(stem); of_image != scores_->end())
          resolved.score = of_image->second.at(instance.key).at(rank);
      }
      return resolved;
    }
    case Encoding::label_map:
      return from_info(item, listed(std::to_string(instance.key)),
                       "instance id " + std::to_string(instance.key) + " is not in --instances");
    case Encoding::panoptic: {
      const auto segment = item.panoptic->segments.find(instance.key);
      return from_info(
          item, segment == item.panoptic->segments.end() ? nullptr : &segment->second,
          "segment id " + std::to_string(instance.key) + " is not in the panoptic JSON");
    }
    case Encoding::binary: {
      const std::string file = std::filesystem::path(item.files[instance.key]).stem().string();
      if (const InstanceInfo* info = listed(file))
        return from_info(item, info, file + " has no class in --instances");
      const std::optional<InstanceInfo> named = info_from_name(file);
      return from_info(item, named ? &*named : nullptr,
                       file +
                           " has no class: name it <class>_<index>[_<score>].png or list it "
                           "in --instances");
    }
  }
  return std::nullopt;
}

void MaskEmitter::emit(const MaskItem& item, const sdk::FileTarget& target, ItemResult&& result) {
  if (!result.problem.empty()) {
    sink_.reject({}, result.problem);
    return;
  }
  dropped_ += result.instances.dropped;
  if (encoding_ == Encoding::binary)
    empty_files_ += item.files.size() - result.instances.found.size();
  if (encoding_ == Encoding::class_map && !scores_fit(item, result))
    return;
  std::map<std::uint32_t, std::size_t> rank_of_key;
  sdk::ObjectDetection detection;
  detection.units = sdk::Units::pixels;
  for (Instance& instance : result.instances.found) {
    const std::optional<Resolved> resolved = resolve(item, instance, rank_of_key[instance.key]++);
    if (!resolved)
      continue;
    detection.feature_hash = resolved->feature_hash;
    detection.geometry = std::move(instance.mask);
    if (predictions_) {
      sdk::Prediction prediction;
      prediction.data_hash = target.data_hash;
      prediction.frame = target.frame;
      prediction.confidence = resolved->score;
      prediction.content = detection;
      sink_.add(prediction, {});
    } else {
      sdk::Label label;
      label.data_hash = target.data_hash;
      label.frame = target.frame;
      label.content = detection;
      label.is_crowd = resolved->crowd;
      if (encoding_ == Encoding::label_map || encoding_ == Encoding::panoptic)
        label.source_id = instance.key;
      sink_.add(label, {});
    }
  }
}

void MaskEmitter::finish(std::uint64_t min_area) {
  if (dropped_ > 0) {
    sink_.note(std::to_string(dropped_) + " connected component(s) under --min-area " +
               std::to_string(min_area) + " pixel(s) were dropped");
  }
  if (empty_files_ > 0)
    sink_.note(std::to_string(empty_files_) + " binary mask file(s) were empty");
}

}  // namespace ea::masks
