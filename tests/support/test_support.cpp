// SPDX-License-Identifier: Apache-2.0
#include "test_support.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <stdexcept>

#include <SQLiteCpp/SQLiteCpp.h>

extern char** environ;

namespace ea::test {

namespace fs = std::filesystem;

TempDir::TempDir() {
  std::random_device device;
  for (int attempt = 0; attempt < 100; ++attempt) {
    const fs::path candidate = fs::temp_directory_path() / ("ea-test-" + std::to_string(device()) +
                                                            "-" + std::to_string(getpid()));
    if (fs::create_directory(candidate)) {
      path_ = candidate;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary folder");
}

TempDir::~TempDir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

namespace {

std::string read_all(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct SpawnArguments {
  std::vector<std::string> argv_storage;
  std::vector<char*> argv;
  std::vector<std::string> env_storage;
  std::vector<char*> envp;
};

void prepare(SpawnArguments& spawn, const fs::path& program,
             const std::vector<std::string>& arguments,
             const std::map<std::string, std::string>& environment) {
  spawn.argv_storage = {program.string()};
  spawn.argv_storage.insert(spawn.argv_storage.end(), arguments.begin(), arguments.end());
  for (auto& argument : spawn.argv_storage)
    spawn.argv.push_back(argument.data());
  spawn.argv.push_back(nullptr);
  std::map<std::string, std::string> merged;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text = *entry;
    const auto equals = text.find('=');
    if (equals != std::string::npos)
      merged[text.substr(0, equals)] = text.substr(equals + 1);
  }
  for (const auto& [name, value] : environment) {
    if (value.empty()) {
      merged.erase(name);
    } else {
      merged[name] = value;
    }
  }
  for (const auto& [name, value] : merged)
    spawn.env_storage.push_back(name + "=" + value);
  for (auto& entry : spawn.env_storage)
    spawn.envp.push_back(entry.data());
  spawn.envp.push_back(nullptr);
}

// Starts `program` with stdin from /dev/null and stdout, stderr into the given files.
pid_t spawn_process(const fs::path& program, const std::vector<std::string>& arguments,
                    const std::map<std::string, std::string>& environment, const fs::path& cwd,
                    const fs::path& out_file, const fs::path& err_file) {
  SpawnArguments spawn;
  prepare(spawn, program, arguments, environment);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  pid_t pid = 0;
  const int spawned =
      posix_spawn(&pid, program.c_str(), &actions, nullptr, spawn.argv.data(), spawn.envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0)
    throw std::runtime_error("cannot start " + program.string());
  return pid;
}

}  // namespace

int start(const fs::path& program, const std::vector<std::string>& arguments,
          const std::map<std::string, std::string>& environment) {
  return spawn_process(program, arguments, environment, fs::current_path(), "/dev/null",
                       "/dev/null");
}

fs::path ea_binary() {
  return EA_TEST_EA_BINARY;
}

CommandResult run(const fs::path& program, const std::vector<std::string>& arguments,
                  const fs::path& cwd, const std::map<std::string, std::string>& environment) {
  const TempDir capture;
  const fs::path out_file = capture / "out", err_file = capture / "err";
  const pid_t pid = spawn_process(program, arguments, environment, cwd, out_file, err_file);
  int status = 0;
  waitpid(pid, &status, 0);

  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_all(out_file);
  result.err = read_all(err_file);
  return result;
}

CommandResult ea(const std::vector<std::string>& arguments, const fs::path& cwd,
                 const std::map<std::string, std::string>& environment) {
  std::map<std::string, std::string> env{{"EA_PLUGIN_PATH", ""}};
  for (const auto& [name, value] : environment)
    env[name] = value;
  return run(EA_TEST_EA_BINARY, arguments, cwd, env);
}

std::string store_digest(const fs::path& file) {
  SQLite::Database db(file.string(), SQLite::OPEN_READONLY);
  std::vector<std::string> tables;
  SQLite::Statement names(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  while (names.executeStep())
    tables.push_back(names.getColumn(0).getString());
  std::string digest;
  for (const std::string& table : tables) {
    digest += "[" + table + "]\n";
    SQLite::Statement rows(db, "SELECT * FROM \"" + table + "\" ORDER BY 1");
    while (rows.executeStep()) {
      for (int column = 0; column < rows.getColumnCount(); ++column) {
        digest += rows.getColumn(column).isNull() ? "NULL" : rows.getColumn(column).getString();
        digest += '|';
      }
      digest += '\n';
    }
  }
  return digest;
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
  if (!out)
    throw std::runtime_error("cannot write " + file.string());
}

fs::path data_dir() {
  return EA_TEST_DATA_DIR;
}

fs::path fixture_plugin_dir() {
  return EA_TEST_FIXTURE_PLUGIN_DIR;
}

std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace ea::test
