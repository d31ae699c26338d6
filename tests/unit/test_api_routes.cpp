// The answer API's route table (core/api), tested once for both front doors: each route's
// statuses, errors as JSON {"error": ...}, the roles the table gives, the caller's role checked,
// unknown routes, the audit of questions asked and the counting of them. A real AnswerPipeline
// (the format-1 tiny model, workers not started: jobs run on the test's thread) over one
// synthetic chest radiograph, behind a study directory that stands for a front door.
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "api/answer_api.h"
#include "api/exchange.h"
#include "api/routes.h"
#include "audit/audit_sink.h"
#include "audit/audit_trail.h"
#include "audit_messages.h"
#include "common/error.h"
#include "metrics/metrics.h"
#include "pipeline/answer_pipeline.h"
#include "pipeline/delivery_queue.h"
#include "pipeline/job_queue.h"
#include "synth/synth.h"
#include "synth_test_support.h"
#include "test_vqa_support.h"
#include "vqa/engine.h"
#include "vqa/model.h"

namespace medvqa {
namespace {

namespace fs = std::filesystem;
using api::Reply;
using api::Request;
using auth::Role;
using nlohmann::json;

constexpr const char* kAbsentUid = "1.2.826.0.1.3680043.2.1143.404";

// One synthetic chest radiograph study, written once per process.
struct ChestStudy {
  synth_test::TempDir dir{"api-routes"};
  std::string uid;
  std::vector<fs::path> files;
  pipeline::StudySnapshot snapshot;

