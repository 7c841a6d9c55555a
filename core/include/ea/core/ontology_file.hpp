// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <vector>

#include "ea/sdk/records.hpp"

namespace ea::core {

/// An ontology as `ea init --ontology` reads it.
struct Ontology {
  std::vector<sdk::OntologyObject> objects;                  ///< object classes
  std::vector<sdk::OntologyClassification> classifications;  ///< radio classifications
};

/// Reads `{"objects":[{"name","shape","feature_hash"?}],"classifications":[{"name",
/// "feature_hash"?,"attribute_hash"?,"options":[{"name","option_hash"?}]}]}`. Missing hashes are
/// derived from names (8 characters, stable). Throws Failure naming the entry and the problem.
Ontology read_ontology_file(const std::filesystem::path& file);

}  // namespace ea::core
