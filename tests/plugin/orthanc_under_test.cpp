#include "orthanc_under_test.h"

#include <httplib.h>

#include <csignal>

#include <fstream>
#include <map>
#include <stdexcept>
#include <thread>

#include "dicom_files.h"

namespace medvqa::test {
namespace fs = std::filesystem;
using nlohmann::json;

OrthancUnderTest::OrthancUnderTest(Options options)
    : dir_("orthanc"), options_(std::move(options)) {}

OrthancUnderTest::~OrthancUnderTest() {
  if (process_) stop();
}

void OrthancUnderTest::writeConfig() const {
  json config = {
      {"Name", "MEDVQA-TEST"},
      {"StorageDirectory", storage().string()},
      {"IndexDirectory", storage().string()},
      {"HttpPort", 0},  // ports the OS picks: start() finds them (findPorts)
      {"DicomPort", 0},
      {"DicomAet", "ORTHANC"},
      {"RemoteAccessAllowed", false},
      {"AuthenticationEnabled", false},
      {"HttpDescribeErrors", true},
      {"OrthancExplorerEnabled", true},
      {"DicomAlwaysAllowStore", true},
      {"DicomAlwaysAllowEcho", true},
      {"DicomCheckCalledAet", false},
      {"StableAge", 1},  // seconds: a study is stable one second after its last instance
      {"SaveJobs", false},
      {"LuaScripts", json::array()},
      {"Plugins", options_.withPlugin ? json::array({MEDVQA_PLUGIN_FILE}) : json::array()},
      {"MedVQA", options_.medvqa}};
  for (const auto& [key, value] : options_.extra.items()) config[key] = value;
  std::ofstream(dir_ / "orthanc.json") << config.dump(2);
}

void OrthancUnderTest::start() {
  fs::create_directories(storage());
  writeConfig();
  // --verbose: the plugin's info lines (jobs queued, done) reach the log the tests print on failure.
  httpPort_ = dicomPort_ = 0;
  process_ = std::make_unique<Process>(
      std::vector<std::string>{"/usr/sbin/Orthanc", "--verbose", (dir_ / "orthanc.json").string()},
      dir_ / "orthanc.log");
  const bool up = waitFor([&] { return !process_->running() || (findPorts() && get("/system").status == 200); },
                          std::chrono::seconds(60));
  if (!up || !process_->running()) {
    process_.reset();
    throw std::runtime_error("Orthanc did not start; log:\n" + log());
  }
}

// Orthanc logs the ports it was given (0), not the ones it bound: they are read from /proc, and
// the one that answers HTTP is the REST API's. (The other gets one HTTP request, which Orthanc's
// DICOM server refuses as an unknown PDU and logs.)
bool OrthancUnderTest::findPorts() {
  if (httpPort_ != 0) return true;
  const auto ports = listeningPorts(process_->pid());
  if (ports.size() < 2) return false;  // the DICOM server and the HTTP server, once both are bound
  if (ports.size() > 2) {
    throw std::runtime_error("Orthanc listens on more ports than HttpPort and DicomPort:\n" + log());
  }
  for (const std::uint16_t port : ports) {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(2, 0);
    client.set_read_timeout(5, 0);
    if (client.Get("/system")) {
      httpPort_ = port;
      dicomPort_ = port == *ports.begin() ? *ports.rbegin() : *ports.begin();
      return true;
    }
  }
  return false;
}

int OrthancUnderTest::stop() {
  if (!process_) return -1;
  process_->signal(SIGTERM);
  const auto code = process_->wait(std::chrono::seconds(60));
  process_.reset();
  return code ? *code : -1;
}

std::string OrthancUnderTest::log() const { return readFile(dir_ / "orthanc.log"); }

std::string OrthancUnderTest::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(httpPort_) + path;
}

HttpResult OrthancUnderTest::request(const std::string& method, const std::string& path, const std::string& body,
                                     const std::string& user) const {
  httplib::Client client("127.0.0.1", httpPort_);
  client.set_read_timeout(120, 0);
  if (!user.empty()) client.set_basic_auth(user, "not-checked");
  httplib::Result res = method == "GET"    ? client.Get(path.c_str())
                        : method == "POST" ? client.Post(path.c_str(), body, "application/json")
                        : method == "PUT"  ? client.Put(path.c_str(), body, "application/json")
                                           : client.Delete(path.c_str());
  if (!res) return {};
  return {res->status, res->body, res->get_header_value("Content-Type"), res->get_header_value("Allow")};
}

HttpResult OrthancUnderTest::get(const std::string& path) const { return request("GET", path); }

HttpResult OrthancUnderTest::post(const std::string& path, const std::string& body) const {
  return request("POST", path, body);
}

HttpResult OrthancUnderTest::postAs(const std::string& user, const std::string& path, const std::string& body) const {
  return request("POST", path, body, user);
}

json OrthancUnderTest::getJson(const std::string& path) const {
  const HttpResult r = get(path);
  return r.status == 200 ? r.json() : json::object();
}

RunResult OrthancUnderTest::store(const std::vector<fs::path>& files) const {
  std::map<std::string, std::vector<std::string>> bySyntax;
  for (const auto& f : files) bySyntax[transferSyntaxOf(f)].push_back(f.string());
  RunResult last;
  for (const auto& [syntax, paths] : bySyntax) {
    std::vector<std::string> argv = {"storescu", "-aet", "TESTSCU", "-aec", "ORTHANC", storescuProposalFor(syntax),
                                     "127.0.0.1", std::to_string(dicomPort_)};
    argv.insert(argv.end(), paths.begin(), paths.end());
    last = run(argv);
    if (last.exitCode != 0) return last;
  }
  return last;
}

std::optional<std::string> OrthancUnderTest::studyId(const std::string& studyUid) const {
  const HttpResult r = post("/tools/lookup", studyUid);
  if (r.status != 200) return std::nullopt;
  for (const auto& hit : r.json()) {
    if (hit.value("Type", "") == "Study") return hit["ID"].get<std::string>();
  }
  return std::nullopt;
}

std::vector<json> OrthancUnderTest::srSeries(const std::string& studyId) const {
  std::vector<json> out;
  for (const auto& series : getJson("/studies/" + studyId + "/series")) {
    if (series["MainDicomTags"].value("Modality", "") == "SR") out.push_back(series);
  }
  return out;
}

fs::path demoModel() { return fs::path(MEDVQA_SOURCE_DIR) / "models" / "demo"; }

std::vector<TruthRow> readTruth(const fs::path& file) {
  std::vector<TruthRow> rows;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    const json j = json::parse(line);
    if (j.value("expect", "answered") != "answered") continue;  // questions the engine must refuse
    std::string answer = j["answer"];
    // An inverse phrasing's truth is as asked; the type's own (direct) question has the other one.
    if (j.value("inverse", false)) answer = answer == "yes" ? "no" : "yes";
    rows.push_back({j["study_uid"], j["study_dir"], j["kind"], j["type"], j["question"], answer});
  }
  return rows;
}

std::vector<TruthRow> synthStudies(const fs::path& out, int studies, int seed) {
  const RunResult synth = run({buildBin("medvqa").string(), "synth", "--out", out.string(), "--studies",
                               std::to_string(studies), "--seed", std::to_string(seed)});
  if (synth.exitCode != 0) throw std::runtime_error("medvqa synth failed:\n" + synth.output);
  auto truth = readTruth(out / "truth.jsonl");
  if (truth.empty()) throw std::runtime_error("medvqa synth wrote no truth rows:\n" + synth.output);
  return truth;
}

bool waitFor(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return true;
}

}  // namespace medvqa::test
