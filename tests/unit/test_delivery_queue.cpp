#include <gtest/gtest.h>

#include <filesystem>

#include "pipeline/delivery_queue.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using medvqa::pipeline::DeliveryQueue;
using medvqa::pipeline::DeliveryState;
using medvqa::pipeline::RetryPolicy;

namespace {

fs::path freshDb(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("medvqa-deliveries-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir / "outbox.sqlite";
}

TEST(DeliveryQueue, AnSrIsOwedOncePerDestination) {
  DeliveryQueue q(freshDb("once"), RetryPolicy{.maxAttempts = 0});
  EXPECT_TRUE(q.add("1.2.3", "PACS", 0));
  EXPECT_FALSE(q.add("1.2.3", "PACS", 1)) << "a re-run of the same job must not send twice";
  EXPECT_TRUE(q.add("1.2.3", "ARCHIVE", 2));
  EXPECT_EQ(q.due(10, 10).size(), 2u);
  q.markSent(q.due(10, 10)[0].id, 11);
  EXPECT_EQ(q.due(20, 10).size(), 1u);
  EXPECT_EQ(q.forInstance("1.2.3")[0].state, DeliveryState::Sent);
}

TEST(DeliveryQueue, ADestinationThatIsDownDelaysButNeverDrops) {
  const auto file = freshDb("down");
  std::int64_t id = 0;
  {
    DeliveryQueue q(file, RetryPolicy{.maxAttempts = 0, .initialBackoff = 1000ms, .maxBackoff = 4000ms});
    q.add("1.2.3", "PACS", 0);
    id = q.due(0, 1).at(0).id;
    std::int64_t now = 0;
    for (int i = 0; i < 20; ++i) {  // long outage: backoff grows to its cap, the entry stays
      q.markFailed(id, "association refused", now);
      const auto next = q.nextDueAtMs();
      ASSERT_TRUE(next);
      EXPECT_LE(*next - now, 4000);
      EXPECT_TRUE(q.due(*next - 1, 10).empty());
      now = *next;
    }
    EXPECT_EQ(q.forInstance("1.2.3")[0].attempts, 20);
    EXPECT_EQ(q.forInstance("1.2.3")[0].lastError, "association refused");
  }
  DeliveryQueue reopened(file, RetryPolicy{});  // the node restarts during the outage
  const auto pending = reopened.due(1'000'000, 10);
  ASSERT_EQ(pending.size(), 1u);
  reopened.markSent(pending[0].id, 1'000'001);
  EXPECT_FALSE(reopened.nextDueAtMs());
}

TEST(DeliveryQueue, ABoundedPolicyKeepsTheEntryAsFailed) {
  DeliveryQueue q(freshDb("bounded"), RetryPolicy{.maxAttempts = 2, .initialBackoff = 10ms});
  q.add("1.2.3", "PACS", 0);
  const auto id = q.due(0, 1).at(0).id;
  q.markFailed(id, "refused", 0);
  q.markFailed(id, "refused again", 100);
  const auto d = q.forInstance("1.2.3").at(0);
  EXPECT_EQ(d.state, DeliveryState::Failed);
  EXPECT_EQ(d.lastError, "refused again");
  EXPECT_TRUE(q.due(1'000'000, 10).empty());
  EXPECT_EQ(q.all(10).size(), 1u);
}

}  // namespace
