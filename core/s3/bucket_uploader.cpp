#include "s3/bucket_uploader.h"

#include "common/error.h"
#include "common/log.h"
#include "s3/object_key.h"

namespace medvqa::s3 {
namespace {

constexpr const char* kDicom = "application/dicom";

std::string keyOf(const S3Client& client, const InstanceUids& uids) {
  return objectKey(client.destination().prefix, uids.study, uids.series, uids.sopInstance);
}

// S3Client's Network errors: the endpoint is down, slow or answering 5xx.
bool isUnreachable(const std::exception& e) {
  const auto* error = dynamic_cast<const Error*>(&e);
  return error && error->code() == ErrorCode::Network;
}

}  // namespace

void uploadInstance(S3Client& client, const InstanceUids& uids, const std::filesystem::path& file) {
  client.putObject(keyOf(client, uids), file, kDicom);
}

void uploadInstanceBytes(S3Client& client, const InstanceUids& uids, std::string_view bytes) {
  client.putBytes(keyOf(client, uids), bytes, kDicom);
}

BucketUploader::BucketUploader(const std::vector<S3Destination>& buckets) {
  for (const auto& bucket : buckets) buckets_.emplace(bucket.outboxDestination(), bucket);
}

bool BucketUploader::isBucketDestination(const std::string& outboxDestination) {
  return outboxDestination.rfind("s3:", 0) == 0;
}

const S3Destination* BucketUploader::find(const std::string& outboxDestination) const {
  const auto it = buckets_.find(outboxDestination);
  return it == buckets_.end() ? nullptr : &it->second;
}

std::size_t BucketUploader::uploadBatch(const S3Destination& bucket, std::size_t count, const Put& put, const Done& done) {
  S3Client client(bucket);
  std::size_t uploaded = 0, failures = 0;
  std::string firstError;
  for (std::size_t i = 0; i < count; ++i) {
    try {
      put(client, i);
      done(i, {});
      ++uploaded;
    } catch (const std::exception& e) {
      if (firstError.empty()) firstError = e.what();
      done(i, e.what());
      ++failures;
      if (!isUnreachable(e)) continue;
      const std::string skipped = std::string("not tried after an earlier upload failed: ") + e.what();
      for (++i; i < count; ++i, ++failures) done(i, skipped);
    }
  }
  if (failures) {
    log::warn("upload to " + bucket.outboxDestination() + ": " + std::to_string(failures) + " of " +
              std::to_string(count) + " failed, retried later; first: " + firstError);
  }
  return uploaded;
}

}  // namespace medvqa::s3
