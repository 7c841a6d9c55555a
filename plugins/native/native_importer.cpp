// SPDX-License-Identifier: Apache-2.0
#include "native_importer.hpp"

#include <algorithm>
#include <cctype>

#include <simdjson.h>
#include <nlohmann/json.hpp>

#include "ea/sdk/error.hpp"
#include "json_lines_reader.hpp"
#include "native_record.hpp"
#include "pickle_reader.hpp"
#include "pickled_predictions.hpp"

namespace ea::native {

namespace {

std::string_view trim_front(std::string_view text) {
  const auto first =
      std::find_if(text.begin(), text.end(), [](unsigned char c) { return !std::isspace(c); });
  return text.substr(static_cast<std::size_t>(first - text.begin()));
}

std::string lowercase_extension(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

// A record becomes a prediction, or a label when the import is ground truth.
void emit(const RecordParser& parser, const std::optional<std::string>& problem,
          sdk::RecordLocation where, sdk::ImportKind kind, sdk::RecordSink& sink) {
  if (problem)
    return sink.reject(where, *problem);
  const sdk::Prediction& record = parser.prediction();
  if (kind == sdk::ImportKind::predictions)
    return sink.add(record, where);
  sdk::Label label;
  label.data_hash = record.data_hash;
  label.frame = record.frame;
  label.content = record.content;
  sink.add(label, where);
}

RecordParser::Records records_of(sdk::ImportKind kind) {
  return kind == sdk::ImportKind::predictions ? RecordParser::Records::predictions
                                              : RecordParser::Records::labels;
}

void read_lines(const std::filesystem::path& file, sdk::ImportKind kind, sdk::RecordSink& sink) {
  JsonLinesReader reader(file);
  RecordParser parser(records_of(kind));
  bool any = false;
  while (const auto line = reader.next()) {
    any = true;
    const auto problem = parser.parse(line->text, line->capacity);
    emit(parser, problem, {sdk::RecordLocation::Kind::line, line->number}, kind, sink);
  }
  if (!any)
    throw sdk::InputError("the file is empty");
}

void read_array(const std::filesystem::path& file, sdk::ImportKind kind, sdk::RecordSink& sink) {
  simdjson::padded_string text;
  if (simdjson::padded_string::load(file.string()).get(text) != simdjson::SUCCESS) {
    throw sdk::InputError("cannot read the file");
  }
  RecordParser parser(records_of(kind));
  parser.parse_array(text, [&](const std::optional<std::string>& problem, std::uint64_t index) {
    emit(parser, problem, {sdk::RecordLocation::Kind::index, index}, kind, sink);
  });
}

bool is_pickle_name(const std::filesystem::path& path) {
  const std::string extension = lowercase_extension(path);
  return extension == ".pkl" || extension == ".pickle";
}

}  // namespace

int NativeImporter::probe(const sdk::Input& input) const {
  if (pickle::looks_like_pickle(input.head))
    return 95;
  if (is_pickle_name(input.path))
    return 60;  // read() says why it is not a pickle ea reads (e.g. protocol 1)
  const std::string_view head = trim_front(input.head);
  if (head.empty())
    return 0;
  const bool names_data_hash = head.find("\"data_hash\"") != std::string_view::npos;
  const std::string extension = lowercase_extension(input.path);
  if (head.front() == '{') {
    if (extension == ".jsonl" || extension == ".ndjson")
      return names_data_hash ? 90 : 60;
    return names_data_hash ? 70 : 0;
  }
  if (head.front() == '[')
    return names_data_hash ? 80 : 0;
  return 0;
}

void NativeImporter::read(const sdk::Input& input, sdk::ImportKind kind, const sdk::OptionValues&,
                          const sdk::ProjectView&, sdk::RecordSink& sink) const {
  if (std::filesystem::is_directory(input.path)) {
    throw sdk::InputError("is a folder; the native format is one JSON, JSON Lines or .pkl file");
  }
  if (pickle::looks_like_pickle(input.head) || is_pickle_name(input.path)) {
    if (kind != sdk::ImportKind::predictions)
      throw sdk::UsageError("a .pkl file holds predictions; use `ea import predictions`");
    return read_pickled_predictions_file(input.path, sink);
  }
  const std::string_view head = trim_front(input.head);
  if (head.empty())
    throw sdk::InputError("the file is empty");
  if (head.front() == '[') {
    read_array(input.path, kind, sink);
  } else {
    read_lines(input.path, kind, sink);
  }
}

std::unique_ptr<sdk::Importer> make_native_importer() {
  return std::make_unique<NativeImporter>();
}

}  // namespace ea::native
