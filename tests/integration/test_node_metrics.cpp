// What Prometheus and an orchestrator see of a running node: GET /metrics and GET /readyz.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "dicom_files.h"
#include "node_under_test.h"
#include "prometheus_text.h"

namespace fs = std::filesystem;
using namespace medvqa::test;
using nlohmann::json;

namespace {

httplib::Result get(const NodeUnderTest& node, const std::string& path) {
  httplib::Client client("127.0.0.1", node.httpPort());
  return client.Get(path.c_str());
}

}  // namespace

TEST(NodeMetrics, ScrapeCountsWhatTheNodeDidInTheTextFormat) {
  NodeUnderTest node({"--answering", "off"});
  node.start();
  const fs::path series = filesUnder(testData("ct-explicit")).front().parent_path();
  const auto files = filesUnder(series);
  ASSERT_EQ(node.dcmtk("storescu", {"+sd"}, {series.string()}).exitCode, 0);
  ASSERT_EQ(node.dcmtk("findscu", {"-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID"}, {}).exitCode, 0);
  ASSERT_EQ(node.dcmtk("echoscu", {}, {}).exitCode, 0);

  const auto res = get(node, "/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/plain; version=0.0.4");
  expectValidExposition(res->body);
  std::uint64_t bytes = 0;
  for (const auto& f : files) bytes += fs::file_size(f);
  EXPECT_EQ(sampleValue(res->body, "medvqa_instances_received_total"), double(files.size())) << res->body;
  EXPECT_GE(sampleValue(res->body, "medvqa_received_bytes_total"), double(bytes)) << res->body;
  EXPECT_EQ(sampleValue(res->body, "medvqa_associations_total{result=\"accepted\"}"), 3) << res->body;
  EXPECT_EQ(sampleValue(res->body, "medvqa_cfind_total{level=\"STUDY\"}"), 1) << res->body;
  EXPECT_EQ(sampleValue(res->body, "medvqa_cfind_duration_seconds_count"), 1) << res->body;
  EXPECT_EQ(sampleValue(res->body, "medvqa_model_loaded"), 0) << res->body;
}

TEST(NodeMetrics, ReadyOnlyWithAModelAndSaysWhyNot) {
  NodeUnderTest without({"--model", "/nonexistent/model"});
  without.start();
  const auto notReady = get(without, "/readyz");
  ASSERT_TRUE(notReady);
  EXPECT_EQ(notReady->status, 503);
  const json body = json::parse(notReady->body);
  EXPECT_EQ(body["ready"], false);
  EXPECT_NE(body["checks"]["model"].get<std::string>().find("/nonexistent/model"), std::string::npos) << body;
  EXPECT_EQ(body["checks"]["storage"], "ok");
  EXPECT_EQ(body["checks"]["queue"], "ok");

  NodeUnderTest with;  // the demo model of the source tree
  with.start();
  const auto ready = get(with, "/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200) << ready->body;
  EXPECT_EQ(json::parse(ready->body)["ready"], true);
  EXPECT_EQ(get(with, "/healthz")->status, 200);
}
