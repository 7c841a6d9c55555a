// SPDX-License-Identifier: Apache-2.0
#include "coco_export.hpp"

#include <charconv>
#include <string>
#include <string_view>

#include "ea/sdk/rle.hpp"

namespace ea::coco {

namespace {

void number(std::string& out, double value) {
  char buffer[32];
  out.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, value).ptr);
}

void quoted(std::string& out, std::string_view text) {
  out.push_back('"');
  for (const char c : text) {
    if (c == '"' || c == '\\')
      out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
}

// A stored COCO id is written as a number when it is one, as COCO files have it.
void id(std::string& out, std::string_view stored, std::string_view fallback) {
  const std::string_view text = stored.empty() ? fallback : stored;
  const bool numeric =
      !text.empty() && text.find_first_not_of("0123456789-") == std::string_view::npos;
  if (numeric && !stored.empty()) {
    out.append(text);
  } else {
    quoted(out, text);
  }
}

void box(std::string& out, const sdk::BoundingBox& b) {
  out += "[";
  number(out, b.x);
  out += ",";
  number(out, b.y);
  out += ",";
  number(out, b.w);
  out += ",";
  number(out, b.h);
  out += "]";
}

}  // namespace

sdk::ExportSummary CocoExporter::write(const sdk::ProjectView& project,
                                       sdk::PredictionSource& source, const sdk::OptionValues&,
                                       std::ostream& out) const {
  sdk::ExportSummary summary;
  sdk::Prediction prediction;
  std::string record;
  out << "[";
  while (source.next(prediction)) {
    const auto* object = std::get_if<sdk::ObjectDetection>(&prediction.content);
    if (object == nullptr) {
      ++summary.skipped;
      continue;
    }
    record.clear();
    record += summary.written == 0 ? "\n" : ",\n";
    // A video frame has its own image id when the ground truth named frames as images;
    // otherwise the video's id (or data_hash) and a "frame" field say which frame it is.
    const sdk::DataUnit* unit = project.find_data_unit(prediction.data_hash);
    const bool video = unit != nullptr && unit->kind == sdk::MediaKind::video;
    std::string_view image = video ? project.find_external_id_of("coco.image", prediction.data_hash,
                                                                 prediction.frame.value_or(0))
                                   : std::string_view{};
    const bool frame_image = !image.empty();
    if (!frame_image)
      image = project.find_external_id_of("coco.image", prediction.data_hash, std::nullopt);
    record += R"({"image_id":)";
    id(record, image, prediction.data_hash);
    if (video && !frame_image)
      record += R"(,"frame":)" + std::to_string(prediction.frame.value_or(0));
    record += R"(,"category_id":)";
    id(record, project.find_external_id_of("coco.category", object->feature_hash, std::nullopt),
       object->feature_hash);
    if (const auto* b = std::get_if<sdk::BoundingBox>(&object->geometry)) {
      record += R"(,"bbox":)";
      box(record, *b);
    } else if (const auto* rle = std::get_if<sdk::Rle>(&object->geometry)) {
      record += R"(,"segmentation":{"size":[)";
      record += std::to_string(rle->height) + "," + std::to_string(rle->width) + R"(],"counts":)";
      quoted(record, sdk::rle_to_string(*rle));
      record += "}";
      if (object->box) {
        record += R"(,"bbox":)";
        box(record, *object->box);
      }
    } else {
      record += R"(,"segmentation":[)";
      const auto& rings = std::get<sdk::Polygon>(object->geometry).rings;
      for (std::size_t r = 0; r < rings.size(); ++r) {
        record += r == 0 ? "[" : ",[";
        for (std::size_t i = 0; i < rings[r].size(); ++i) {
          if (i > 0)
            record += ",";
          number(record, rings[r][i].x);
          record += ",";
          number(record, rings[r][i].y);
        }
        record += "]";
      }
      record += "]";
      if (object->box) {
        record += R"(,"bbox":)";
        box(record, *object->box);
      }
    }
    record += R"(,"score":)";
    number(record, prediction.confidence);
    record += "}";
    out << record;
    ++summary.written;
  }
  out << (summary.written == 0 ? "]\n" : "\n]\n");
  return summary;
}

std::unique_ptr<sdk::Exporter> make_coco_exporter() {
  return std::make_unique<CocoExporter>();
}

}  // namespace ea::coco
