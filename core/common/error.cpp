#include "common/error.h"

namespace medvqa {

const char* toString(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::InvalidArgument: return "invalid_argument";
    case ErrorCode::NotFound: return "not_found";
    case ErrorCode::LimitExceeded: return "limit_exceeded";
    case ErrorCode::Io: return "io";
    case ErrorCode::Database: return "database";
    case ErrorCode::Dicom: return "dicom";
    case ErrorCode::Network: return "network";
    case ErrorCode::Config: return "config";
  }
  return "unknown";
}

}  // namespace medvqa
