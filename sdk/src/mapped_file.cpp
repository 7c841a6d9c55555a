// SPDX-License-Identifier: Apache-2.0
#include "ea/sdk/mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ea/sdk/error.hpp"

namespace ea::sdk {

namespace {

// Closes a file descriptor with its scope; the mapping stays valid after the close.
struct Descriptor {
  int fd;
  ~Descriptor() {
    if (fd >= 0)
      ::close(fd);
  }
};

std::size_t page_size() {
  return static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

}  // namespace

MappedFile::MappedFile(const std::filesystem::path& file, std::size_t padding) {
  const Descriptor opened{::open(file.c_str(), O_RDONLY | O_CLOEXEC)};
  struct stat status {};
  if (opened.fd < 0 || ::fstat(opened.fd, &status) != 0 || !S_ISREG(status.st_mode))
    throw InputError("cannot read the file");
  size_ = static_cast<std::size_t>(status.st_size);
  if (size_ + padding == 0)
    return;  // nothing to map; bytes() is empty
  // Pages past the end of a file cannot be read from its mapping, so the whole span is first
  // reserved as zeroed anonymous memory and the file is mapped over its start.
  const std::size_t page = page_size();
  mapped_ = (size_ + padding + page - 1) / page * page;
  void* span = ::mmap(nullptr, mapped_, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (span == MAP_FAILED)
    throw InputError("cannot read the file");
  data_ = static_cast<char*>(span);
  if (size_ == 0)
    return;
  // MAP_POPULATE maps the whole file at once: one call instead of a page fault every 4 KiB.
  if (::mmap(span, size_, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, opened.fd, 0) ==
      MAP_FAILED) {
    ::munmap(span, mapped_);
    data_ = nullptr;
    throw InputError("cannot read the file");
  }
}

MappedFile::~MappedFile() {
  if (data_ != nullptr)
    ::munmap(data_, mapped_);
}

}  // namespace ea::sdk