  ChestStudy() {
    synth::generateDataset({.out = dir.path() / "set", .studies = 1, .seed = 7, .kinds = {synth::StudyKind::Chest}});
    files = synth_test::filesUnder(dir.path() / "set");
    std::erase_if(files, [](const fs::path& f) { return f.extension() == ".jsonl"; });
    if (files.empty()) throw std::runtime_error("the synthetic set has no DICOM file");
    for (const auto& file : files) {
      DcmFileFormat ff;
      if (ff.loadFile(file.c_str()).bad()) throw std::runtime_error("cannot read " + file.string());
      DcmDataset& ds = *ff.getDataset();
      uid = synth_test::attribute(ds, DCM_StudyInstanceUID);
      snapshot.facts.studyUid = uid;
      snapshot.facts.series.push_back(
          {synth_test::attribute(ds, DCM_SeriesInstanceUID), synth_test::attribute(ds, DCM_Modality),
           synth_test::attribute(ds, DCM_BodyPartExamined), synth_test::attribute(ds, DCM_SeriesDescription),
           synth_test::attribute(ds, DCM_SOPClassUID)});
      snapshot.instanceUids.push_back(synth_test::attribute(ds, DCM_SOPInstanceUID));
    }
  }
};

const ChestStudy& chest() {
  static const ChestStudy study;
  return study;
}

// Where the pipeline reads studies: the chest study's files, linked into the folder it asks for.
class ChestSource : public pipeline::StudySource {
 public:
  std::optional<pipeline::StudySnapshot> snapshot(const std::string& studyUid) override {
    if (studyUid != chest().uid) return std::nullopt;
    return chest().snapshot;
  }
  void materialize(const std::string& studyUid, const fs::path& folder) override {
    if (studyUid != chest().uid) return;
    for (const auto& file : chest().files) fs::create_symlink(file, folder / file.filename());
  }
};

class CountingSink : public pipeline::ReportSink {
 public:
  void store(DcmDataset&) override { ++stored; }
  int stored = 0;
};

class MemoryAuditSink : public audit::AuditSink {
 public:
  const char* name() const noexcept override { return "memory"; }
  void write(const std::string& message) override {
    std::lock_guard lock(mutex_);
    messages.push_back(message);
  }
  std::vector<std::string> taken() {
    std::lock_guard lock(mutex_);
    return std::exchange(messages, {});
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> messages;
};

// A front door's study ids: "chest" names the synthetic study, "absent" a well-formed UID of no
// study; "bad" cannot be read (400) and "gone" names nothing the door can resolve (404).
class DoorStudies : public api::StudyDirectory {
 public:
  api::StudyLookup find(const std::string& pathId) const override {
    if (pathId == "chest") return {chest().uid, audit::StudyRef{chest().uid, "PAT-1", "DOE^JANE", "ACC-1"}};
    if (pathId == "absent") return {kAbsentUid, std::nullopt};
    if (pathId == "gone") throw Error(ErrorCode::NotFound, "no study gone");
    throw Error(ErrorCode::InvalidArgument, "'" + pathId + "' is not a study id");
  }
};

std::shared_ptr<const vqa::Model> formatOneModel() {
  static const auto model =
      vqa::Model::load(vqa::test::tinyModelFolder("tiny-model-v1"), {.device = vqa::DeviceSpec::parse("cpu")});
  return model;
}

Request by(std::optional<std::vector<Role>> roles, std::string body = {}) {
  Request request;
  request.body = std::move(body);
  request.caller = {"dr.api", "192.0.2.7", std::move(roles)};
  return request;
}

json bodyOf(const Reply& reply) {
  return json::parse(reply.body);
}

void expectJsonError(const Reply& reply, int status, const std::string& says) {
  EXPECT_EQ(reply.status, status) << reply.body;
  EXPECT_EQ(reply.contentType, "application/json");
  const json body = json::parse(reply.body, nullptr, false);
  ASSERT_TRUE(body.is_object() && body.size() == 1 && body.contains("error") && body["error"].is_string())
      << reply.body;
  EXPECT_NE(body["error"].get<std::string>().find(says), std::string::npos) << reply.body;
}

// The Prometheus sample `name` (exact, labels included) of an exposition; -1 when absent.
double sample(const std::string& exposition, const std::string& name) {
  for (std::size_t at = 0; (at = exposition.find(name + " ", at)) != std::string::npos; at += name.size()) {
    if (at == 0 || exposition[at - 1] == '\n') return std::stod(exposition.substr(at + name.size() + 1));
  }
  return -1;
}

class ApiRoutes : public ::testing::Test {
 protected:
  ApiRoutes() {
    std::vector<std::unique_ptr<audit::AuditSink>> sinks;
    sinks.push_back(std::make_unique<MemoryAuditSink>());
    auditSink_ = static_cast<MemoryAuditSink*>(sinks.back().get());
    trail_ = std::make_unique<audit::AuditTrail>(audit::AuditSource{"", "MEDVQA"}, std::move(sinks));
    pipeline_ = std::make_unique<pipeline::AnswerPipeline>(
        pipeline::AnswerPipeline::Parts{.config = {},
                                        .jobs = jobs_,
                                        .outbox = &outbox_,
                                        .source = source_,
                                        .sink = sink_,
                                        .engine = std::make_shared<vqa::Engine>(formatOneModel()),
                                        .scratch = dir_.path() / "tmp",
                                        .deviceObserverUid = "2.25.1",
                                        .onDeliveriesAdded = [] {},
                                        .audit = nullptr});
    api_ = std::make_unique<api::AnswerApi>(api::AnswerApi::Parts{.pipeline = pipeline_.get(),
                                                                  .unavailable = {},
                                                                  .studies = &studies_,
                                                                  .modelFolder = "/models/tiny-v1",
                                                                  .metrics = &metrics_,
                                                                  .audit = {trail_.get(), "MEDVQA"}});
  }

  Reply call(std::string_view method, const std::string& path, Request request = by(std::nullopt)) const {
    return api_->dispatch(method, path, std::move(request));
  }
  std::vector<test::AuditMessage> audited() {
    std::vector<test::AuditMessage> out;
    for (const auto& xml : auditSink_->taken()) out.emplace_back(xml);
    return out;
  }

