// SPDX-License-Identifier: Apache-2.0
#include "ea/core/hashing.hpp"

#include <array>
#include <fstream>
#include <memory>
#include <vector>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <boost/uuid/name_generator_sha1.hpp>
#include <boost/uuid/uuid_io.hpp>

#include "ea/core/failure.hpp"

namespace ea::core {

namespace {

struct DigestContextDeleter {
  void operator()(EVP_MD_CTX* context) const noexcept { EVP_MD_CTX_free(context); }
};

class Sha256 {
 public:
  Sha256() : context_(EVP_MD_CTX_new()) {
    if (!context_ || EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr) != 1) {
      throw Failure("cannot initialise SHA-256 (OpenSSL).");
    }
  }
  void update(const void* data, std::size_t size) { EVP_DigestUpdate(context_.get(), data, size); }
  std::string hex() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned size = 0;
    EVP_DigestFinal_ex(context_.get(), digest.data(), &size);
    std::string text;
    for (unsigned i = 0; i < size; ++i)
      text += fmt::format("{:02x}", digest[i]);
    return text;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, DigestContextDeleter> context_;
};

// ea's UUID namespace: data hashes are version-5 UUIDs of relative media paths within it.
constexpr boost::uuids::uuid kNamespace = {{0x6f, 0x1c, 0x2e, 0x9a, 0x54, 0x0d, 0x4b, 0x8e, 0x9f,
                                            0x61, 0x3a, 0x52, 0xd7, 0x0c, 0x11, 0xea}};

}  // namespace

std::string sha256_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw Failure("cannot read " + file.string() + ".");
  Sha256 hash;
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    hash.update(buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  return hash.hex();
}

std::string sha256_text(std::string_view text) {
  Sha256 hash;
  hash.update(text.data(), text.size());
  return hash.hex();
}

std::string stable_uuid(std::string_view name) {
  const boost::uuids::name_generator_sha1 generate(kNamespace);
  return boost::uuids::to_string(generate(name.data(), name.size()));
}

std::string short_hash(std::string_view kind, std::string_view name, std::string_view detail) {
  std::string key;
  key.append(kind).push_back('\0');
  key.append(name).push_back('\0');
  key.append(detail);
  return sha256_text(key).substr(0, 8);
}

}  // namespace ea::core
