// GET /models on a real medvqa-scp: core's answer route (api/answer_api.h), the same JSON as the
// plugin's /medvqa/models, behind the reader role; 503 with the reason when no model is loaded.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "jwt_tokens.h"
#include "node_http.h"
#include "node_under_test.h"
#include "process.h"

namespace fs = std::filesystem;
using medvqa::test::answeringModelFolder;
using medvqa::test::NodeUnderTest;
using medvqa::test::TempDir;
using nlohmann::json;

namespace {

const std::string kSecret = "models-test-secret-0123456789abcdef";

httplib::Result get(httplib::Client& client, const std::string& path, const std::vector<std::string>& roles) {
  httplib::Headers headers;
  if (!roles.empty()) {
    headers.emplace("Authorization",
                    "Bearer " + medvqa::test::mintJwt("HS256", kSecret, medvqa::test::tokenClaims(roles)));
  }
  return client.Get(path.c_str(), headers);
}

TEST(HttpModels, TheNodeNamesItsModelToAReader) {
  TempDir dir("http-models");
  const fs::path secret = dir / "jwt-secret";
  std::ofstream(secret) << kSecret;
  ::chmod(secret.c_str(), 0600);
  NodeUnderTest node({"--jwt-hs256-secret-file", secret.string(), "--model", answeringModelFolder().string()});
  node.start();
  httplib::Client client("127.0.0.1", node.httpPort());

  const auto anonymous = get(client, "/models", {});
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);

  const auto res = get(client, "/models", {"reader"});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body << node.log();
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  const json models = json::parse(res->body)["models"];
  ASSERT_EQ(models.size(), 1u) << res->body;
  const json manifest = json::parse(medvqa::test::readFile(answeringModelFolder() / "manifest.json"));
  EXPECT_EQ(models[0]["name"], manifest["name"]);
  EXPECT_EQ(models[0]["version"], manifest["version"]);
  EXPECT_EQ(models[0]["folder"], answeringModelFolder().string());
  EXPECT_FALSE(models[0]["device"].get<std::string>().empty());
  EXPECT_FALSE(models[0]["question_types"].empty());
  EXPECT_GT(models[0]["answer_count"].get<int>(), 2);

  // Only GET: another method is no route (and, unlisted, needs admin first).
  httplib::Headers admin{
      {"Authorization", "Bearer " + medvqa::test::mintJwt("HS256", kSecret, medvqa::test::tokenClaims({"admin"}))}};
  const auto post = client.Post("/models", admin, "{}", "application/json");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 404) << post->body;
  EXPECT_EQ(json::parse(post->body, nullptr, false).value("error", ""), "no such route") << post->body;
}

TEST(HttpModels, WithoutAModelTheRouteSays503WithTheReason) {
  NodeUnderTest node({"--model", "/nonexistent/model"});
  node.start();
  const json models = medvqa::test::getJson(node.httpPort(), "/models");
  EXPECT_EQ(models["http_status"], 503) << models.dump();
  EXPECT_NE(models.value("error", "").find("/nonexistent/model"), std::string::npos) << models.dump();
}

}  // namespace
