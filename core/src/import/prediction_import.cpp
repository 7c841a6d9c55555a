// SPDX-License-Identifier: Apache-2.0
#include "ea/core/prediction_import.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <fstream>
#include <future>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ea/core/failure.hpp"
#include "ea/core/hashing.hpp"
#include "ea/core/plugin_boundary.hpp"
#include "ea/core/prediction_sets.hpp"
#include "ea/core/prediction_writer.hpp"
#include "ea/core/project_snapshot.hpp"
#include "ea/core/validated_rows_only.hpp"
#include "prediction_sink.hpp"

namespace ea::core {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kProbeBytes = 64 * 1024;

std::string format_list(const PluginHost& host) {
  std::string list;
  for (const ImporterRegistration& importer : host.importers()) {
    list += (list.empty() ? "" : ", ") + importer.info.format;
  }
  return list.empty() ? "none (no importer plugin was found)" : list;
}

std::string utc_now() {
  return fmt::format(
      "{:%Y-%m-%dT%H:%M:%SZ}",
      fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
}

bool set_exists(SQLite::Database& db, const std::string& name) {
  SQLite::Statement query(db, "SELECT 1 FROM prediction_sets WHERE name = ?");
  query.bind(1, name);
  return query.executeStep();
}

std::int64_t create_set(SQLite::Database& db, const PredictionImportRequest& request,
                        const std::string& set_name, const std::string& format) {
  nlohmann::json options = nlohmann::json::object();
  for (const auto& [name, value] : request.options.all())
    options[name] = value;
  if (request.skip_invalid)
    options["skip-invalid"] = "true";
  SQLite::Statement insert(db,
                           "INSERT INTO prediction_sets (name, format, source_path, source_sha256, "
                           "options, created_at) VALUES (?, ?, ?, '', ?, ?)");
  insert.bind(1, set_name);
  insert.bind(2, format);
  insert.bind(3, request.input.string());
  insert.bind(4, options.dump());
  insert.bind(5, utc_now());
  insert.exec();
  return db.getLastInsertRowid();
}

}  // namespace

std::string read_head(const fs::path& input) {
  if (fs::is_directory(input))
    return {};
  std::ifstream in(input, std::ios::binary);
  if (!in)
    throw Failure("cannot read " + input.string() + ".");
  std::string head(kProbeBytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head;
}

fs::path checked_input(const fs::path& given) {
  std::error_code error;
  const fs::file_status status = fs::status(given, error);
  if (error || !fs::exists(status))
    throw Failure(given.string() + " does not exist.");
  if (fs::is_regular_file(status)) {
    std::ifstream in(given, std::ios::binary);
    if (!in)
      throw Failure("cannot read " + given.string() + ": permission denied.");
  }
  return fs::absolute(given);
}

void tally_rejection(std::map<std::string, RejectionTally>& tallies, const std::string& category,
                     const std::string& location, const std::string& message) {
  constexpr std::size_t kExamplesPerCategory = 3;
  RejectionTally& tally = tallies[category];
  ++tally.count;
  if (tally.examples.size() < kExamplesPerCategory) {
    tally.examples.push_back(location.empty() ? message : location + ": " + message);
  }
}

const ImporterRegistration& choose_importer(const PluginHost& host, const fs::path& input_path,
                                            const std::string& format) {
  const std::string head = read_head(input_path);
  if (fs::is_regular_file(input_path)) {
    const bool blank =
        std::all_of(head.begin(), head.end(), [](unsigned char c) { return std::isspace(c) != 0; });
    if (blank && head.size() == fs::file_size(input_path)) {
      throw Failure(input_path.string() + ": the file is empty.");
    }
  }
  if (!format.empty()) {
    const ImporterRegistration* importer = host.find_importer(format);
    if (importer == nullptr) {
      throw Failure("unknown format '" + format + "'; the formats available are " +
                    format_list(host) + ".");
    }
    return *importer;
  }
  const sdk::Input input{input_path, head};
  int best = 0;
  std::vector<const ImporterRegistration*> winners;
  for (const ImporterRegistration& importer : host.importers()) {
    const auto instance = host.make_importer(importer);
    const int vote =
        call_plugin(importer.plugin, input_path, [&] { return instance->probe(input); });
    if (vote <= 0 || vote < best)
      continue;
    if (vote > best)
      winners.clear();
    best = vote;
    winners.push_back(&importer);
  }
  if (winners.empty()) {
    throw Failure("no importer recognises " + input_path.string() +
                  "; pass --format (available: " + format_list(host) + ").");
  }
  if (winners.size() > 1) {
    std::string names;
    for (const auto* importer : winners)
      names += (names.empty() ? "" : ", ") + importer->info.format;
    throw Failure("several importers claim " + input_path.string() + " equally (" + names +
                  "); pass --format to choose one.");
  }
  return *winners.front();
}

void read_predictions(const ProjectSnapshot& snapshot, const ImporterRegistration& importer,
                      const PredictionImportRequest& request, const PluginHost& host,
                      PredictionRowConsumer& rows, PredictionImportReport& report) {
  PredictionSink sink(snapshot, rows, request.skip_invalid, report);
  const auto instance = host.make_importer(importer);
  const std::string head = read_head(request.input);
  const sdk::Input input{request.input, head};
  call_plugin(importer.plugin, request.input, [&] {
    instance->read(input, sdk::ImportKind::predictions, request.options, snapshot, sink);
  });
  sink.summarise();
  // An empty results list is a valid empty set; a file whose every record was refused is not.
  if (report.imported == 0 && !report.skipped.empty()) {
    throw Failure(request.input.string() + " holds no valid prediction; nothing was imported.");
  }
}

PredictionImportReport import_predictions(Project& project, const PluginHost& host,
                                          const PredictionImportRequest& given,
                                          Diagnostics& diagnostics) {
  const auto started = std::chrono::steady_clock::now();
  PredictionImportRequest request = given;
  request.input = checked_input(given.input);
  const ImporterRegistration& importer = choose_importer(host, request.input, request.format);
  diagnostics.debug("reading " + request.input.string() + " with format '" + importer.info.format +
                    "'");

  PredictionImportReport report;
  report.format = importer.info.format;
  report.set_name = request.set_name.empty() ? request.input.stem().string() : request.set_name;

  // Hash the source on the other core while it is being imported.
  auto source_hash = std::async(std::launch::async, [input = request.input] {
    return fs::is_regular_file(input) ? sha256_file(input) : std::string();
  });

  SQLite::Database& db = project.store().db();
  const ValidatedRowsOnly validated(db);
  SQLite::Transaction transaction(db);
  const ProjectSnapshot snapshot = ProjectSnapshot::load(project.store());

  if (request.replace) {
    report.replaced = delete_prediction_set(db, report.set_name);
  } else if (set_exists(db, report.set_name)) {
    throw Failure("a prediction set named '" + report.set_name +
                  "' already exists; choose another --name or pass --replace.");
  }
  const std::int64_t set_id = create_set(db, request, report.set_name, importer.info.format);
  // The high-water mark, not max(id): ids of removed sets are never handed out again.
  const std::int64_t first_id =
      db.execAndGet(
            "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'predictions'), "
            "0) + 1")
          .getInt64();

  {
    PredictionWriter writer(db, set_id, first_id);
    read_predictions(snapshot, importer, request, host, writer, report);
    writer.finish();
  }

  std::uint64_t skipped = 0;
  for (const auto& [category, tally] : report.skipped)
    skipped += tally.count;
  SQLite::Statement finish(db,
                           "UPDATE prediction_sets SET source_sha256 = ?, skipped = ?, "
                           "first_prediction_id = ?, last_prediction_id = ? WHERE id = ?");
  finish.bind(1, source_hash.get());
  finish.bind(2, static_cast<std::int64_t>(skipped));
  finish.bind(3, first_id);
  finish.bind(4, first_id + static_cast<std::int64_t>(report.imported) - 1);
  finish.bind(5, set_id);
  finish.exec();
  const auto committing = std::chrono::steady_clock::now();
  transaction.commit();
  diagnostics.debug(fmt::format(
      "read and wrote in {:.3f} s, committed in {:.3f} s",
      std::chrono::duration<double>(committing - started).count(),
      std::chrono::duration<double>(std::chrono::steady_clock::now() - committing).count()));

  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace ea::core
