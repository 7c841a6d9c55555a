// SPDX-License-Identifier: Apache-2.0
// Writes N native box predictions as JSON Lines, spread over a project's data units and classes:
//   ea_gen_native_jsonl MAPPING.json CLASSES COUNT OUT.jsonl [SEED]
// MAPPING.json is `ea print data-mapping` output; CLASSES is a comma-separated list of box
// feature hashes. Boxes are random but valid, with realistic sizes and 6-digit coordinates.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

int main(int argc, char** argv) {
  if (argc < 5) {
    std::cerr << "usage: ea_gen_native_jsonl MAPPING.json CLASSES COUNT OUT.jsonl [SEED]\n";
    return 2;
  }
  std::ifstream mapping_file(argv[1]);
  const auto mapping = nlohmann::json::parse(mapping_file);
  std::vector<std::string> hashes;
  for (const auto& [hash, title] : mapping.items())
    hashes.push_back(hash);
  std::vector<std::string> classes;
  std::stringstream class_list(argv[2]);
  for (std::string item; std::getline(class_list, item, ',');)
    classes.push_back(item);
  const long count = std::stol(argv[3]);
  if (hashes.empty() || classes.empty() || count <= 0) {
    std::cerr << "need data units, classes and a positive count\n";
    return 2;
  }
  std::mt19937_64 random(argc > 5 ? std::stoull(argv[5]) : 42);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::FILE* out = std::fopen(argv[4], "w");
  if (out == nullptr) {
    std::cerr << "cannot write " << argv[4] << "\n";
    return 1;
  }
  for (long i = 0; i < count; ++i) {
    const double w = 0.02 + 0.4 * unit(random), h = 0.02 + 0.4 * unit(random);
    const double x = (1.0 - w) * unit(random), y = (1.0 - h) * unit(random);
    fmt::print(
        out,
        R"({{"data_hash":"{}","frame":0,"confidence":{:.6f},"object":{{"feature_hash":"{}",)"
        R"("format":"bounding-box","data":{{"x":{:.6f},"y":{:.6f},"w":{:.6f},"h":{:.6f}}}}}}})"
        "\n",
        hashes[static_cast<std::size_t>(i) % hashes.size()], unit(random),
        classes[random() % classes.size()], x, y, w, h);
  }
  return std::fclose(out) == 0 ? 0 : 1;
}
