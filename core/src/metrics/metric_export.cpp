// SPDX-License-Identifier: Apache-2.0
#include "ea/core/metric_export.hpp"

#include <fstream>
#include <vector>

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "ea/core/eval/evaluation_store.hpp"
#include "ea/core/failure.hpp"
#include "ea/core/metric_columns.hpp"

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
  const char* values_table = set ? "prediction_metric_values" : "label_metric_values";
  const char* id_column = set ? "prediction_id" : "label_id";
  // A column per metric with a value for any prediction (or label), by name.
  std::vector<MetricColumn> metrics;
  for (MetricColumn& metric : metric_columns(db)) {
    if (db.execAndGet(fmt::format("SELECT EXISTS (SELECT 1 FROM {} WHERE {} IS NOT NULL)",
                                  values_table, metric.column))
            .getInt() != 0)
      metrics.push_back(std::move(metric));
  }

  std::ofstream out(output, std::ios::binary);
  if (!out)
    throw Failure("cannot write " + output.string() + ".");
  out << id_column << ",data_hash,title,frame,class,score";
  std::string value_columns;
  for (const MetricColumn& metric : metrics) {
    out << ',' << csv(metric.name);
    value_columns += ", v." + metric.column;
  }
  out << '\n';

  // One row per object with its values beside it: the values are a row per object too.
  const std::string objects =
      set ? fmt::format(
                "SELECT p.id, u.data_hash, u.title, p.frame, o.name, p.confidence{} FROM "
                "predictions p JOIN data_units u ON u.id = p.data_unit_id JOIN "
                "ontology_objects o ON o.id = p.object_id LEFT JOIN {} v ON v.{} = p.id "
                "WHERE p.id BETWEEN ? AND ? ORDER BY p.id",
                value_columns, values_table, id_column)
          : fmt::format(
                "SELECT l.id, u.data_hash, u.title, l.frame, o.name, ''{} FROM labels l "
                "JOIN data_units u ON u.id = l.data_unit_id JOIN ontology_objects o ON "
                "o.id = l.object_id LEFT JOIN {} v ON v.{} = l.id ORDER BY l.id",
                value_columns, values_table, id_column);
  SQLite::Statement rows(db, objects);
  if (set) {
    rows.bind(1, first);
    rows.bind(2, last);
  }
  std::uint64_t written = 0;
  while (rows.executeStep()) {
    out << rows.getColumn(0).getInt64() << ',' << rows.getColumn(1).getString() << ','
        << csv(rows.getColumn(2).getString()) << ',' << rows.getColumn(3).getInt64() << ','
        << csv(rows.getColumn(4).getString()) << ','
        << (set ? fmt::format("{}", rows.getColumn(5).getDouble()) : std::string());
    for (int c = 0; c < static_cast<int>(metrics.size()); ++c) {
      out << ',';
      if (!rows.getColumn(6 + c).isNull())
        out << fmt::format("{}", rows.getColumn(6 + c).getDouble());
    }
    out << '\n';
    ++written;
  }
  if (!out.flush())
    throw Failure("cannot write " + output.string() + ".");
  return written;
}

}  // namespace ea::core
