// SPDX-License-Identifier: Apache-2.0
#include "ea/core/metric_export.hpp"

#include <fstream>
#include <map>
#include <vector>

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "ea/core/eval/evaluation_store.hpp"
#include "ea/core/failure.hpp"

namespace ea::core {

namespace {

// A CSV field, quoted when it holds a separator, a quote or a line break (RFC 4180).
std::string csv(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos)
    return text;
  std::string quoted = "\"";
  for (const char c : text)
    quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

}  // namespace

std::uint64_t export_metrics(Store& store, const std::optional<std::string>& set,
                             const std::filesystem::path& output) {
  SQLite::Database& db = store.db();
  std::int64_t first = 0, last = -1;
  if (set) {
    const eval::SetRange range = eval::find_set(store, *set);
    first = range.first;
    last = range.last;
  }
  const char* values_table = set ? "prediction_metrics" : "label_metrics";
  const char* id_column = set ? "prediction_id" : "label_id";
  std::vector<std::string> names;
  {
    SQLite::Statement query(
        db, fmt::format("SELECT DISTINCT metric FROM {} ORDER BY metric", values_table));
    while (query.executeStep())
      names.push_back(query.getColumn(0).getString());
  }
  std::map<std::string, std::size_t, std::less<>> column_of;
  for (std::size_t i = 0; i < names.size(); ++i)
    column_of.emplace(names[i], i);

  std::ofstream out(output, std::ios::binary);
  if (!out)
    throw Failure("cannot write " + output.string() + ".");
  out << (set ? "prediction_id" : "label_id") << ",data_hash,title,frame,class,score";
  for (const std::string& name : names)
    out << ',' << csv(name);
  out << '\n';

  const std::string objects =
      set ? "SELECT p.id, u.data_hash, u.title, p.frame, o.name, p.confidence FROM predictions p "
            "JOIN data_units u ON u.id = p.data_unit_id JOIN ontology_objects o ON o.id = "
            "p.object_id WHERE p.id BETWEEN ? AND ? ORDER BY p.id"
          : "SELECT l.id, u.data_hash, u.title, l.frame, o.name, '' FROM labels l JOIN data_units "
            "u ON u.id = l.data_unit_id JOIN ontology_objects o ON o.id = l.object_id ORDER BY "
            "l.id";
  SQLite::Statement rows(db, objects);
  if (set) {
    rows.bind(1, first);
    rows.bind(2, last);
  }
  // Values come in id order too, so both walk forward together.
  SQLite::Statement values(
      db, fmt::format("SELECT {0}, metric, value FROM {1} ORDER BY {0}", id_column, values_table));
  bool has_value = values.executeStep();
  std::vector<std::string> cells(names.size());
  std::uint64_t written = 0;
  while (rows.executeStep()) {
    const std::int64_t id = rows.getColumn(0).getInt64();
    std::fill(cells.begin(), cells.end(), std::string());
    while (has_value && values.getColumn(0).getInt64() < id)
      has_value = values.executeStep();
    while (has_value && values.getColumn(0).getInt64() == id) {
      cells[column_of.at(values.getColumn(1).getString())] =
          fmt::format("{}", values.getColumn(2).getDouble());
      has_value = values.executeStep();
    }
    out << id << ',' << rows.getColumn(1).getString() << ',' << csv(rows.getColumn(2).getString())
        << ',' << rows.getColumn(3).getInt64() << ',' << csv(rows.getColumn(4).getString()) << ','
        << (set ? fmt::format("{}", rows.getColumn(5).getDouble()) : std::string());
    for (const std::string& cell : cells)
      out << ',' << cell;
    out << '\n';
    ++written;
  }
  if (!out.flush())
    throw Failure("cannot write " + output.string() + ".");
  return written;
}

}  // namespace ea::core
