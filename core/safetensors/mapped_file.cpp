#include "core/safetensors/mapped_file.h"

#include "core/errors.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cosmos3::safetensors {
namespace {

// Closes the descriptor on every path out of open(); the mapping outlives it.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string system_error_text() { return std::strerror(errno); }

}  // namespace

std::shared_ptr<const MappedFile> MappedFile::open(const std::filesystem::path& path) {
  const std::string path_text = path.string();
  FileDescriptor fd(::open(path_text.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    throw CheckpointError(path_text, "", "cannot open: " + system_error_text());
  }
  struct stat file_status {};
  if (::fstat(fd.get(), &file_status) != 0) {
    throw CheckpointError(path_text, "", "cannot stat: " + system_error_text());
  }
  if (!S_ISREG(file_status.st_mode)) {
    throw CheckpointError(path_text, "", "is not a regular file");
  }
  const auto size = static_cast<std::size_t>(file_status.st_size);
  if (size == 0) {
    // mmap rejects empty files; an empty file has no header to read either.
    return std::shared_ptr<const MappedFile>(new MappedFile(path_text, nullptr, 0));
  }
  void* address = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd.get(), 0);
  if (address == MAP_FAILED) {
    throw CheckpointError(path_text, "", "cannot memory-map: " + system_error_text());
  }
  return std::shared_ptr<const MappedFile>(
      new MappedFile(path_text, static_cast<const std::byte*>(address), size));
}

MappedFile::MappedFile(std::string path, const std::byte* data, std::size_t size)
    : path_(std::move(path)), data_(data), size_(size) {}

MappedFile::~MappedFile() {
  if (data_ != nullptr) {
    ::munmap(const_cast<std::byte*>(data_), size_);
  }
}

}  // namespace cosmos3::safetensors
