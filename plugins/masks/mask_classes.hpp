// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "ea/sdk/project_view.hpp"
#include "ea/sdk/record_sink.hpp"
#include "mask_metadata.hpp"

namespace ea::masks {

/// Turns the classes metadata files name into ontology objects: a feature_hash, a name
/// (case-insensitive), or a COCO category id (through the project's "coco.category" ids, else the
/// panoptic JSON's category name). Ground-truth imports add the classes the ontology lacks.
class ClassResolver {
 public:
  /// Resolves against `project`; with `sink`, unknown classes become new bitmask objects there.
  ClassResolver(const sdk::ProjectView& project, sdk::RecordSink* sink,
                std::map<std::int64_t, std::string> category_names = {});
  /// The feature_hash of `ref`, or empty when it names no class (and none may be added).
  std::string find(const ClassRef& ref);
  /// The default --class-map: the ontology's polygon and bitmask objects in order → 1..N.
  ClassMap default_class_map() const;

 private:
  const sdk::ProjectView& project_;
  sdk::RecordSink* sink_;
  std::map<std::int64_t, std::string> category_names_;
  std::map<std::string, std::string, std::less<>> by_name_;  // lower-case name → feature_hash
};

}  // namespace ea::masks
