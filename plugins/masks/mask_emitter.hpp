// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "ea/sdk/file_targets.hpp"
#include "ea/sdk/options.hpp"
#include "ea/sdk/record_sink.hpp"
#include "mask_classes.hpp"
#include "mask_items.hpp"
#include "mask_metadata.hpp"
#include "mask_reading.hpp"

namespace ea::masks {

/// Turns an item's instances into predictions or labels: gives each its class, score and crowd
/// flag from the encoding's metadata (--class-map, --scores, --instances, the panoptic JSON, the
/// binary file names) and hands it to the sink. Runs on the importing thread, in item order.
class MaskEmitter {
 public:
  /// Reads the metadata files `options` name; throws UsageError when one is wrong or missing.
  MaskEmitter(Encoding encoding, bool predictions, const sdk::OptionValues& options,
              ClassResolver& classes, sdk::RecordSink& sink);
  /// Emits `result`'s instances for `item`, or rejects what cannot be emitted.
  void emit(const MaskItem& item, const sdk::FileTarget& target, ItemResult&& result);
  /// Notes what was dropped by design: small components, empty binary masks.
  void finish(std::uint64_t min_area);

 private:
  // What one instance becomes; nullopt after rejecting it.
  struct Resolved {
    std::string feature_hash;
    double score = 1.0;
    bool crowd = false;
  };
  std::optional<Resolved> resolve(const MaskItem& item, const Instance& instance, std::size_t rank);
  std::optional<Resolved> from_info(const MaskItem& item, const InstanceInfo* info,
                                    const std::string& what);
  bool scores_fit(const MaskItem& item, const ItemResult& result);

  Encoding encoding_;
  bool predictions_;
  ClassResolver& classes_;
  sdk::RecordSink& sink_;
  std::map<std::uint32_t, std::string> class_of_value_;  // class masks: value → feature_hash
  std::optional<InstanceTable> instances_;
  std::optional<ScoreTable> scores_;
  std::uint64_t dropped_ = 0;
  std::uint64_t empty_files_ = 0;
};

}  // namespace ea::masks
