// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "ea/core/store.hpp"
#include "ea/sdk/project_view.hpp"

namespace ea::core {

/// Hashes std::string and std::string_view alike, so lookups need no temporary string.
struct TransparentHash {
  using is_transparent = void;  ///< enables heterogeneous lookup
  std::size_t operator()(std::string_view text) const noexcept {
    return std::hash<std::string_view>{}(text);
  }
};

/// A string-keyed map that accepts string_view keys in lookups.
template <class Value>
using StringMap = std::unordered_map<std::string, Value, TransparentHash, std::equal_to<>>;

/// The project's data units and ontology, read once from the store, with the store's row ids.
/// It is what importers see (as sdk::ProjectView) and what validation checks records against.
class ProjectSnapshot final : public sdk::ProjectView {
 public:
  /// Reads everything an import needs from `store`.
  static ProjectSnapshot load(Store& store);

  std::span<const sdk::DataUnit> data_units() const override { return units_; }
  const sdk::DataUnit* find_data_unit(std::string_view data_hash) const override;
  std::vector<const sdk::DataUnit*> find_data_units_by_title(std::string_view title) const override;
  std::span<const sdk::OntologyObject> objects() const override { return objects_; }
  const sdk::OntologyObject* find_object(std::string_view feature_hash) const override;
  std::span<const sdk::OntologyClassification> classifications() const override {
    return classifications_;
  }
  std::string_view find_external_id(std::string_view space,
                                    std::string_view external_id) const override;
  std::string_view find_external_id_of(std::string_view space, std::string_view hash,
                                       std::optional<std::int64_t> frame) const override;
  std::optional<std::int64_t> find_external_frame(std::string_view space,
                                                  std::string_view external_id) const override;

  /// The store row id of a data unit returned by this view.
  std::int64_t row_id(const sdk::DataUnit& unit) const { return unit_ids_[index_of(unit)]; }
  /// The place of an image in its image group (Encord's data_sequence), if it is in one.
  std::optional<std::int64_t> group_position(const sdk::DataUnit& unit) const {
    return group_positions_[index_of(unit)];
  }
  /// The store row id of an ontology object returned by this view.
  std::int64_t row_id(const sdk::OntologyObject& object) const {
    return object_ids_[static_cast<std::size_t>(&object - objects_.data())];
  }
  /// The store row id of a classification option, or 0 when the triple is unknown.
  std::int64_t option_row_id(std::string_view feature_hash, std::string_view attribute_hash,
                             std::string_view option_hash) const;
  /// Records a data unit just inserted with store row `row_id` (imports keep their view current
  /// without re-reading the store). Invalidates pointers returned earlier.
  void add_data_unit(sdk::DataUnit unit, std::int64_t row_id);
  /// Records an ontology object just inserted with store row `row_id`.
  void add_object(sdk::OntologyObject object, std::int64_t row_id);
  /// Records an identifier map entry just inserted.
  void add_external_id(const std::string& space, const std::string& external_id,
                       const std::string& hash, std::optional<std::int64_t> frame);

  /// Position of a data unit in data_units().
  std::size_t index_of(const sdk::DataUnit& unit) const {
    return static_cast<std::size_t>(&unit - units_.data());
  }

 private:
  std::vector<sdk::DataUnit> units_;
  std::vector<std::int64_t> unit_ids_;
  std::vector<std::optional<std::int64_t>> group_positions_;
  StringMap<std::size_t> unit_by_hash_;
  std::multimap<std::string, std::size_t, std::less<>> unit_by_title_;
  std::vector<sdk::OntologyObject> objects_;
  std::vector<std::int64_t> object_ids_;
  StringMap<std::size_t> object_by_hash_;
  std::vector<sdk::OntologyClassification> classifications_;
  std::map<std::tuple<std::string, std::string, std::string>, std::int64_t, std::less<>>
      option_ids_;
  // (space, external id) → the hash and frame it names
  std::map<std::tuple<std::string, std::string>,
           std::pair<std::string, std::optional<std::int64_t>>, std::less<>>
      external_ids_;
  // (space, hash, frame or -1 for the whole data unit) → the first external id naming it
  std::map<std::tuple<std::string, std::string, std::int64_t>, std::string, std::less<>>
      external_ids_of_;
};

}  // namespace ea::core
