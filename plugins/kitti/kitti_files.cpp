// SPDX-License-Identifier: Apache-2.0
#include "kitti_files.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <fstream>
#include <thread>

#include "ea/sdk/error.hpp"

namespace ea::kitti {

namespace fs = std::filesystem;

namespace {

ParsedFile parse_file(const fs::path& file, bool results, std::optional<double> default_score) {
  ParsedFile parsed;
  parsed.name = file.filename().string();
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw sdk::InputError(parsed.name + " cannot be read");
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos)
      continue;
    try {
      parsed.objects.emplace_back(number, parse_line(line, results, default_score));
    } catch (const LineProblem& problem) {
      parsed.problems.emplace_back(number, problem.message);
    }
  }
  return parsed;
}

}  // namespace

std::vector<fs::path> label_files(const fs::path& input) {
  if (!fs::is_directory(input))
    return {input};
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(input)) {
    if (entry.is_regular_file() && entry.path().extension() == ".txt")
      files.push_back(entry.path());
  }
  if (files.empty())
    throw sdk::InputError("the folder holds no KITTI label files (.txt)");
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<ParsedFile> parse_files(const std::vector<fs::path>& files, bool results,
                                    std::optional<double> default_score) {
  std::vector<ParsedFile> parsed(files.size());
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::atomic<bool> failed{false};
  // Files are small and many: both cores take the next one until all are read.
  const auto work = [&] {
    try {
      for (std::size_t i = next++; i < files.size() && !failed; i = next++)
        parsed[i] = parse_file(files[i], results, default_score);
    } catch (...) {
      if (!failed.exchange(true))
        failure = std::current_exception();
    }
  };
  {
    std::jthread helper(work);
    work();
  }
  if (failure)
    std::rethrow_exception(failure);
  return parsed;
}

}  // namespace ea::kitti
