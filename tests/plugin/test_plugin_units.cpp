// The plugin's logic without Orthanc: its configuration section, the Prometheus text, the SR's
// Part 10 bytes, Orthanc ids, and the one place exceptions become HTTP statuses.
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "dicom/part10.h"
#include "node_under_test.h"
#include "orthanc_report_sink.h"
#include "orthanc_rest.h"
#include "plugin_config.h"
#include "rest_exchange.h"

namespace fs = std::filesystem;
using medvqa::Error;
using medvqa::ErrorCode;
using medvqa::test::TempDir;
using nlohmann::json;
namespace plugin = medvqa::plugin;
namespace dicom = medvqa::dicom;

namespace {

plugin::PluginConfig configFrom(const json& orthanc, const fs::path& configFolder = "/etc/orthanc") {
  return plugin::pluginConfigFromOrthanc(orthanc, configFolder, "");
}

std::string configError(const json& orthanc) {
  try {
    configFrom(orthanc);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::Config);
    return e.what();
  }
  return "(no error)";
}

TEST(PluginUnits, AbsentSectionMeansTheNodeDefaultsAndStateBesideOrthancStorage) {
  const auto c = configFrom(json{{"StorageDirectory", "/var/lib/orthanc/db"}});
  EXPECT_EQ(c.stateFolder, fs::path("/var/lib/orthanc/db/medvqa"));
  EXPECT_TRUE(c.answering.enabled);
  EXPECT_EQ(c.answering.workers, 2u);
  EXPECT_EQ(c.answering.rules.size(), medvqa::pipeline::defaultRules().size());
  // Orthanc's own default storage, relative to the configuration file's folder.
  EXPECT_EQ(configFrom(json::object(), "/etc/orthanc").stateFolder, fs::path("/etc/orthanc/OrthancStorage/medvqa"));
}

