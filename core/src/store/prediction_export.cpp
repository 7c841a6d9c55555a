// SPDX-License-Identifier: Apache-2.0
#include "ea/core/prediction_export.hpp"

#include <fstream>
#include <map>

#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include "ea/core/failure.hpp"
#include "ea/core/plugin_boundary.hpp"
#include "ea/core/project_snapshot.hpp"
#include "ea/sdk/rle.hpp"

namespace ea::core {

namespace fs = std::filesystem;

namespace {

// Reads one set's predictions in id order and rebuilds them with pixel geometry.
class StorePredictionSource final : public sdk::PredictionSource {
 public:
  StorePredictionSource(SQLite::Database& db, std::int64_t first, std::int64_t last)
      : query_(db,
               "SELECT d.data_hash, p.frame, p.kind, o.feature_hash, c.feature_hash, "
               "c.attribute_hash, co.option_hash, p.confidence, p.x, p.y, p.w, p.h, p.theta, "
               "p.geometry, p.track_id, d.width, d.height FROM predictions p "
               "JOIN data_units d ON d.id = p.data_unit_id "
               "LEFT JOIN ontology_objects o ON o.id = p.object_id "
               "LEFT JOIN classification_options co ON co.id = p.option_id "
               "LEFT JOIN ontology_classifications c ON c.id = co.classification_id "
               "WHERE p.id BETWEEN ? AND ? ORDER BY p.id") {
    query_.bind(1, first);
    query_.bind(2, last);
  }

  bool next(sdk::Prediction& prediction) override {
    if (!query_.executeStep())
      return false;
    prediction.data_hash = query_.getColumn(0).getString();
    prediction.frame = query_.getColumn(1).getInt64();
    prediction.confidence = query_.getColumn(7).getDouble();
    const std::string kind = query_.getColumn(2).getString();
    if (kind == "classification") {
      prediction.content =
          sdk::FrameClassification{query_.getColumn(4).getString(), query_.getColumn(5).getString(),
                                   query_.getColumn(6).getString()};
      return true;
    }
    sdk::ObjectDetection object;
    object.feature_hash = query_.getColumn(3).getString();
    object.units = sdk::Units::pixels;
    const sdk::BoundingBox box{query_.getColumn(8).getDouble(), query_.getColumn(9).getDouble(),
                               query_.getColumn(10).getDouble(), query_.getColumn(11).getDouble(),
                               query_.getColumn(12).getDouble()};
    if (!query_.getColumn(14).isNull())
      object.track_id = query_.getColumn(14).getString();
    if (kind == "bounding_box") {
      object.geometry = box;
    } else if (kind == "polygon") {
      sdk::Polygon polygon;
      for (const auto& flat : nlohmann::json::parse(query_.getColumn(13).getString())) {
        sdk::Ring ring;
        for (std::size_t i = 0; i + 1 < flat.size(); i += 2) {
          ring.push_back({flat[i].get<double>(), flat[i + 1].get<double>()});
        }
        polygon.rings.push_back(std::move(ring));
      }
      object.geometry = std::move(polygon);
      object.box = box;
    } else {
      const auto height = static_cast<std::uint32_t>(query_.getColumn(16).getInt64());
      const auto width = static_cast<std::uint32_t>(query_.getColumn(15).getInt64());
      auto rle = sdk::rle_from_string(query_.getColumn(13).getString(), height, width);
      if (!rle)
        throw Failure("the store holds a malformed mask; run PRAGMA integrity_check.");
      object.geometry = std::move(*rle);
      object.box = box;
    }
    prediction.content = std::move(object);
    return true;
  }

 private:
  SQLite::Statement query_;
};

}  // namespace

sdk::ExportSummary export_predictions(Project& project, const PluginHost& host,
                                      const std::string& set_name, const std::string& format,
                                      const fs::path& output, const sdk::OptionValues& options) {
  const ExporterRegistration* registration = host.find_exporter(format);
  if (registration == nullptr) {
    std::string formats;
    for (const auto& exporter : host.exporters()) {
      formats += (formats.empty() ? "" : ", ") + exporter.info.format;
    }
    throw Failure("no exporter writes the format '" + format + "'; the export formats are " +
                  (formats.empty() ? std::string("none") : formats) + ".");
  }
  SQLite::Database& db = project.store().db();
  SQLite::Statement set(db,
                        "SELECT first_prediction_id, last_prediction_id FROM prediction_sets "
                        "WHERE name = ?");
  set.bind(1, set_name);
  if (!set.executeStep()) {
    throw Failure("there is no prediction set named '" + set_name +
                  "'; `ea predictions list` shows the sets.");
  }
  const std::int64_t first = set.getColumn(0).getInt64(), last = set.getColumn(1).getInt64();
  set.reset();

  const ProjectSnapshot snapshot = ProjectSnapshot::load(project.store());
  StorePredictionSource source(db, first, last);
  const fs::path temporary = fs::path(output).concat(".part");
  sdk::ExportSummary summary;
  try {
    std::ofstream out(temporary, std::ios::binary);
    if (!out)
      throw Failure("cannot write " + temporary.string() + ".");
    const auto exporter = host.make_exporter(*registration);
    summary = call_plugin(registration->plugin, output,
                          [&] { return exporter->write(snapshot, source, options, out); });
    out.close();
    if (!out)
      throw Failure("writing " + output.string() + " failed.");
    fs::rename(temporary, output);
  } catch (...) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw;
  }
  return summary;
}

}  // namespace ea::core
