#include "pipeline/s3_transport.h"

#include "common/error.h"

namespace medvqa::pipeline {

std::optional<DeliveryTarget> S3Transport::target(const std::string& destination) const {
  const s3::S3Destination* bucket = buckets_.find(destination);
  if (!bucket) return std::nullopt;
  return DeliveryTarget{DeliveryTarget::Kind::Bucket, "s3://" + bucket->bucket + "/" + bucket->prefix, {}};
}

void S3Transport::deliver(const std::string& destination, const std::vector<Delivery>& batch,
                          DeliveryReport& report) {
  const s3::S3Destination& bucket = *buckets_.find(destination);
  s3::BucketUploader::uploadBatch(
      bucket, batch.size(),
      [&](s3::S3Client& client, std::size_t i) {
        const std::string& sop = batch[i].sopInstanceUid;
        const auto upload = read_(sop);
        if (!upload) throw Error(ErrorCode::NotFound, "instance " + sop + " is no longer stored");
        report.resolved(i, upload->instance);
        const s3::InstanceUids uids{upload->instance.studyInstanceUid, upload->instance.seriesInstanceUid, sop};
        if (const auto* file = std::get_if<std::filesystem::path>(&upload->content)) {
          s3::uploadInstance(client, uids, *file);
        } else {
          s3::uploadInstanceBytes(client, uids, std::get<std::string>(upload->content));
        }
      },
      [&](std::size_t i, const std::string& error) {
        if (error.empty()) {
          report.sent(i);
        } else {
          report.failed(i, error);
        }
      });
}

}  // namespace medvqa::pipeline
