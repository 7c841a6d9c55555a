// SPDX-License-Identifier: Apache-2.0
// Benchmark: read Encord Active's pickle of COUNT box predictions (written by
// tests/fixtures/pickles/make_pickles.py with the Encord classes, pydantic 1, highest protocol)
// with the native plugin's safe reader, and compare with Python's pickle.loads of the same bytes
// using those classes, the two taking turns (RUNS reads, a Python run before every other one).
// Needs python3 with numpy and pydantic 1 (Debian's python3-numpy and
// python3-pydantic).
//   ea_bench_pickle_read [COUNT=200000] [RUNS=5]
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "../plugins/native/pickled_predictions.hpp"
#include "bench_process.hpp"

namespace fs = std::filesystem;

namespace {

// Counts what the reader hands over, as the host's sink would receive it.
class CountingSink final : public ea::sdk::RecordSink {
 public:
  void add(const ea::sdk::DataUnit&, ea::sdk::RecordLocation) override {}
  void add(const ea::sdk::OntologyObject&, ea::sdk::RecordLocation) override {}
  void add(const ea::sdk::OntologyClassification&, ea::sdk::RecordLocation) override {}
  void add(const ea::sdk::ExternalId&, ea::sdk::RecordLocation) override {}
  void add(const ea::sdk::Label&, ea::sdk::RecordLocation) override {}
  void add(const ea::sdk::Prediction& prediction, ea::sdk::RecordLocation) override {
    ++predictions;
    confidence_sum += prediction.confidence;
  }
  void reject(ea::sdk::RecordLocation, std::string_view) override { ++rejected; }

  long predictions = 0;
  long rejected = 0;
  double confidence_sum = 0;
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const long count = argc > 1 ? std::stol(argv[1]) : 200'000;
  const int runs = argc > 2 ? std::stoi(argv[2]) : 5;
  const fs::path dir = fs::temp_directory_path() / fmt::format("ea-bench-pickle-{}", getpid());
  fs::create_directories(dir);
  const fs::path file = dir / "predictions.pkl";
  ea::bench::run(
      {EA_BENCH_PYTHON, EA_BENCH_PICKLE_SCRIPT, "--bench", std::to_string(count), file.string()});

  // Python's and ea's runs take turns, so that both see the same load on the machine: this VM's
  // speed drifts by a fifth over minutes.
  std::vector<double> python;
  std::vector<double> ours;
  CountingSink sink;
  for (int i = 0; i < runs; ++i) {
    if (i % 2 == 0) {
      const fs::path out = dir / "python.txt";
      ea::bench::run({EA_BENCH_PYTHON, EA_BENCH_PICKLE_SCRIPT, "--time-load", file.string()}, out);
      std::ifstream(out) >> python.emplace_back();
    }
    sink = CountingSink{};
    const auto started = std::chrono::steady_clock::now();
    ea::native::read_pickled_predictions_file(file, sink);  // as `ea import` reads it
    ours.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }
  if (sink.predictions != count || sink.rejected != 0) {
    std::cerr << "read " << sink.predictions << " predictions and rejected " << sink.rejected
              << ", expected " << count << "\n";
    return 1;
  }
  const double python_median = median(python);
  const double ours_median = median(ours);
  fmt::print("{} box predictions, {:.1f} MB pickle\n", count,
             static_cast<double>(fs::file_size(file)) / 1e6);
  fmt::print("python pickle.loads (Encord classes): median {:.3f} s over {} runs\n", python_median,
             python.size());
  fmt::print(
      "ea safe reader (file to records):     median {:.3f} s over {} runs ({:.0f} "
      "predictions/s)\n",
      ours_median, ours.size(), static_cast<double>(count) / ours_median);
  fmt::print("speed-up: {:.1f}x\n", python_median / ours_median);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  fmt::print("peak memory of the reader's process: {} MB (the file itself: {:.0f} MB)\n",
             usage.ru_maxrss / 1024, static_cast<double>(fs::file_size(file)) / 1e6);
  fs::remove_all(dir);
}
