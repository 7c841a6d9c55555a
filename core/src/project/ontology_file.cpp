// SPDX-License-Identifier: Apache-2.0
#include "ea/core/ontology_file.hpp"

#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "ea/core/failure.hpp"
#include "ea/core/hashing.hpp"

namespace ea::core {

namespace {

using nlohmann::json;

std::string required_string(const json& entry, const char* key, const std::string& where) {
  if (!entry.contains(key) || !entry[key].is_string() || entry[key].get<std::string>().empty()) {
    throw Failure(where + " needs a non-empty string \"" + key + "\"");
  }
  return entry[key].get<std::string>();
}

std::string optional_hash(const json& entry, const char* key, const std::string& where,
                          std::string fallback) {
  if (!entry.contains(key) || entry[key].is_null())
    return fallback;
  if (!entry[key].is_string() || entry[key].get<std::string>().empty()) {
    throw Failure(where + " has a \"" + key + "\" that is not a non-empty string");
  }
  return entry[key].get<std::string>();
}

const json& list_field(const json& root, const char* key) {
  static const json empty = json::array();
  if (!root.contains(key))
    return empty;
  if (!root[key].is_array())
    throw Failure(std::string("\"") + key + "\" is not a list");
  return root[key];
}

Ontology parse(const json& root) {
  if (!root.is_object())
    throw Failure("the file is not a JSON object");
  Ontology ontology;
  std::set<std::string> hashes;
  const auto claim = [&hashes](const std::string& hash, const std::string& where) {
    if (!hashes.insert(hash).second)
      throw Failure(where + " reuses the hash \"" + hash + "\"");
  };

  const json& objects = list_field(root, "objects");
  for (std::size_t i = 0; i < objects.size(); ++i) {
    const std::string where = "objects[" + std::to_string(i) + "]";
    const json& entry = objects[i];
    if (!entry.is_object())
      throw Failure(where + " is not an object");
    sdk::OntologyObject object;
    object.name = required_string(entry, "name", where);
    const std::string shape = required_string(entry, "shape", where);
    const auto parsed = sdk::shape_from_string(shape);
    if (!parsed) {
      throw Failure(where + " has the shape \"" + shape +
                    "\"; use bounding_box, rotatable_bounding_box, polygon or bitmask");
    }
    object.shape = *parsed;
    object.feature_hash = optional_hash(entry, "feature_hash", where,
                                        sdk::derived_hash("object", object.name, shape));
    claim(object.feature_hash, where);
    ontology.objects.push_back(std::move(object));
  }

  const json& classifications = list_field(root, "classifications");
  for (std::size_t i = 0; i < classifications.size(); ++i) {
    const std::string where = "classifications[" + std::to_string(i) + "]";
    const json& entry = classifications[i];
    if (!entry.is_object())
      throw Failure(where + " is not an object");
    sdk::OntologyClassification classification;
    classification.name = required_string(entry, "name", where);
    classification.feature_hash = optional_hash(
        entry, "feature_hash", where, sdk::derived_hash("classification", classification.name));
    classification.attribute_hash = optional_hash(
        entry, "attribute_hash", where, sdk::derived_hash("attribute", classification.name));
    claim(classification.feature_hash, where);
    claim(classification.attribute_hash, where);
    const json& options = list_field(entry, "options");
    if (options.empty())
      throw Failure(where + " has no options");
    for (std::size_t k = 0; k < options.size(); ++k) {
      const std::string option_where = where + ".options[" + std::to_string(k) + "]";
      if (!options[k].is_object())
        throw Failure(option_where + " is not an object");
      sdk::ClassificationOption option;
      option.name = required_string(options[k], "name", option_where);
      option.option_hash =
          optional_hash(options[k], "option_hash", option_where,
                        sdk::derived_hash("option", classification.name, option.name));
      claim(option.option_hash, option_where);
      classification.options.push_back(std::move(option));
    }
    ontology.classifications.push_back(std::move(classification));
  }
  return ontology;
}

}  // namespace

Ontology read_ontology_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in)
    throw Failure("cannot read the ontology file " + file.string() + ".");
  try {
    return parse(json::parse(in));
  } catch (const json::parse_error& error) {
    throw Failure("the ontology file " + file.string() + " is not valid JSON (byte " +
                  std::to_string(error.byte) + ").");
  } catch (const Failure& error) {
    throw Failure("the ontology file " + file.string() + ": " + error.what() + ".");
  }
}

}  // namespace ea::core