TEST(PluginUnits, TheSectionIsParsedByTheNodesParserPlusStateFolder) {
  const auto c = configFrom(json{{"StorageDirectory", "db"},
                                 {"MedVQA",
                                  {{"enabled", false},
                                   {"workers", 3},
                                   {"device", "cpu"},
                                   {"model", "models/mine"},
                                   {"stateFolder", "state"},
                                   {"forward", {"pacs_1"}},
                                   {"rules", json::parse(R"([{"name": "mr", "match": {"modality": "MR"},
                                                              "questions": ["Is there a lesion?"]}])")}}}},
                           "/etc/orthanc");
  EXPECT_FALSE(c.answering.enabled);
  EXPECT_EQ(c.answering.workers, 3u);
  EXPECT_EQ(c.answering.device, "cpu");
  EXPECT_EQ(c.stateFolder, fs::path("/etc/orthanc/state"));
  EXPECT_EQ(c.modelFolder, fs::path("/etc/orthanc/models/mine"));
  ASSERT_EQ(c.answering.rules.size(), 1u);
  EXPECT_EQ(c.answering.rules[0].name, "mr");
  EXPECT_EQ(c.answering.forward, std::vector<std::string>{"pacs_1"});
}

TEST(PluginUnits, BadKeysFailNamingTheKeyInTheMedVqaSection) {
  EXPECT_NE(configError({{"MedVQA", {{"bogus", 1}}}}).find("MedVQA.bogus"), std::string::npos);
  EXPECT_NE(configError({{"MedVQA", {{"workers", 0}}}}).find("MedVQA.workers"), std::string::npos);
  EXPECT_NE(configError({{"MedVQA", {{"device", "tpu"}}}}).find("MedVQA.device"), std::string::npos);
  EXPECT_NE(configError({{"MedVQA", {{"stateFolder", 5}}}}).find("MedVQA.stateFolder"), std::string::npos);
  EXPECT_NE(configError({{"MedVQA", {{"forward", {"../modalities"}}}}}).find("MedVQA.forward"), std::string::npos);
  EXPECT_NE(configError({{"MedVQA", "on"}}).find("MedVQA"), std::string::npos);
}

TEST(PluginUnits, S3DestinationsAreTheNodesWithSecretFilesRelativeToOrthancsConfigFolder) {
  TempDir folder("plugin-s3-config");
  std::ofstream(folder / "s3-secret") << "SECRET\n";
  const json s3 = {{{"name", "archive"}, {"endpoint", "http://minio:9000"}, {"bucket", "medvqa"}, {"prefix", "sr/"},
                    {"accessKeyId", "AKID"}, {"secretAccessKeyFile", "s3-secret"}}};
  const auto c = configFrom({{"MedVQA", {{"s3", s3}}}}, folder.path());
  ASSERT_EQ(c.answering.s3.size(), 1u);
  EXPECT_EQ(c.answering.s3[0].outboxDestination(), "s3:archive");
  EXPECT_EQ(c.answering.s3[0].credentials.secretAccessKey, "SECRET");
  EXPECT_EQ(c.answering.s3[0].prefix, "sr/");
  // Resolved against the configuration folder given (here /etc/orthanc), never the working folder.
  EXPECT_NE(configError({{"MedVQA", {{"s3", s3}}}}).find("MedVQA.s3[0].secretAccessKeyFile"), std::string::npos);
}

TEST(PluginUnits, BadS3EntriesFailNamingTheKey) {
  const json ok = {{"endpoint", "http://minio:9000"}, {"bucket", "medvqa"}, {"accessKeyId", "AKID"},
                   {"secretAccessKeyEnv", "PATH"}};
  const auto with = [&](const std::string& key, const json& value) {
    json entry = ok;
    entry[key] = value;
    return json{{"MedVQA", {{"s3", json::array({entry})}}}};
  };
  EXPECT_NE(configError(with("bucket", "No_Bucket")).find("MedVQA.s3[0].bucket"), std::string::npos);
  EXPECT_NE(configError(with("secretAccessKey", "x")).find("MedVQA.s3[0].secretAccessKey"), std::string::npos);
  EXPECT_NE(configError({{"MedVQA", {{"s3", json::array({ok, ok})}}}}).find("MedVQA.s3[1].name"), std::string::npos);
  EXPECT_NE(configError({{"MedVQA", {{"s3", "bucket"}}}}).find("MedVQA.s3"), std::string::npos);
}

TEST(PluginUnits, TheDefaultModelIsTheDemoModelOfTheTreeThePluginWasBuiltIn) {
  TempDir tree("plugin-tree");
  fs::create_directories(tree / "models" / "demo");
  fs::create_directories(tree / "build" / "lib");
  std::ofstream(tree / "models" / "demo" / "manifest.json") << "{}";
  const auto c = plugin::pluginConfigFromOrthanc(json::object(), "/etc/orthanc", tree / "build" / "lib" / "libOrthancMedVQA.so");
  EXPECT_EQ(c.modelFolder, fs::weakly_canonical(tree / "models" / "demo"));
}

TEST(PluginUnits, OrthancIdsAreFiveGroupsOfEightLowerCaseHexDigits) {
  EXPECT_TRUE(plugin::isOrthancId("d6a2c183-3af9cd0a-6f7949b7-93ecc5a3-1ab91171"));
  EXPECT_FALSE(plugin::isOrthancId("D6A2C183-3AF9CD0A-6F7949B7-93ECC5A3-1AB91171"));
  EXPECT_FALSE(plugin::isOrthancId("d6a2c183-3af9cd0a-6f7949b7-93ecc5a3-1ab9117"));
  EXPECT_FALSE(plugin::isOrthancId("d6a2c183-3af9cd0a-6f7949b7-93ecc5a3/1ab91171"));
  EXPECT_FALSE(plugin::isOrthancId("..%2F..%2Fetc-passwd-00000000-00000000-000000"));
  EXPECT_FALSE(plugin::isOrthancId("1.2.840.10008.5.1.4.1.1.88.33"));
}

TEST(PluginUnits, Part10BytesAreAFileDcmtkReadsBackWhateverItsSize) {
  DcmDataset dataset;
  dataset.putAndInsertString(DCM_SOPClassUID, "1.2.840.10008.5.1.4.1.1.88.33");
  dataset.putAndInsertString(DCM_SOPInstanceUID, "1.2.3.4.5");
  dataset.putAndInsertString(DCM_PatientName, "DOE^JANE");
  // Larger than the 64 KiB chunks the encoder hands out, so the resumed write is exercised.
  std::vector<Uint8> blob(300 * 1024 + 7);
  for (std::size_t i = 0; i < blob.size(); ++i) blob[i] = static_cast<Uint8>(i * 31);
  dataset.putAndInsertUint8Array(DCM_EncapsulatedDocument, blob.data(), blob.size());

  const std::string bytes = dicom::part10Bytes(dataset);
  ASSERT_GT(bytes.size(), 132u);
  EXPECT_EQ(bytes.substr(128, 4), "DICM");
  TempDir dir("plugin-part10");
  std::ofstream(dir / "sr.dcm", std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  DcmFileFormat file;
  ASSERT_TRUE(file.loadFile((dir / "sr.dcm").c_str()).good());
  OFString uid, syntax;
  file.getDataset()->findAndGetOFString(DCM_SOPInstanceUID, uid);
  file.getMetaInfo()->findAndGetOFString(DCM_TransferSyntaxUID, syntax);
  EXPECT_EQ(uid, "1.2.3.4.5");
  EXPECT_EQ(syntax, "1.2.840.10008.1.2.1");
  const Uint8* read = nullptr;
  unsigned long count = 0;
  ASSERT_TRUE(file.getDataset()->findAndGetUint8Array(DCM_EncapsulatedDocument, read, &count).good());
  ASSERT_EQ(count, blob.size() + 1);  // OB is padded to an even length
  EXPECT_TRUE(std::equal(blob.begin(), blob.end(), read));
  // The caller's data set is untouched (the sink encodes a copy).
  EXPECT_TRUE(dataset.tagExists(DCM_EncapsulatedDocument));
}

TEST(PluginUnits, CoreErrorsBecomeTheirHttpStatusWithAJsonError) {
  auto run = [](auto thrower) { return plugin::protect([&]() -> plugin::HttpReply { thrower(); return {}; }); };
  const auto notFound = run([] { throw Error(ErrorCode::NotFound, "no study x"); });
  EXPECT_EQ(notFound.status, 404);
  EXPECT_EQ(json::parse(notFound.body), json({{"error", "no study x"}}));
  EXPECT_EQ(run([] { throw Error(ErrorCode::InvalidArgument, "bad"); }).status, 400);
  EXPECT_EQ(run([] { throw Error(ErrorCode::Config, "no model"); }).status, 503);
  const auto internal = run([] { throw std::runtime_error("secret detail"); });
  EXPECT_EQ(internal.status, 500);
  EXPECT_EQ(internal.body.find("secret detail"), std::string::npos);
  EXPECT_EQ(plugin::protect([] { return plugin::HttpReply::json(200, {{"ok", true}}); }).status, 200);
}

}  // namespace
