// SPDX-License-Identifier: Apache-2.0
#include "ea/core/prediction_insert.hpp"

#include <fmt/format.h>

#include "ea/core/failure.hpp"

namespace ea::core {

namespace {

// Binding fails only on a programming error (an index out of range); say so rather than go on.
void check(int status) {
  if (status != SQLITE_OK)
    throw Failure(std::string("the store refused a value: ") + sqlite3_errstr(status) + ".");
}

void bind_optional_id(sqlite3_stmt* insert, int column, std::int64_t id) {
  check(id != 0 ? sqlite3_bind_int64(insert, column, id) : sqlite3_bind_null(insert, column));
}

void bind_text(sqlite3_stmt* insert, int column, std::string_view text) {
  check(text.empty() ? sqlite3_bind_null(insert, column)
                     : sqlite3_bind_text(insert, column, text.data(), static_cast<int>(text.size()),
                                         SQLITE_STATIC));
}

}  // namespace

InsertShape InsertShape::of(std::span<PredictionRow> rows) {
  InsertShape shape;
  shape.frame_zero = true;
  shape.theta_zero = true;
  if (!rows.empty())
    shape.kind = rows.front().kind;
  for (PredictionRow& row : rows) {
    shape.object = shape.object || row.object_id != 0;
    shape.option = shape.option || row.option_id != 0;
    shape.box = shape.box || row.box.has_value();
    shape.geometry = shape.geometry || !stored_geometry(row).empty();
    shape.track = shape.track || row.track_id.has_value();
    shape.area = shape.area || row.area.has_value();
    shape.attributes = shape.attributes || !row.attributes.empty();
    shape.frame_zero = shape.frame_zero && row.frame == 0;
    // A row without a box stores no theta either: it cannot share a theta of 0.
    shape.theta_zero = shape.theta_zero && row.box.has_value() && row.box->theta == 0;
    if (row.kind != shape.kind)
      shape.kind = {};
  }
  return shape;
}

int InsertShape::bound_per_row() const {
  return 3 + !frame_zero + kind.empty() + object + option + (box ? (theta_zero ? 4 : 5) : 0) +
         geometry + track + area + attributes;
}

std::string insert_sql(std::size_t rows, const InsertShape& shape, std::int64_t set_id) {
  std::string sql =
      "INSERT INTO predictions (set_id, data_unit_id, frame, kind, confidence, source_record";
  // Kinds are the store's own words (bounding_box, mask, …), never input text.
  std::string values = fmt::format("({},?,{},{},?,?", set_id, shape.frame_zero ? "0" : "?",
                                   shape.kind.empty() ? "?" : fmt::format("'{}'", shape.kind));
  const auto add = [&](bool present, const char* column, const char* value) {
    if (!present)
      return;
    sql += std::string(", ") + column;
    values += std::string(",") + value;
  };
  add(shape.object, "object_id", "?");
  add(shape.option, "option_id", "?");
  add(shape.box, "x, y, w, h, theta", shape.theta_zero ? "?,?,?,?,0.0" : "?,?,?,?,?");
  add(shape.geometry, "geometry", "?");
  add(shape.track, "track_id", "?");
  add(shape.area, "area", "?");
  add(shape.attributes, "attributes", "?");
  sql += ") VALUES ";
  values += ")";
  sql.reserve(sql.size() + rows * (values.size() + 1));
  for (std::size_t i = 0; i < rows; ++i)
    sql += (i == 0 ? "" : ",") + values;
  return sql;
}

void bind_row(sqlite3_stmt* insert, int first, PredictionRow& row, const InsertShape& shape) {
  int column = first;
  check(sqlite3_bind_int64(insert, column++, row.data_unit_id));
  if (!shape.frame_zero)
    check(sqlite3_bind_int64(insert, column++, row.frame));
  if (shape.kind.empty())
    bind_text(insert, column++, row.kind);  // kind always views a string literal
  check(sqlite3_bind_double(insert, column++, row.confidence));
  check(sqlite3_bind_int64(insert, column++, row.source_record));
  if (shape.object)
    bind_optional_id(insert, column++, row.object_id);
  if (shape.option)
    bind_optional_id(insert, column++, row.option_id);
  if (shape.box) {
    const int values = shape.theta_zero ? 4 : 5;
    if (row.box) {
      const double box[] = {row.box->x, row.box->y, row.box->w, row.box->h, row.box->theta};
      for (int c = 0; c < values; ++c)
        check(sqlite3_bind_double(insert, column + c, box[c]));
    } else {
      for (int c = 0; c < values; ++c)
        check(sqlite3_bind_null(insert, column + c));
    }
    column += values;
  }
  if (shape.geometry)
    bind_text(insert, column++, stored_geometry(row));
  if (shape.track) {  // an empty track id stays an empty text, as given
    check(row.track_id ? sqlite3_bind_text(insert, column, row.track_id->c_str(),
                                           static_cast<int>(row.track_id->size()), SQLITE_STATIC)
                       : sqlite3_bind_null(insert, column));
    ++column;
  }
  if (shape.area) {
    check(row.area ? sqlite3_bind_double(insert, column, *row.area)
                   : sqlite3_bind_null(insert, column));
    ++column;
  }
  if (shape.attributes)
    bind_text(insert, column, row.attributes);
}

}  // namespace ea::core
