// SPDX-License-Identifier: Apache-2.0
#include "mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ea/sdk/error.hpp"

namespace ea::native {

namespace {

// Closes a file descriptor with its scope; the mapping stays valid after the close.
struct Descriptor {
  int fd;
  ~Descriptor() {
    if (fd >= 0)
      ::close(fd);
  }
};

}  // namespace

MappedFile::MappedFile(const std::filesystem::path& file) {
  const Descriptor opened{::open(file.c_str(), O_RDONLY | O_CLOEXEC)};
  struct stat status {};
  if (opened.fd < 0 || ::fstat(opened.fd, &status) != 0 || !S_ISREG(status.st_mode))
    throw sdk::InputError("cannot read the file");
  size_ = static_cast<std::size_t>(status.st_size);
  if (size_ == 0)
    return;  // nothing to map; bytes() is empty
  // MAP_POPULATE maps the whole file at once: one call instead of a page fault every 4 KiB.
  void* mapped = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, opened.fd, 0);
  if (mapped == MAP_FAILED)
    throw sdk::InputError("cannot read the file");
  data_ = static_cast<const char*>(mapped);
}

MappedFile::~MappedFile() {
  if (data_ != nullptr)
    ::munmap(const_cast<char*>(data_), size_);
}

}  // namespace ea::native
