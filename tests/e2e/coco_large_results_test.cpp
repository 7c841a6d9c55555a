// SPDX-License-Identifier: Apache-2.0
// A COCO results list large enough that the importer indexes its head apart from the whole list:
// every record arrives once, in order, with its own index, and broken input is still refused whole.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "test_support.hpp"

namespace fs = std::filesystem;

namespace {

constexpr int kResults = 90'000;  // about 11 MB: more than twice the 4 MiB head

// Result `index` on one of the fce images. Its score encodes the index, so the stored row shows
// where it came from. The note is ignored by the importer; its brackets, commas and escaped quotes
// inside a string would end the head at a wrong place if the head were cut by bytes alone.
std::string result(int index, int image_id) {
  return fmt::format(
      R"({{"image_id": {}, "category_id": {}, "bbox": [{}, 10.5, 20, 30], "score": {:.17g}, )"
      R"("note": "x\"}}],[{{,\\{}"}})",
      image_id, 1 + index % 4, index % 200, static_cast<double>(index) / kResults, index);
}

std::string results(int bad_index = -1) {
  std::string text = "[\n";
  for (int i = 0; i < kResults; ++i) {
    text += (i == 0 ? "" : ",\n") + result(i, i == bad_index ? 999 : 1 + i % 3);
  }
  return text + "\n]\n";
}

class FceProject {
 public:
  FceProject() {
    const std::string gt = (ea::test::data_dir() / "coco" / "fce_gt_dataset.json").string();
    if (ea::test::ea({"-t", root().string(), "import", "project", gt}).exit_code != 0)
      throw std::runtime_error("cannot make the COCO test project");
  }
  fs::path root() const { return dir_ / "p"; }
  fs::path file(const std::string& name) const { return dir_ / name; }
  std::string digest() const { return ea::test::store_digest(root() / "ea.db"); }

  ea::test::CommandResult import(const std::string& name, const std::string& content,
                                 std::vector<std::string> extra = {}) const {
    ea::test::write_file(file(name), content);
    std::vector<std::string> arguments{"-t",           root().string(), "import", "predictions",
                                       "--no-metrics", "--format",      "coco"};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    arguments.push_back(file(name).string());
    return ea::test::ea(arguments);
  }

 private:
  ea::test::TempDir dir_;
};

}  // namespace

TEST_CASE("a large COCO results list imports every record once, in order, with its index") {
  const FceProject project;
  const auto imported = project.import("large.json", results());
  REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
  SQLite::Database db((project.root() / "ea.db").string(), SQLite::OPEN_READONLY);
  CHECK(db.execAndGet("SELECT count(*) FROM predictions").getInt64() == kResults);
  CHECK(db.execAndGet("SELECT count(DISTINCT source_record) FROM predictions").getInt64() ==
        kResults);
  CHECK(db.execAndGet("SELECT max(source_record) FROM predictions").getInt64() == kResults - 1);
  // Each row holds the values of the record at its index (image ids 1, 2, 3 are img_3, img_1 and
  // img_2), and ids follow file order.
  SQLite::Statement mismatched(
      db, fmt::format("SELECT count(*) FROM predictions p JOIN data_units d ON d.id = "
                      "p.data_unit_id WHERE p.confidence <> CAST(p.source_record AS REAL) / {} "
                      "OR p.x <> p.source_record % 200 OR d.title <> CASE p.source_record % 3 WHEN "
                      "0 THEN 'img_3.jpg' WHEN 1 THEN 'img_1.jpg' ELSE 'img_2.jpg' END OR "
                      "p.id - p.source_record <> "
                      "(SELECT min(id) FROM predictions)",
                      kResults));
  REQUIRE(mismatched.executeStep());
  CHECK(mismatched.getColumn(0).getInt64() == 0);
}

TEST_CASE("a bad record of a large COCO results list is named by its index, head or not") {
  const FceProject project;
  for (const int bad : {7, 80'000}) {
    CAPTURE(bad);
    const std::string before = project.digest();
    const auto refused = project.import("bad.json", results(bad));
    CHECK(refused.exit_code != 0);
    CHECK(ea::test::line_count(refused.err) == 1);
    CHECK(refused.err.find(fmt::format("bad.json, index {}: unknown image id 999", bad)) !=
          std::string::npos);
    CHECK(project.digest() == before);

    const auto skipped = project.import("skipped.json", results(bad),
                                        {"--skip-invalid", "--name", fmt::format("s{}", bad)});
    REQUIRE_MESSAGE(skipped.exit_code == 0, skipped.err);
    CHECK(skipped.out.find(fmt::format("index {}", bad)) != std::string::npos);
    SQLite::Database db((project.root() / "ea.db").string(), SQLite::OPEN_READONLY);
    SQLite::Statement stored(db,
                             "SELECT count(*), sum(source_record = ?) FROM predictions p JOIN "
                             "prediction_sets s ON s.id = p.set_id WHERE s.name = ?");
    stored.bind(1, bad);
    stored.bind(2, fmt::format("s{}", bad));
    REQUIRE(stored.executeStep());
    CHECK(stored.getColumn(0).getInt64() == kResults - 1);
    CHECK(stored.getColumn(1).getInt64() == 0);
  }
}

TEST_CASE("a COCO results list cut short is refused whole, past the head or not") {
  const FceProject project;
  const std::string before = project.digest();
  const std::string whole = results();
  // Cut inside a record: 80 % into the large list, and a short list inside its 300th record.
  for (const std::size_t end : {whole.size() - whole.size() / 5, whole.find("\n", 30'000)}) {
    CAPTURE(end);
    const auto refused = project.import("cut.json", whole.substr(0, end - 20));
    CHECK(refused.exit_code != 0);
    CHECK(ea::test::line_count(refused.err) == 1);
    CAPTURE(refused.err);
    CHECK(refused.err.find("cut.json: invalid JSON") != std::string::npos);
    CHECK(project.digest() == before);
  }
}
