#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace medvqa::scp {

// The ports a started node listens on, as bound: a port asked for as 0 is the one the OS picked.
// Unset: that listener is off.
struct ListeningPorts {
  std::optional<std::uint16_t> dicom;
  std::optional<std::uint16_t> tls;
  std::optional<std::uint16_t> http;
};

// {"dicom": N, "http": N, "tls": N}: one key per listener, none for a listener that is off.
std::string portsJson(const ListeningPorts& ports);

// --ports-file: writes portsJson(ports) to a temporary file beside `file` and renames it over
// `file`, so that a reader sees either no file or the whole of it. Throws Error(Io) naming the file.
void writePortsFile(const std::filesystem::path& file, const ListeningPorts& ports);

// Removes `file` if it is there (at start, so that a file left by an earlier run is never
// mistaken for this one's, and at a clean stop). Never throws.
void removePortsFile(const std::filesystem::path& file) noexcept;

}  // namespace medvqa::scp
