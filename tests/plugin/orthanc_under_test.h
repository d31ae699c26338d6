#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "node_under_test.h"
#include "process.h"

namespace medvqa::test {

// An answer from Orthanc's HTTP server.
struct HttpResult {
  int status = 0;  // 0: no answer at all
  std::string body;
  std::string contentType;
  std::string allow;  // the Allow header of a 405
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

// A real Debian Orthanc (/usr/sbin/Orthanc) on ports the OS picks (HttpPort and DicomPort 0; each
// start() gets fresh ones) with its own storage folder, kept across stop()/start() (restarts),
// removed with everything in it on destruction.
struct OrthancOptions {
  bool withPlugin = true;
  nlohmann::json medvqa = nlohmann::json::object();  // the "MedVQA" section
  nlohmann::json extra = nlohmann::json::object();   // more top-level keys (DicomModalities...)
};

class OrthancUnderTest {
 public:
  using Options = OrthancOptions;

  explicit OrthancUnderTest(Options options = {});
  ~OrthancUnderTest();

  // Starts and waits until Orthanc's REST API answers (the plugin, model included, is loaded by
  // then). Throws, with Orthanc's log, when it exits or does not come up within a minute.
  void start();
  int stop();  // SIGTERM, wait, the exit code
  void setOptions(Options options) { options_ = std::move(options); }

  std::uint16_t httpPort() const { return httpPort_; }  // those of the last start()
  std::uint16_t dicomPort() const { return dicomPort_; }
  std::filesystem::path storage() const { return dir_ / "storage"; }
  // Where orthanc.json is written: relative paths in the configuration are relative to it.
  const std::filesystem::path& configFolder() const { return dir_.path(); }
  std::string log() const;
  std::string url(const std::string& path) const;

  HttpResult get(const std::string& path) const;
  HttpResult post(const std::string& path, const std::string& body) const;
  // The same with HTTP Basic credentials for `user` (Orthanc passes the header on to the plugin).
  HttpResult postAs(const std::string& user, const std::string& path, const std::string& body) const;
  HttpResult request(const std::string& method, const std::string& path, const std::string& body = "",
                     const std::string& user = "") const;
  nlohmann::json getJson(const std::string& path) const;  // {} unless 200

  // storescu into Orthanc (one association per transfer syntax, as NodeUnderTest sends).
  RunResult store(const std::vector<std::filesystem::path>& files) const;
  // Orthanc's study id for a Study Instance UID (POST /tools/lookup).
  std::optional<std::string> studyId(const std::string& studyUid) const;
  // The study's series whose Modality is SR, as Orthanc lists them (GET /studies/{id}/series).
  std::vector<nlohmann::json> srSeries(const std::string& studyId) const;

 private:
  void writeConfig() const;
  bool findPorts();

  TempDir dir_;
  Options options_;
  std::uint16_t httpPort_ = 0;
  std::uint16_t dicomPort_ = 0;
  std::unique_ptr<Process> process_;
};

// The demo model of the checkout (models/demo): the accuracy checks need the trained model.
std::filesystem::path demoModel();

// A question the engine should answer (rows it must refuse are left out); `answer` is the truth of
// the type's direct question, also for a row asked with inverse polarity.
struct TruthRow {
  std::string studyUid, studyDir, kind, type, question, answer;
};
std::vector<TruthRow> readTruth(const std::filesystem::path& file);
// `medvqa synth` into `out`: that many studies from that seed, and their truth.jsonl rows.
// std::runtime_error with synth's output when it fails or writes no rows.
std::vector<TruthRow> synthStudies(const std::filesystem::path& out, int studies, int seed);

// Polls `done` every 200 ms until it holds or `timeout` passes; returns whether it held.
bool waitFor(const std::function<bool()>& done, std::chrono::milliseconds timeout);

}  // namespace medvqa::test
