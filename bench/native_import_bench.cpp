// SPDX-License-Identifier: Apache-2.0
// Benchmark: import N native JSON Lines box predictions into a project of generated images with
// 80 classes, as a separate `ea` process; reports wall time, predictions per second and the
// import's peak resident memory (from wait4).
//   ea_bench_native_import [COUNT=1000000] [IMAGES=5000] [RUNS=3]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <opencv2/imgcodecs.hpp>
#include "bench_process.hpp"

namespace fs = std::filesystem;

using ea::bench::Run;
using ea::bench::run;

int main(int argc, char** argv) {
  const long count = argc > 1 ? std::stol(argv[1]) : 1'000'000;
  const int images = argc > 2 ? std::stoi(argv[2]) : 5000;
  const int runs = argc > 3 ? std::stoi(argv[3]) : 3;
  const fs::path dir = fs::temp_directory_path() / fmt::format("ea-bench-{}", getpid());
  fs::create_directories(dir / "images");

  // Small images keep set-up quick; only their sizes matter to an import.
  const cv::Mat pixels(48, 64, CV_8UC3, cv::Scalar(90, 120, 150));
  for (int i = 0; i < images; ++i) {
    cv::imwrite((dir / "images" / fmt::format("{:06d}.png", i)).string(), pixels);
  }
  std::string objects, classes;
  for (int c = 0; c < 80; ++c) {
    objects +=
        fmt::format(R"({}{{"name":"class{}","shape":"bounding_box","feature_hash":"c{:07d}"}})",
                    c == 0 ? "" : ",", c, c);
    classes += fmt::format("{}c{:07d}", c == 0 ? "" : ",", c);
  }
  std::ofstream(dir / "ontology.json") << R"({"objects":[)" << objects << "]}";

  const std::string project = (dir / "project").string();
  run({EA_BENCH_EA, "-t", project, "init", "--images", (dir / "images").string(), "--ontology",
       (dir / "ontology.json").string()});
  run({EA_BENCH_EA, "-t", project, "print", "data-mapping"}, dir / "mapping.json");
  const fs::path input = dir / "predictions.jsonl";
  run({EA_BENCH_GENERATOR, (dir / "mapping.json").string(), classes, std::to_string(count),
       input.string()});

  std::vector<Run> results;
  for (int i = 0; i < runs; ++i) {
    // Each run imports into a store without the previous run's set (removed outside the timing).
    if (i > 0)
      run({EA_BENCH_EA, "-t", project, "predictions", "remove", "bench"});
    const Run result = run({EA_BENCH_EA, "-t", project, "import", "predictions", "--no-metrics",
                            "--name", "bench", input.string()});
    results.push_back(result);
    fmt::print("run {}: {:.3f} s, {:.0f} predictions/s, peak {:.1f} MB\n", i + 1, result.seconds,
               static_cast<double>(count) / result.seconds,
               static_cast<double>(result.peak_kib) / 1024);
  }
  std::sort(results.begin(), results.end(),
            [](const Run& a, const Run& b) { return a.seconds < b.seconds; });
  const Run& median = results[results.size() / 2];
  long peak = 0;
  for (const Run& result : results)
    peak = std::max(peak, result.peak_kib);
  fmt::print(
      "native JSON Lines import of {} box predictions ({} MB, {} images, 80 classes): "
      "median {:.3f} s = {:.0f} predictions/s; peak memory {:.1f} MB\n",
      count, fs::file_size(input) / 1'000'000, images, median.seconds,
      static_cast<double>(count) / median.seconds, static_cast<double>(peak) / 1024);
  fs::remove_all(dir);
  return 0;
}
