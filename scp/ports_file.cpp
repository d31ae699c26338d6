#include "ports_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "common/error.h"

namespace medvqa::scp {

std::string portsJson(const ListeningPorts& ports) {
  nlohmann::json j = nlohmann::json::object();
  if (ports.dicom) j["dicom"] = *ports.dicom;
  if (ports.tls) j["tls"] = *ports.tls;
  if (ports.http) j["http"] = *ports.http;
  return j.dump() + "\n";
}

void writePortsFile(const std::filesystem::path& file, const ListeningPorts& ports) {
  const std::string text = portsJson(ports);
  const std::filesystem::path temp = file.string() + ".tmp." + std::to_string(::getpid());
  const auto fail = [&](const std::string& what) {
    const std::string why = std::strerror(errno);
    ::unlink(temp.c_str());
    throw Error(ErrorCode::Io, "ports file " + file.string() + ": cannot " + what + ": " + why);
  };
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("create " + temp.string());
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  if (::close(fd) != 0 || !written) fail("write " + temp.string());
  if (::rename(temp.c_str(), file.c_str()) != 0) fail("rename " + temp.string() + " to it");
}

void removePortsFile(const std::filesystem::path& file) noexcept {
  std::error_code ignored;
  std::filesystem::remove(file, ignored);
}

}  // namespace medvqa::scp
