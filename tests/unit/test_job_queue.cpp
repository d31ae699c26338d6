#include <gtest/gtest.h>

#include <filesystem>
#include <thread>
#include <set>

#include "common/error.h"
#include "pipeline/job_queue.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using medvqa::pipeline::Job;
using medvqa::pipeline::JobKey;
using medvqa::pipeline::JobQueue;
using medvqa::pipeline::JobState;
using medvqa::pipeline::RetryPolicy;

namespace {

class JobQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("medvqa-jobs-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path db() const { return dir_ / "jobs.sqlite"; }
  static RetryPolicy policy() { return RetryPolicy{.maxAttempts = 3, .initialBackoff = 1000ms, .maxBackoff = 3000ms}; }
  static JobKey key(const std::string& study, const std::string& fingerprint = "f1") {
    return {study, "chest", "medvqa-demo/1.0.0", fingerprint};
  }

  fs::path dir_;
};

TEST_F(JobQueueTest, EnqueueIsIdempotentPerStudyRuleSetModelAndContents) {
  JobQueue q(db(), policy());
  const auto first = q.enqueue(key("1.2.3"), 1000);
  EXPECT_TRUE(first.created);
  const auto again = q.enqueue(key("1.2.3"), 2000);
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.id, first.id);
  const auto changed = q.enqueue(key("1.2.3", "f2"), 3000);  // late instances: new contents
  EXPECT_TRUE(changed.created);
  EXPECT_NE(changed.id, first.id);
  EXPECT_EQ(q.jobsForStudy("1.2.3").size(), 2u);
}

TEST_F(JobQueueTest, JobsSurviveReopening) {
  std::int64_t id = 0;
  {
    JobQueue q(db(), policy());
    id = q.enqueue(key("1.2.3"), 1000).id;
  }
  JobQueue reopened(db(), policy());
  const auto job = reopened.job(id);
  ASSERT_TRUE(job);
  EXPECT_EQ(job->state, JobState::Pending);
  EXPECT_EQ(job->key.studyUid, "1.2.3");
  EXPECT_FALSE(reopened.enqueue(key("1.2.3"), 5000).created);
}

TEST_F(JobQueueTest, ClaimLeasesTheOldestDueJobOnce) {
  JobQueue q(db(), policy());
  const auto a = q.enqueue(key("1.1"), 1000).id;
  const auto b = q.enqueue(key("1.2"), 1001).id;
  const auto first = q.claim("w1", 30s, 2000);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->id, a);
  EXPECT_EQ(first->state, JobState::Running);
  EXPECT_EQ(first->attempts, 1);
  EXPECT_EQ(first->leaseOwner, "w1");
  const auto second = q.claim("w2", 30s, 2000);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->id, b);
  EXPECT_FALSE(q.claim("w3", 30s, 2000)) << "both jobs are leased";
}

TEST_F(JobQueueTest, AnExpiredLeaseIsClaimedAgainAndTheOldWorkerLosesIt) {
  JobQueue q(db(), policy());
  const auto id = q.enqueue(key("1.1"), 1000).id;
  ASSERT_TRUE(q.claim("crashed", 10s, 1000));
  EXPECT_FALSE(q.claim("w2", 10s, 5000)) << "lease still valid";
  const auto retaken = q.claim("w2", 10s, 11001);
  ASSERT_TRUE(retaken);
  EXPECT_EQ(retaken->id, id);
  EXPECT_EQ(retaken->attempts, 2);
  EXPECT_FALSE(q.complete(id, "crashed", "{}", "", 11002)) << "a worker that lost its lease must not complete";
  EXPECT_FALSE(q.renewLease(id, "crashed", 10s, 11002));
  EXPECT_TRUE(q.renewLease(id, "w2", 10s, 11002));
  EXPECT_TRUE(q.complete(id, "w2", R"({"answers":[]})", "1.2.826.0.1.3", 11003));
  const auto done = q.job(id);
  EXPECT_EQ(done->state, JobState::Done);
  EXPECT_EQ(done->srSopInstanceUid, "1.2.826.0.1.3");
  EXPECT_EQ(done->resultJson, R"({"answers":[]})");
  EXPECT_FALSE(q.claim("w3", 10s, 99999)) << "a done job is never claimed again";
}

