#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "pipeline/delivery_transport.h"
#include "s3/bucket_uploader.h"

namespace medvqa::pipeline {

// An instance to upload and where its bytes are: a file of the node's store (streamed), or the
// bytes Orthanc stores (read through its API).
struct Upload {
  OutgoingInstance instance;
  std::variant<std::filesystem::path, std::string> content;
};
// The byte source of a front door; nullopt when the instance is no longer stored.
using UploadReader = std::function<std::optional<Upload>(const std::string& sopInstanceUid)>;

// Uploads to the configured S3 buckets ("s3:<name>" destinations) under the node's object keys,
// one connection per bucket per pass (s3::BucketUploader::uploadBatch): the same loop for both
// front doors, only the byte source differs.
class S3Transport final : public DeliveryTransport {
 public:
  S3Transport(const std::vector<s3::S3Destination>& buckets, UploadReader read)
      : buckets_(buckets), read_(std::move(read)) {}

  std::optional<DeliveryTarget> target(const std::string& destination) const override;
  void deliver(const std::string& destination, const std::vector<Delivery>& batch, DeliveryReport& report) override;

 private:
  s3::BucketUploader buckets_;
  UploadReader read_;
};

}  // namespace medvqa::pipeline
