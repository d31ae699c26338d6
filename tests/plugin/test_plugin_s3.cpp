// S3 upload from inside Orthanc: the plugin's "s3" destinations get each answer SR (and, with
// uploadSourceStudy, every instance of the study) as the exact bytes Orthanc stores, under the
// node's object keys, in a real npm s3rver (fixture s3rver), read back with signed GETs.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcdeftag.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>

#include "common/error.h"
#include "dicom_files.h"
#include "orthanc_under_test.h"
#include "prometheus_text.h"
#include "s3/object_key.h"
#include "s3rver.h"

namespace fs = std::filesystem;
namespace test = medvqa::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// The object under `key` once it is there (uploads run on the forwarder's thread); nullopt after 30 s.
std::optional<std::string> waitForObject(medvqa::s3::S3Client& reader, const std::string& key) {
  std::optional<std::string> object;
  test::waitFor([&] {
    try {
      object = reader.getObject(key);
    } catch (const medvqa::Error& e) {
      if (e.code() != medvqa::ErrorCode::NotFound) throw;
    }
    return object.has_value();
  }, 30s);
  return object;
}

// The key the node would use for an instance, from the UIDs in the instance's own bytes.
std::string keyOf(const std::string& prefix, const fs::path& file) {
  return medvqa::s3::objectKey(prefix, test::attribute(file, DCM_StudyInstanceUID),
                               test::attribute(file, DCM_SeriesInstanceUID),
                               test::attribute(file, DCM_SOPInstanceUID));
}

fs::path writeFile(const fs::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return file;
}

TEST(PluginS3, TheSrAndItsStudyAreUploadedAsOrthancStoresThemUnderTheNodesKeys) {
  test::TempDir work("plugin-s3");
  const auto truth = test::synthStudies(work / "set", 1, 77);
  const std::string studyUid = truth[0].studyUid;
  const auto sources = test::filesUnder(work / "set" / truth[0].studyDir);
  ASSERT_FALSE(sources.empty());

  test::S3rver s3rver("medvqa");
  s3rver.start();
  const std::string prefix = "orthanc/answers/";
  test::OrthancUnderTest orthanc({.medvqa = {{"model", test::demoModel().string()},
                                       {"s3", {{{"name", "archive"},
                                                {"endpoint", s3rver.endpoint()},
                                                {"bucket", "medvqa"},
                                                {"prefix", prefix},
                                                {"accessKeyId", "S3RVER"},
                                                // relative: Orthanc's configuration folder, not its working folder
                                                {"secretAccessKeyFile", "s3-secret"},
                                                {"uploadSourceStudy", true}}}}}});
  const fs::path secret = writeFile(orthanc.configFolder() / "s3-secret", "S3RVER\n");
  orthanc.start();
  ASSERT_EQ(orthanc.store(sources).exitCode, 0);

  const auto studyId = orthanc.studyId(studyUid);
  ASSERT_TRUE(studyId);
  ASSERT_TRUE(test::waitFor([&] { return !orthanc.srSeries(*studyId).empty(); }, 90s)) << orthanc.log();
  const std::string srId = orthanc.srSeries(*studyId)[0]["Instances"][0];
  const auto srBytes = orthanc.get("/instances/" + srId + "/file");
  ASSERT_EQ(srBytes.status, 200);
  const fs::path srFile = writeFile(work / "sr.dcm", srBytes.body);
  EXPECT_EQ(test::attribute(srFile, DCM_StudyInstanceUID), studyUid);

  // Compared once every PUT has been answered: s3rver lists an object while it is still writing it.
  const std::size_t expected = sources.size() + 1;
  ASSERT_TRUE(test::waitFor([&] {
    const auto all = orthanc.getJson("/medvqa/deliveries")["deliveries"];
    return all.size() == expected && std::all_of(all.begin(), all.end(), [](const json& d) { return d["state"] == "sent"; });
  }, 30s)) << orthanc.get("/medvqa/deliveries").body;
  auto reader = test::s3Reader(s3rver.endpoint(), "medvqa", "S3RVER", secret);
  const std::string srKey = keyOf(prefix, srFile);
  const auto uploaded = waitForObject(reader, srKey);
  ASSERT_TRUE(uploaded) << srKey << " not uploaded; outbox: " << orthanc.get("/medvqa/deliveries").body << "\n"
                        << orthanc.log();
  EXPECT_TRUE(*uploaded == srBytes.body) << "the object is not Orthanc's file: " << uploaded->size() << " bytes, not "
                                         << srBytes.body.size();

  // Every source instance too, as Orthanc stores it (its own Part 10 encoding of what it received).
  for (const auto& source : sources) {
    const auto hits = orthanc.post("/tools/lookup", test::attribute(source, DCM_SOPInstanceUID)).json();
    ASSERT_EQ(hits.size(), 1u) << source;
    const auto stored = orthanc.get("/instances/" + hits[0]["ID"].get<std::string>() + "/file");
    ASSERT_EQ(stored.status, 200);
    const auto object = waitForObject(reader, keyOf(prefix, source));
    ASSERT_TRUE(object) << keyOf(prefix, source) << " not uploaded";
    EXPECT_TRUE(*object == stored.body) << source << ": " << object->size() << " bytes in the bucket, "
                                        << stored.body.size() << " in Orthanc";
  }

  // The outbox and the metrics say what went where, per destination.
  for (const auto& d : orthanc.getJson("/medvqa/deliveries")["deliveries"]) EXPECT_EQ(d["destination"], "s3:archive");
  const std::string metrics = orthanc.get("/medvqa/metrics").body;
  EXPECT_EQ(test::sampleValue(metrics, "medvqa_reports_sent_total{destination=\"s3:archive\"}"),
            static_cast<double>(expected))
      << metrics;
  EXPECT_EQ(orthanc.stop(), 0) << orthanc.log();
}

TEST(PluginConfig, ABadS3EntryStopsOrthancNamingTheKey) {
  test::OrthancUnderTest orthanc({.medvqa = {{"model", test::demoModel().string()},
                                       {"s3", {{{"endpoint", "http://127.0.0.1:9"},
                                                {"bucket", "Not_A_Bucket"},
                                                {"accessKeyId", "S3RVER"},
                                                {"secretAccessKeyFile", "s3-secret"}}}}}});
  writeFile(orthanc.configFolder() / "s3-secret", "S3RVER\n");
  try {
    orthanc.start();
    ADD_FAILURE() << "Orthanc started with a bad s3 entry:\n" << orthanc.log();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("MedVQA.s3[0].bucket"), std::string::npos) << e.what();
  }
}

}  // namespace
