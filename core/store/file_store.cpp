#include "store/file_store.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "common/error.h"

namespace medvqa::store {
namespace fs = std::filesystem;

namespace {

std::atomic<std::uint64_t> g_tempCounter{0};

[[noreturn]] void throwIo(const std::string& what, const fs::path& p) {
  throw Error(ErrorCode::Io, what + " " + p.string() + ": " + std::strerror(errno));
}

// RAII file descriptor, only what fsync needs.
class Fd {
 public:
  Fd(const fs::path& p, int flags) : fd_(::open(p.c_str(), flags | O_CLOEXEC)) {
    if (fd_ < 0) throwIo("cannot open", p);
  }
  ~Fd() { ::close(fd_); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  void sync(const fs::path& p) const {
    if (::fsync(fd_) != 0) throwIo("fsync failed on", p);
  }

 private:
  int fd_;
};

std::string sha256Hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  return out;
}

// Creates missing directories and fsyncs each new one's parent, so the path to a committed file
// is itself durable.
void createDurableDirectories(const fs::path& root, const fs::path& relativeDir) {
  fs::path current = root;
  for (const auto& part : relativeDir) {
    const fs::path next = current / part;
    std::error_code ec;
    if (fs::create_directory(next, ec)) syncDirectory(current);
    if (ec) throw Error(ErrorCode::Io, "cannot create " + next.string() + ": " + ec.message());
    current = next;
  }
}

}  // namespace

void syncDirectory(const fs::path& dir) { Fd(dir, O_RDONLY | O_DIRECTORY).sync(dir); }

FileStore::FileStore(fs::path root) : root_(std::move(root)), tmp_(root_ / "tmp"), pid_(::getpid()) {
  std::error_code ec;
  fs::create_directories(tmp_, ec);
  if (ec) throw Error(ErrorCode::Io, "cannot create storage folder " + tmp_.string() + ": " + ec.message());
  // The 256 fan-out folders exist from the first start on, so storing an instance never has to
  // create (and fsync) a directory: one fsync for the file, one for its folder.
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 256; ++i) {
    createDurableDirectories(root_, fs::path("instances") / std::string{kHex[i >> 4], kHex[i & 0xF]});
  }
  if (::access(tmp_.c_str(), W_OK) != 0) throwIo("storage folder is not writable:", tmp_);
}

fs::path FileStore::newTempPath() {
  return tmp_ / ("in-" + std::to_string(pid_) + "-" + std::to_string(++g_tempCounter) + ".part");
}

bool FileStore::writable() noexcept {
  const fs::path probe = newTempPath();
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  const bool wrote = ::write(fd, "x", 1) == 1;
  ::close(fd);
  ::unlink(probe.c_str());
  return wrote;
}

std::string FileStore::relativePathFor(const std::string& sopInstanceUid) {
  const std::string hash = sha256Hex(sopInstanceUid);
  return "instances/" + hash.substr(0, 2) + "/" + hash + ".dcm";
}

fs::path FileStore::absolute(const std::string& relativePath) const { return root_ / relativePath; }

void FileStore::commit(const fs::path& temp, const std::string& relativePath) {
  Fd(temp, O_RDONLY).sync(temp);
  const fs::path target = root_ / relativePath;
  if (::rename(temp.c_str(), target.c_str()) != 0) throwIo("cannot move instance into", target);
  syncDirectory(target.parent_path());
}

void FileStore::remove(const std::string& relativePath) noexcept {
  std::error_code ec;
  fs::remove(root_ / relativePath, ec);
}

std::size_t FileStore::purgeTemp() noexcept {
  std::size_t removed = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(tmp_, ec)) {
    std::error_code removeEc;
    if (fs::remove(entry.path(), removeEc)) ++removed;
  }
  return removed;
}

TempFile::~TempFile() {
  if (path_.empty()) return;
  std::error_code ec;
  fs::remove(path_, ec);
}

}  // namespace medvqa::store
