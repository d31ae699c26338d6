#include <gtest/gtest.h>

#include <thread>

#include "common/error.h"
#include "test_vqa_support.h"
#include "vqa/batcher.h"
#include "vqa/feature_cache.h"

namespace medvqa::vqa {
namespace {

const std::vector<std::string> kQuestions = {"is there a pleural effusion?", "which side is the effusion on",
                                             "how many nodules are there", "is the heart enlarged?"};

struct Case {
  ImageInput image;
  std::vector<std::int64_t> tokens;
};

std::vector<Case> makeCases(const Model& model, int images) {
  std::vector<Case> cases;
  for (int i = 0; i < images; ++i) {
    auto pixels = std::make_shared<const std::vector<float>>(test::noiseImage(model, 100 + i));
    for (const auto& question : kQuestions) {
      cases.push_back({{FeatureCache::key("1.2.840.99." + std::to_string(i), 0), pixels}, model.tokenizer().encode(question)});
    }
  }
  return cases;
}

// The reference: one predict call per request, no batcher, no cache.
Probabilities oneByOne(const Model& model, const Case& c) {
  const std::span<const float> images[] = {*c.image.pixels};
  const std::span<const std::int64_t> tokens[] = {c.tokens};
  return model.predict(images, tokens).front();
}

void expectNear(const Probabilities& a, const Probabilities& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-5) << "answer " << i;
}

TEST(VqaBatcher, BatchedAnswersEqualOneByOne) {
  const auto model = test::tinyModel();
  const auto cases = makeCases(*model, 6);
  Batcher batcher(model, {.maxBatch = 8, .maxWait = std::chrono::milliseconds(50), .cacheCapacity = 64});
  std::vector<std::future<Probabilities>> futures;
  for (const auto& c : cases) futures.push_back(batcher.submit(c.image, c.tokens));
  for (std::size_t i = 0; i < cases.size(); ++i) expectNear(futures[i].get(), oneByOne(*model, cases[i]));
  const auto stats = batcher.stats();
  EXPECT_EQ(stats.requests, cases.size());
  EXPECT_LT(stats.batches, cases.size());  // requests were grouped
  EXPECT_EQ(stats.imagesEncoded, 6u);      // each image encoded once for its four questions
}

TEST(VqaBatcher, ForwardOnlyModelsBatchToo) {
  const auto model = test::tinyForwardModel();
  const auto cases = makeCases(*model, 3);
  Batcher batcher(model, {.maxBatch = 16, .maxWait = std::chrono::milliseconds(50)});
  std::vector<std::future<Probabilities>> futures;
  for (const auto& c : cases) futures.push_back(batcher.submit(c.image, c.tokens));
  for (std::size_t i = 0; i < cases.size(); ++i) expectNear(futures[i].get(), oneByOne(*model, cases[i]));
}

TEST(VqaBatcher, ConcurrentCallersGetTheirOwnAnswers) {
  const auto model = test::tinyModel();
  const auto cases = makeCases(*model, 8);
  std::vector<Probabilities> expected;
  for (const auto& c : cases) expected.push_back(oneByOne(*model, c));
  Batcher batcher(model, {.maxBatch = 32, .maxWait = std::chrono::milliseconds(2)});
  std::vector<std::thread> threads;
  std::vector<Probabilities> got(cases.size());
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t i = static_cast<std::size_t>(t); i < cases.size(); i += 4) {
        got[i] = batcher.submit(cases[i].image, cases[i].tokens).get();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (std::size_t i = 0; i < cases.size(); ++i) expectNear(got[i], expected[i]);
}

TEST(VqaBatcher, ABadRequestFailsOnlyItself) {
  const auto model = test::tinyModel();
  const auto cases = makeCases(*model, 2);
  Batcher batcher(model, {.maxBatch = 16, .maxWait = std::chrono::milliseconds(50)});
  std::vector<std::future<Probabilities>> futures;
  for (const auto& c : cases) futures.push_back(batcher.submit(c.image, c.tokens));
  // Malformed: refused at submission. Out-of-range token: passes submission, fails in the batch.
  auto wrongSize = batcher.submit({"x#0", std::make_shared<const std::vector<float>>(7, 0.0f)}, cases[0].tokens);
  auto badToken = cases[1].tokens;
  badToken[0] = model->tokenizer().tokenCount() + 5;
  auto outOfRange = batcher.submit(cases[1].image, badToken);
  EXPECT_THROW(wrongSize.get(), Error);
  EXPECT_THROW(outOfRange.get(), Error);
  for (std::size_t i = 0; i < cases.size(); ++i) expectNear(futures[i].get(), oneByOne(*model, cases[i]));
}

TEST(VqaBatcher, FeaturesAreReusedAcrossBatches) {
  const auto model = test::tinyModel();
  const auto cases = makeCases(*model, 2);
  Batcher batcher(model, {.maxBatch = 4, .maxWait = std::chrono::microseconds(0), .cacheCapacity = 8});
  for (const auto& c : cases) batcher.submit(c.image, c.tokens).get();  // one at a time
  const auto stats = batcher.stats();
  EXPECT_EQ(stats.imagesEncoded, 2u);
  EXPECT_EQ(stats.cacheHits, cases.size() - 2);
}

TEST(VqaBatcher, DestructionFinishesQueuedRequests) {
  const auto model = test::tinyModel();
  const auto cases = makeCases(*model, 4);
  std::vector<std::future<Probabilities>> futures;
  {
    Batcher batcher(model, {.maxBatch = 4, .maxWait = std::chrono::milliseconds(100)});
    for (const auto& c : cases) futures.push_back(batcher.submit(c.image, c.tokens));
  }
  for (auto& future : futures) EXPECT_EQ(future.get().size(), model->manifest().answers.size());
}

TEST(VqaFeatureCache, EvictsTheLeastRecentlyUsed) {
  FeatureCache cache(2);
  auto row = [](float v) { return std::make_shared<const Features>(1, v); };
  cache.put("a#0", row(1));
  cache.put("b#0", row(2));
  ASSERT_TRUE(cache.find("a#0"));  // a is now the most recent
  cache.put("c#0", row(3));
  EXPECT_TRUE(cache.find("a#0"));
  EXPECT_FALSE(cache.find("b#0"));
  EXPECT_EQ(cache.find("c#0")->front(), 3.0f);
  EXPECT_EQ(cache.size(), 2u);
  cache.put("", row(4));  // no key, never cached
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(FeatureCache::key("1.2.3", 4), "1.2.3#4");
  EXPECT_EQ(FeatureCache::key("", 4), "");
}

}  // namespace
}  // namespace medvqa::vqa
