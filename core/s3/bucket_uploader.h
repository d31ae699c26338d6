#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "s3/s3_client.h"
#include "s3/s3_config.h"

namespace medvqa::s3 {

// The UIDs an instance is filed under in a bucket (object_key.h).
struct InstanceUids {
  std::string study;
  std::string series;
  std::string sopInstance;
};

// PUTs one instance under objectKey(prefix, study, series, sop) as application/dicom: from the
// node's store (a file) or from Orthanc's (bytes read through its API). Throws what S3Client
// throws, Error(InvalidArgument) for a UID objectKey refuses.
void uploadInstance(S3Client& client, const InstanceUids& uids, const std::filesystem::path& file);
void uploadInstanceBytes(S3Client& client, const InstanceUids& uids, std::string_view bytes);

// The configured buckets by outbox destination ("s3:<name>"), and one pass of due entries to one
// of them: pipeline::S3Transport's, behind both front doors' DeliverySender.
class BucketUploader {
 public:
  // `put(client, i)` uploads the batch's i-th entry (throws on failure); `done(i, error)` records its
  // outcome, an empty error meaning sent.
  using Put = std::function<void(S3Client& client, std::size_t index)>;
  using Done = std::function<void(std::size_t index, const std::string& error)>;

  explicit BucketUploader(const std::vector<S3Destination>& buckets);

  // Whether an outbox destination is meant for a bucket, configured or not.
  static bool isBucketDestination(const std::string& outboxDestination);
  // nullptr when no configured bucket has this outbox destination.
  const S3Destination* find(const std::string& outboxDestination) const;

  // Uploads `count` entries in order over one connection. After an error saying the endpoint is
  // unreachable, the rest are reported failed untried: they would only wait on the same endpoint
  // and back off with it. Logs one warning per pass with failures; returns how many were sent.
  static std::size_t uploadBatch(const S3Destination& bucket, std::size_t count, const Put& put, const Done& done);

 private:
  std::map<std::string, S3Destination> buckets_;
};

}  // namespace medvqa::s3
