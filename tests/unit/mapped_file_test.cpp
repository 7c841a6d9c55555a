// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <unistd.h>

#include <string>

#include "ea/sdk/error.hpp"
#include "ea/sdk/mapped_file.hpp"
#include "test_support.hpp"

TEST_CASE("a mapped file holds the file's bytes followed by readable zeros") {
  const ea::test::TempDir dir;
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  constexpr std::size_t kPadding = 64;
  // Sizes where the padding falls inside the file's last page, exactly after it, or across it.
  for (const std::size_t size :
       {std::size_t{0}, std::size_t{1}, page - kPadding, page - 1, page, page + 1, 3 * page}) {
    CAPTURE(size);
    std::string content(size, '\0');
    for (std::size_t i = 0; i < size; ++i)
      content[i] = static_cast<char>('a' + i % 26);
    const auto file = dir / ("bytes" + std::to_string(size));
    ea::test::write_file(file, content);
    const ea::sdk::MappedFile mapped(file, kPadding);
    CHECK(mapped.bytes() == content);
    REQUIRE(mapped.capacity() >= size + kPadding);
    const char* past = mapped.bytes().data() + size;
    std::size_t zeros = 0;
    for (std::size_t i = 0; i < kPadding; ++i)
      zeros += past[i] == '\0' ? 1 : 0;
    CHECK(zeros == kPadding);
  }
  CHECK_THROWS_AS(ea::sdk::MappedFile(dir / "missing", kPadding), ea::sdk::InputError);
  CHECK_THROWS_AS(ea::sdk::MappedFile(dir.path(), kPadding), ea::sdk::InputError);  // a folder
}
