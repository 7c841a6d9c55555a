// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace ea::bench {

/// Wall time and peak resident memory of one child process.
struct Run {
  double seconds = 0;  ///< wall time
  long peak_kib = 0;   ///< ru_maxrss of the child
};

/// Runs `command` (absolute program path first) with stdout into `stdout_file`, exits the
/// benchmark when it fails, and measures it.
inline Run run(std::vector<std::string> command,
               const std::filesystem::path& stdout_file = "/dev/null") {
  std::vector<char*> argv;
  for (auto& argument : command)
    argv.push_back(argument.data());
  argv.push_back(nullptr);
  std::fflush(nullptr);  // or the child inherits unwritten output
  const auto started = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    if (std::freopen(stdout_file.c_str(), "w", stdout) == nullptr)
      _exit(126);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::cerr << command[0] << " " << (command.size() > 3 ? command[3] : "") << " failed\n";
    std::exit(1);
  }
  return {std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
          usage.ru_maxrss};
}

/// The median wall time and the largest peak memory of repeated runs.
struct Summary {
  double median_seconds = 0;  ///< median wall time
  double peak_mb = 0;         ///< largest peak resident memory
};

/// Runs `command(i)` `runs` times (after `prepare(i)`, untimed) and prints each run; returns the
/// median time and the largest peak memory.
template <class Prepare, class Command>
Summary measure(const char* what, int runs, const Prepare& prepare, const Command& command) {
  std::vector<Run> results;
  for (int i = 0; i < runs; ++i) {
    prepare(i);
    sync();
    const Run result = run(command(i));
    fmt::print("  {} run {}: {:.3f} s, peak {:.1f} MB\n", what, i + 1, result.seconds,
               static_cast<double>(result.peak_kib) / 1024);
    results.push_back(result);
  }
  long peak = 0;
  for (const Run& result : results)
    peak = std::max(peak, result.peak_kib);
  std::sort(results.begin(), results.end(),
            [](const Run& a, const Run& b) { return a.seconds < b.seconds; });
  return {results[results.size() / 2].seconds, static_cast<double>(peak) / 1024};
}

}  // namespace ea::bench
