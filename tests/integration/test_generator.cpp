// medvqa-gen, the source of every test and benchmark corpus: deterministic, valid UIDs, and the
// transfer syntax it was asked for.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcuid.h>

#include "dicom/uid.h"
#include "dicom_files.h"
#include "node_under_test.h"

namespace fs = std::filesystem;
using namespace medvqa::test;

namespace {
RunResult generate(const fs::path& out, const std::string& syntax, const std::string& seed) {
  return run({buildBin("medvqa-gen").string(), "--out", out.string(), "--studies", "2", "--series-per-study", "2",
              "--instances", "2", "--rows", "32", "--cols", "32", "--seed", seed, "--transfer-syntax", syntax,
              "--quiet"});
}
}  // namespace

TEST(Generator, SameSeedSameBytesOtherSeedOtherUids) {
  TempDir a("gen-a"), b("gen-b"), c("gen-c");
  ASSERT_EQ(generate(a.path(), "explicit", "5").exitCode, 0);
  ASSERT_EQ(generate(b.path(), "explicit", "5").exitCode, 0);
  ASSERT_EQ(generate(c.path(), "explicit", "6").exitCode, 0);
  const auto filesA = filesUnder(a.path()), filesB = filesUnder(b.path()), filesC = filesUnder(c.path());
  ASSERT_EQ(filesA.size(), 8u);
  ASSERT_EQ(filesB.size(), filesA.size());
  for (std::size_t i = 0; i < filesA.size(); ++i) EXPECT_EQ(readFile(filesA[i]), readFile(filesB[i]));
  EXPECT_NE(attribute(filesA[0], DCM_SOPInstanceUID), attribute(filesC[0], DCM_SOPInstanceUID));
}

TEST(Generator, WritesValidUidsInTheRequestedSyntax) {
  const std::map<std::string, std::string> syntaxes = {{"implicit", UID_LittleEndianImplicitTransferSyntax},
                                                       {"rle", UID_RLELosslessTransferSyntax},
                                                       {"j2k", UID_JPEG2000LosslessOnlyTransferSyntax}};
  for (const auto& [name, uid] : syntaxes) {
    TempDir out("gen-ts");
    ASSERT_EQ(generate(out.path(), name, "9").exitCode, 0);
    for (const auto& f : filesUnder(out.path())) {
      EXPECT_EQ(transferSyntaxOf(f), uid) << f;
      for (const auto& tag : {DCM_StudyInstanceUID, DCM_SeriesInstanceUID, DCM_SOPInstanceUID}) {
        EXPECT_TRUE(medvqa::dicom::normalizeUid(attribute(f, tag)).has_value()) << f;
      }
    }
  }
}