TEST_F(JobQueueTest, FailuresBackOffThenTheJobIsKeptAsFailedWithItsError) {
  JobQueue q(db(), policy());
  const auto id = q.enqueue(key("1.1"), 0).id;
  ASSERT_TRUE(q.claim("w", 10s, 0));
  ASSERT_TRUE(q.fail(id, "w", "pixel data undecodable", 100));
  auto job = q.job(id);
  EXPECT_EQ(job->state, JobState::Pending);
  EXPECT_EQ(job->nextAttemptAtMs, 1100);  // 1 s after the first failure
  EXPECT_FALSE(q.claim("w", 10s, 1099)) << "not due before its backoff";
  ASSERT_TRUE(q.claim("w", 10s, 1100));
  ASSERT_TRUE(q.fail(id, "w", "again", 1200));
  EXPECT_EQ(q.job(id)->nextAttemptAtMs, 3200);  // 2 s
  ASSERT_TRUE(q.claim("w", 10s, 3200));
  ASSERT_TRUE(q.fail(id, "w", "for good", 3300));
  job = q.job(id);
  EXPECT_EQ(job->state, JobState::Failed);
  EXPECT_EQ(job->attempts, 3);
  EXPECT_EQ(job->lastError, "for good");
  EXPECT_FALSE(q.claim("w", 10s, 1'000'000));
  EXPECT_EQ(q.jobs(JobState::Failed, 10, 0).size(), 1u);
}

TEST_F(JobQueueTest, LatestDoneNamesThePredecessorOfAReanswer) {
  JobQueue q(db(), policy());
  const auto first = q.enqueue(key("1.1", "f1"), 0).id;
  ASSERT_TRUE(q.claim("w", 10s, 0));
  ASSERT_TRUE(q.complete(first, "w", "{}", "1.2.3.100", 1));
  const auto second = q.enqueue(key("1.1", "f2"), 2).id;
  const auto predecessor = q.latestDone("1.1", "chest", second);
  ASSERT_TRUE(predecessor);
  EXPECT_EQ(predecessor->srSopInstanceUid, "1.2.3.100");
  EXPECT_FALSE(q.latestDone("1.1", "ct", second));
  EXPECT_FALSE(q.latestDone("1.1", "chest", first));
}

TEST_F(JobQueueTest, ConcurrentWorkersNeverClaimTheSameJob) {
  JobQueue q(db(), policy());
  constexpr int kJobs = 200;
  for (int i = 0; i < kJobs; ++i) q.enqueue(key("1.9." + std::to_string(i)), 0);
  std::mutex m;
  std::multiset<std::int64_t> claimed;
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      const std::string name = "w" + std::to_string(w);
      while (auto job = q.claim(name, 60s, 1)) {
        EXPECT_TRUE(q.complete(job->id, name, "{}", "", 2));
        std::lock_guard lock(m);
        claimed.insert(job->id);
      }
    });
  }
  for (auto& t : workers) t.join();
  EXPECT_EQ(claimed.size(), static_cast<std::size_t>(kJobs));
  EXPECT_EQ(std::set<std::int64_t>(claimed.begin(), claimed.end()).size(), static_cast<std::size_t>(kJobs));
  EXPECT_EQ(q.jobs(JobState::Done, 1000, 0).size(), static_cast<std::size_t>(kJobs));
}

TEST_F(JobQueueTest, UnknownStateNamesAreRefused) {
  EXPECT_THROW(medvqa::pipeline::parseJobState("finished"), medvqa::Error);
  EXPECT_EQ(medvqa::pipeline::parseJobState("failed"), JobState::Failed);
}

}  // namespace
