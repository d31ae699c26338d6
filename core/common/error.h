#pragma once

#include <stdexcept>
#include <string>

namespace medvqa {

// What went wrong, coarse enough for a front door to pick a DICOM status or an HTTP status.
enum class ErrorCode {
  InvalidArgument,  // the caller's input is malformed (bad UID, bad query, bad JSON)
  NotFound,         // a study/instance/destination that does not exist
  LimitExceeded,    // a configured limit (size, count) was passed
  Io,               // filesystem failure
  Database,         // sqlite failure
  Dicom,            // DCMTK could not parse or encode
  Network,          // association / peer failure
  Config,           // bad configuration value
};

const char* toString(ErrorCode code) noexcept;

// The one exception type thrown inside core/. Front doors translate it into a DICOM status or
// an HTTP status; it never crosses a DCMTK callback.
class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const noexcept { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace medvqa
