// One pass of due entries to one bucket (core/s3/bucket_uploader), shared by the node's
// DeliverySender and the Orthanc plugin's forwarder: which outbox destinations are buckets, and
// what happens to the rest of a pass when an upload fails. No S3 server: the uploads themselves
// are the callers' (tests/integration/test_s3_export.cpp, tests/plugin/test_plugin_s3.cpp).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "common/error.h"
#include "s3/bucket_uploader.h"

namespace {

using medvqa::Error;
using medvqa::ErrorCode;
using medvqa::s3::BucketUploader;
using medvqa::s3::S3Client;
using medvqa::s3::S3Destination;

S3Destination bucketNamed(const std::string& name) {
  S3Destination d;
  d.name = name;
  d.bucket = name + "-bucket";
  d.endpoint.host = "127.0.0.1";
  d.endpoint.port = 9;
  return d;
}

TEST(S3BucketUploader, FindsConfiguredBucketsByOutboxDestinationOnly) {
  const BucketUploader buckets({bucketNamed("archive"), bucketNamed("research")});
  ASSERT_NE(buckets.find("s3:research"), nullptr);
  EXPECT_EQ(buckets.find("s3:research")->bucket, "research-bucket");
  EXPECT_EQ(buckets.find("s3:gone"), nullptr);
  EXPECT_EQ(buckets.find("research"), nullptr);
  EXPECT_TRUE(BucketUploader::isBucketDestination("s3:gone"));
  EXPECT_FALSE(BucketUploader::isBucketDestination("PACS"));
  EXPECT_FALSE(BucketUploader::isBucketDestination("xs3:a"));
}

// One pass of `count` entries where entry `failing` throws `error`: which entries were tried, what
// `done` reported for each (index -> error, "" for sent), and what the pass returned.
struct Pass {
  std::vector<std::size_t> tried;
  std::map<std::size_t, std::string> outcomes;
  std::size_t uploaded = 0;
};

Pass runPass(std::size_t count, std::size_t failing, const Error& error) {
  Pass pass;
  pass.uploaded = BucketUploader::uploadBatch(
      bucketNamed("archive"), count,
      [&](S3Client&, std::size_t i) {
        pass.tried.push_back(i);
        if (i == failing) throw error;
      },
      [&](std::size_t i, const std::string& why) {
        EXPECT_TRUE(pass.outcomes.emplace(i, why).second) << "entry " << i << " reported twice";
      });
  return pass;
}

TEST(S3BucketUploader, ARefusedEntryFailsAloneAndThePassGoesOn) {
  const Pass pass = runPass(3, 1, Error(ErrorCode::Config, "refused: AccessDenied"));
  EXPECT_EQ(pass.tried, (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_EQ(pass.uploaded, 2u);
  ASSERT_EQ(pass.outcomes.size(), 3u);
  EXPECT_EQ(pass.outcomes.at(0), "");
  EXPECT_NE(pass.outcomes.at(1).find("AccessDenied"), std::string::npos);
  EXPECT_EQ(pass.outcomes.at(2), "");
}

TEST(S3BucketUploader, AnUnreachableEndpointEndsThePassAndTheRestFailUntried) {
  const Pass pass = runPass(4, 1, Error(ErrorCode::Network, "cannot connect"));
  EXPECT_EQ(pass.tried, (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(pass.uploaded, 1u);
  ASSERT_EQ(pass.outcomes.size(), 4u);
  EXPECT_EQ(pass.outcomes.at(0), "");
  EXPECT_EQ(pass.outcomes.at(1), "cannot connect");
  for (std::size_t i : {2u, 3u}) {
    EXPECT_NE(pass.outcomes.at(i).find("not tried after an earlier upload failed: cannot connect"), std::string::npos)
        << i;
  }
}

}  // namespace
