// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "ea/sdk/export.hpp"
#include "ea/sdk/records.hpp"

namespace ea::sdk {

/// A read-only view of the project an importer reads into. Pointers stay valid for the import.
class EA_SDK_EXPORT ProjectView {
 public:
  virtual ~ProjectView();
  /// Every data unit of the project, in title order.
  virtual std::span<const DataUnit> data_units() const = 0;
  /// The data unit with this hash, or nullptr.
  virtual const DataUnit* find_data_unit(std::string_view data_hash) const = 0;
  /// The data units with this title (more than one when folders repeat a file name).
  virtual std::vector<const DataUnit*> find_data_units_by_title(std::string_view title) const = 0;
  /// Every object class of the ontology.
  virtual std::span<const OntologyObject> objects() const = 0;
  /// The ontology object with this feature_hash, or nullptr.
  virtual const OntologyObject* find_object(std::string_view feature_hash) const = 0;
  /// Every radio classification of the ontology.
  virtual std::span<const OntologyClassification> classifications() const = 0;
  /// The external id in `space` that maps to `hash` (to that frame of it, when `frame` is given),
  /// or an empty view.
  virtual std::string_view find_external_id_of(std::string_view space, std::string_view hash,
                                               std::optional<std::int64_t> frame) const = 0;
  /// The hash an external id maps to in `space`, or an empty view.
  virtual std::string_view find_external_id(std::string_view space,
                                            std::string_view external_id) const = 0;
  /// The frame an external id in `space` names, when it names one frame of a data unit.
  virtual std::optional<std::int64_t> find_external_frame(std::string_view space,
                                                          std::string_view external_id) const = 0;
};

}  // namespace ea::sdk