  synth_test::TempDir dir_{"api-routes-state"};
  pipeline::JobQueue jobs_{dir_.path() / "jobs.sqlite", {.maxAttempts = 1}};
  pipeline::DeliveryQueue outbox_{dir_.path() / "outbox.sqlite", {.maxAttempts = 1}};
  ChestSource source_;
  CountingSink sink_;
  DoorStudies studies_;
  metrics::Metrics metrics_;
  MemoryAuditSink* auditSink_ = nullptr;
  std::unique_ptr<audit::AuditTrail> trail_;
  std::unique_ptr<pipeline::AnswerPipeline> pipeline_;
  std::unique_ptr<api::AnswerApi> api_;
};

TEST(ApiExchange, EachErrorCodeHasItsStatusAndExceptionsBecomeJson) {
  EXPECT_EQ(api::httpStatusFor(ErrorCode::InvalidArgument), 400);
  EXPECT_EQ(api::httpStatusFor(ErrorCode::NotFound), 404);
  EXPECT_EQ(api::httpStatusFor(ErrorCode::LimitExceeded), 413);
  EXPECT_EQ(api::httpStatusFor(ErrorCode::Config), 503);
  for (ErrorCode code : {ErrorCode::Io, ErrorCode::Database, ErrorCode::Dicom, ErrorCode::Network}) {
    EXPECT_EQ(api::httpStatusFor(code), 500) << toString(code);
  }
  const auto run = [](auto thrower) {
    return api::protect([&]() -> Reply {
      thrower();
      return {};
    });
  };
  expectJsonError(run([] { throw Error(ErrorCode::NotFound, "no study x"); }), 404, "no study x");
  expectJsonError(run([] { throw Error(ErrorCode::Database, "disk I/O error"); }), 500, "disk I/O error");
  const Reply internal = run([] { throw std::runtime_error("secret detail"); });
  expectJsonError(internal, 500, "internal error");
  EXPECT_EQ(internal.body.find("secret detail"), std::string::npos);
  expectJsonError(run([] { throw 42; }), 500, "internal error");
  EXPECT_EQ(api::protect([] { return Reply::json(201, {{"ok", true}}); }).status, 201);
}

TEST(ApiRouteTable, NamesEveryAnswerRouteWithItsRole) {
  std::set<std::string> routes;
  for (const auto& route : api::kAnswerRoutes) {
    routes.insert(std::string(route.method) + " " + std::string(route.pattern));
    EXPECT_FALSE(route.access.open) << route.pattern;
  }
  EXPECT_EQ(routes, (std::set<std::string>{"GET /studies/([^/]+)/answers", "POST /studies/([^/]+)/questions",
                                           "POST /studies/([^/]+)/answer", "GET /jobs", "GET /jobs/([0-9]{1,18})",
                                           "GET /deliveries", "GET /models"}));
  api::RouteIndex index;
  index.add(api::kAnswerRoutes);
  const auto role = [&](const char* method, const char* path) { return index.access(method, path).role; };
  EXPECT_EQ(role("GET", "/studies/1.2.3/answers"), Role::Reader);
  EXPECT_EQ(role("HEAD", "/studies/1.2.3/answers"), Role::Reader);
  EXPECT_EQ(role("GET", "/models"), Role::Reader);
  EXPECT_EQ(role("POST", "/studies/1.2.3/questions"), Role::Radiologist);
  EXPECT_EQ(role("POST", "/studies/1.2.3/answer"), Role::Admin);
  EXPECT_EQ(role("GET", "/jobs"), Role::Admin);
  EXPECT_EQ(role("GET", "/jobs/42"), Role::Admin);
  EXPECT_EQ(role("GET", "/deliveries"), Role::Admin);
  // Unknown paths and methods need admin, and say nothing about which routes exist.
  for (const auto& [method, path] :
       std::vector<std::pair<const char*, const char*>>{{"GET", "/config"},
                                                        {"GET", "/studies/1.2.3/questions"},
                                                        {"DELETE", "/jobs"},
                                                        {"GET", "/studies/1.2.3/answers/x"},
                                                        {"GET", "/models/demo"}}) {
    EXPECT_FALSE(index.match(method, path)) << method << " " << path;
    EXPECT_FALSE(index.access(method, path).open);
    EXPECT_EQ(index.access(method, path).role, Role::Admin) << method << " " << path;
  }
  const auto found = index.match("GET", "/studies/1.2.3/answers");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->pathParams, std::vector<std::string>{"1.2.3"});
}

TEST(ApiRouteTable, TheCallersRoleIsCheckedWhenTheDoorGivesOne) {
  EXPECT_TRUE(api::admits(api::kOpen, {"", "", std::vector<Role>{}}));
  EXPECT_TRUE(api::admits(api::needs(Role::Admin), {"", "", std::nullopt}));  // the door vouches
  EXPECT_TRUE(api::admits(api::needs(Role::Reader), {"", "", std::vector<Role>{Role::Radiologist}}));
  EXPECT_FALSE(api::admits(api::needs(Role::Radiologist), {"", "", std::vector<Role>{Role::Reader}}));
  EXPECT_FALSE(api::admits(api::needs(Role::Reader), {"", "", std::vector<Role>{}}));
}

TEST(ApiWithoutPipeline, EveryRouteSays503WithTheReason) {
  const DoorStudies studies;
  const api::AnswerApi api({.pipeline = nullptr,
                            .unavailable = "model /nonexistent not loaded",
                            .studies = &studies,
                            .modelFolder = {},
                            .metrics = nullptr,
                            .audit = {}});
  for (const auto& [method, path] :
       std::vector<std::pair<const char*, const char*>>{{"GET", "/studies/chest/answers"},
                                                        {"POST", "/studies/chest/questions"},
                                                        {"POST", "/studies/chest/answer"},
                                                        {"GET", "/jobs"},
                                                        {"GET", "/jobs/1"},
                                                        {"GET", "/deliveries"},
                                                        {"GET", "/models"}}) {
    expectJsonError(api.dispatch(method, path, by(std::nullopt, R"({"question": "Is it?"})")), 503,
                    "model /nonexistent not loaded");
  }
}

TEST_F(ApiRoutes, UnknownRoutesAre404AndRolesAre403) {
  for (const auto& [method, path] :
       std::vector<std::pair<const char*, const char*>>{{"GET", "/nope"},
                                                        {"POST", "/jobs"},
                                                        {"GET", "/jobs/abc"},
                                                        {"GET", "/jobs/1234567890123456789"},
                                                        {"GET", "/studies/chest/questions"},
                                                        {"PUT", "/models"},
                                                        {"GET", "/studies//answers"}}) {
    expectJsonError(call(method, path), 404, "no such route");
  }
  expectJsonError(call("POST", "/studies/chest/questions", by(std::vector<Role>{Role::Reader}, "{}")), 403,
                  "role radiologist required");
  expectJsonError(call("GET", "/jobs", by(std::vector<Role>{Role::Radiologist})), 403, "role admin required");
  EXPECT_EQ(call("GET", "/jobs", by(std::vector<Role>{Role::Admin})).status, 200);
  EXPECT_EQ(call("GET", "/models", by(std::vector<Role>{Role::Reader})).status, 200);
  EXPECT_TRUE(audited().empty()) << "refused before the route: nothing asked";
}

TEST_F(ApiRoutes, ModelsNamesTheLoadedModel) {
  const Reply reply = call("GET", "/models");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.contentType, "application/json");
  const json models = bodyOf(reply)["models"];
  ASSERT_EQ(models.size(), 1u);
  const auto& manifest = formatOneModel()->manifest();
  EXPECT_EQ(models[0]["name"], manifest.name);
  EXPECT_EQ(models[0]["version"], manifest.version);
  EXPECT_EQ(models[0]["device"], "cpu");
  EXPECT_EQ(models[0]["folder"], "/models/tiny-v1");
  EXPECT_EQ(models[0]["question_types"].size(), manifest.questionTypes.size());
  EXPECT_EQ(models[0]["answer_count"], manifest.answers.size());
}

TEST_F(ApiRoutes, StudyParametersTheDoorRefusesOrCannotFind) {
  for (const char* route : {"/answers", "/answer"}) {
    const char* method = std::string(route) == "/answers" ? "GET" : "POST";
    expectJsonError(call(method, std::string("/studies/bad") + route), 400, "'bad' is not a study id");
    expectJsonError(call(method, std::string("/studies/gone") + route), 404, "no study gone");
    expectJsonError(call(method, std::string("/studies/absent") + route), 404, std::string("no study ") + kAbsentUid);
  }
  const std::string question = R"({"question": "What is the modality?"})";
  expectJsonError(call("POST", "/studies/bad/questions", by(std::nullopt, question)), 400, "not a study id");
  expectJsonError(call("POST", "/studies/absent/questions", by(std::nullopt, question)), 404, "no study");
  // The body is read first: a bad one is 400 whatever the study.
  for (const std::string& bad :
       {std::string("not json"), std::string(R"({"question": ""})"), std::string(R"({"q": 1})"),
        R"({"question": ")" + std::string(501, 'a') + R"("})", std::string(R"({"question": "Is it?", "sr": "yes"})")}) {
    for (const char* study : {"chest", "absent", "gone"}) {
      const Reply reply = call("POST", std::string("/studies/") + study + "/questions", by(std::nullopt, bad));
      EXPECT_EQ(reply.status, 400) << study << " " << bad.substr(0, 30) << ": " << reply.body;
    }
  }
  // Requests that reached a study the door holds none of are audited as minor failures; those
  // refused before (a bad id, a bad body, an id that names nothing) are not.
  const auto messages = audited();
  ASSERT_EQ(messages.size(), 2u);
  for (const auto& m : messages) {
    EXPECT_EQ(m.schemaErrors(), "") << m.xml();
    EXPECT_EQ(m.eventId(), "110103");
    EXPECT_EQ(m.outcome(), "4");
    EXPECT_EQ(m.text("//EventOutcomeDescription"), "HTTP 404");
  }
  EXPECT_EQ(messages[0].action(), "E");  // POST .../answer
  EXPECT_EQ(messages[1].action(), "R");  // POST .../questions
  EXPECT_EQ(sample(metrics_.exposition(), "medvqa_questions_total"), 0) << "refused questions are not counted";
}

TEST_F(ApiRoutes, AQuestionIsAnsweredAuditedAndCounted) {
  Reply reply = call("POST", "/studies/chest/questions", by(std::nullopt, R"({"question": "What is the modality?"})"));
  ASSERT_EQ(reply.status, 200) << reply.body;
  json answer = bodyOf(reply);
  EXPECT_EQ(answer["source"], "header");
  EXPECT_EQ(answer["answer"], "DX");
  EXPECT_FALSE(answer.contains("sr_sop_instance_uid"));
  reply = call("POST", "/studies/chest/questions",
               by(std::vector<Role>{Role::Radiologist}, R"({"question": "What is the modality?", "sr": true})"));
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_TRUE(bodyOf(reply)["sr_sop_instance_uid"].is_string()) << reply.body;
  EXPECT_EQ(sink_.stored, 1);
  EXPECT_EQ(sample(metrics_.exposition(), "medvqa_questions_total"), 2);

  const auto messages = audited();
  // The SR is audited by the pipeline (none here: its trail is off); the two questions by the API.
  ASSERT_EQ(messages.size(), 2u);
  for (const auto& m : messages) {
    EXPECT_EQ(m.schemaErrors(), "") << m.xml();
    EXPECT_EQ(m.eventId(), "110103");
    EXPECT_EQ(m.action(), "R");
    EXPECT_EQ(m.outcome(), "0");
    EXPECT_EQ(m.text("/AuditMessage/ActiveParticipant[@UserIsRequestor='true']/@UserID"), "dr.api");
    EXPECT_EQ(m.text("/AuditMessage/ActiveParticipant[@UserIsRequestor='true']/@NetworkAccessPointID"), "192.0.2.7");
    EXPECT_EQ(m.text("/AuditMessage/ParticipantObjectIdentification[ParticipantObjectIDTypeCode/@csd-code='110180']"
                     "/@ParticipantObjectID"),
              chest().uid);
    EXPECT_EQ(m.text("/AuditMessage/ParticipantObjectIdentification[ParticipantObjectIDTypeCode/@csd-code='2']"
                     "/@ParticipantObjectID"),
              "PAT-1");
    EXPECT_EQ(test::base64Decode(m.text("//ParticipantObjectDetail[@type='Question']/@value")),
              "What is the modality?");
  }
}

TEST_F(ApiRoutes, AnswerNowQueuesAJobThatTheJobRoutesShow) {
  json standing = bodyOf(call("GET", "/studies/chest/answers"));
  EXPECT_EQ(standing["state"], "not-stable") << standing.dump(2);
  EXPECT_TRUE(standing["job"].is_null());

  Reply reply = call("POST", "/studies/chest/answer");
  ASSERT_EQ(reply.status, 202) << reply.body;
  EXPECT_EQ(bodyOf(reply), json({{"study_uid", chest().uid}, {"decision", "queued"}}));
  EXPECT_EQ(sample(metrics_.exposition(), "medvqa_stable_studies_total{decision=\"queued\"}"), 1);
  const auto messages = audited();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].action(), "E");
  EXPECT_EQ(messages[0].outcome(), "0");

  json jobs = bodyOf(call("GET", "/jobs"));
  ASSERT_EQ(jobs["jobs"].size(), 1u) << jobs.dump(2);
  const long long id = jobs["jobs"][0]["id"];
  EXPECT_EQ(jobs["jobs"][0]["state"], "pending");
  EXPECT_EQ(jobs["jobs"][0]["study_uid"], chest().uid);
  json job = bodyOf(call("GET", "/jobs/" + std::to_string(id)));
  EXPECT_EQ(job["state"], "pending");
  EXPECT_FALSE(job.contains("answers"));
  EXPECT_EQ(bodyOf(call("GET", "/studies/chest/answers"))["state"], "pending");

  ASSERT_TRUE(pipeline_->runOneJob("test"));
  job = bodyOf(call("GET", "/jobs/" + std::to_string(id)));
  EXPECT_EQ(job["state"], "done") << job.dump(2);
  EXPECT_EQ(job["answers"].size(), 5u);
  standing = bodyOf(call("GET", "/studies/chest/answers"));
  EXPECT_EQ(standing["state"], "done");
  EXPECT_EQ(standing["answers"], job["answers"]);
  EXPECT_EQ(standing["job"]["id"], id);
  Request done = by(std::nullopt);
  done.query["state"] = "done";
  EXPECT_EQ(bodyOf(call("GET", "/jobs", done))["jobs"].size(), 1u);
  Request failed = by(std::nullopt);
  failed.query["state"] = "failed";
  EXPECT_TRUE(bodyOf(call("GET", "/jobs", failed))["jobs"].empty());
  Request bogus = by(std::nullopt);
  bogus.query["state"] = "bogus";
  expectJsonError(call("GET", "/jobs", bogus), 400, "unknown job state 'bogus'");
  expectJsonError(call("GET", "/jobs/999999"), 404, "no job 999999");

  const json deliveries = bodyOf(call("GET", "/deliveries"));
  EXPECT_EQ(deliveries, json({{"deliveries", json::array()}}));  // no destination configured
}

}  // namespace
}  // namespace medvqa
