#pragma once

#include <string>

namespace medvqa::s3 {

// What an S3 service said about a refused request, from its XML error body
// (<Error><Code>SignatureDoesNotMatch</Code><Message>...</Message>...</Error>).
struct ServiceError {
  std::string code;     // empty when the body held none (a proxy's HTML page, a HEAD answer)
  std::string message;
};

ServiceError parseServiceError(const std::string& body);

// "HTTP 403 SignatureDoesNotMatch: The request signature we calculated does not match..." (the
// code and message when the body had them).
std::string describe(int httpStatus, const ServiceError& error);

}  // namespace medvqa::s3
