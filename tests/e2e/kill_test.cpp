// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli_fixture.hpp"

namespace fs = std::filesystem;
using ea::test::CliProject;

TEST_CASE("SIGKILL in the middle of a large import leaves the store as it was") {
  const CliProject project;
  REQUIRE(project
              .ea({"import", "predictions", "--name", "earlier",
                   project
                       .file("earlier.jsonl",
                             ea::test::box_record(project.hash(0), 0.1, 0.1, 0.2, 0.2) + "\n")
                       .string()})
              .exit_code == 0);
  const std::string before = project.digest();

  // Large enough that the store's cache spills uncommitted pages to the WAL before the end.
  const fs::path large = project.scratch() / "large.jsonl";
  {
    std::ofstream out(large);
    for (int i = 0; i < 1'000'000; ++i) {
      out << ea::test::box_record(project.hash(i % 3), 0.1 + (i % 7) * 0.01, 0.2, 0.3, 0.4,
                                  (i % 100) / 100.0)
          << '\n';
    }
  }
  const fs::path wal = project.root() / "ea.db-wal";
  const int pid = ea::test::start(
      ea::test::ea_binary(),
      {"-t", project.root().string(), "import", "predictions", "--name", "large", large.string()},
      {{"EA_PLUGIN_PATH", ""}});
  bool killed = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    std::error_code ignored;
    if (fs::exists(wal) && fs::file_size(wal, ignored) > 8u << 20) {
      kill(pid, SIGKILL);
      killed = true;
      break;
    }
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid)
      break;  // finished before it could be killed
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  int status = 0;
  waitpid(pid, &status, 0);
  REQUIRE_MESSAGE(killed, "the import ended before the test could kill it");
  CHECK(WIFSIGNALED(status));

  {
    SQLite::Database db((project.root() / "ea.db").string(), SQLite::OPEN_READWRITE);
    CHECK(db.execAndGet("PRAGMA integrity_check").getString() == "ok");
    CHECK(db.execAndGet("SELECT count(*) FROM prediction_sets WHERE name = 'large'").getInt() == 0);
  }
  CHECK(project.digest() == before);

  const auto again = project.ea(
      {"import", "predictions", "--name", "after",
       project.file("after.jsonl", ea::test::box_record(project.hash(1), 0.1, 0.1, 0.2, 0.2) + "\n")
           .string()});
  CHECK(again.exit_code == 0);
}
