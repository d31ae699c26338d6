// medvqa synth is a pure function of its options: the same seed writes the same bytes.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcdeftag.h>

#include "synth/synth.h"
#include "synth_test_support.h"

using namespace medvqa::synth;
using namespace synth_test;

namespace {

SynthOptions options(const fs::path& out, std::uint64_t seed) {
  SynthOptions o;
  o.out = out;
  o.studies = 6;
  o.seed = seed;
  return o;
}

}  // namespace

TEST(SynthDeterminism, SameSeedWritesTheSameBytesAnotherSeedOtherStudies) {
  TempDir a("det-a"), b("det-b"), c("det-c");
  generateDataset(options(a.path() / "set", 11));
  generateDataset(options(b.path() / "set", 11));
  generateDataset(options(c.path() / "set", 12));
  const auto filesA = filesUnder(a.path() / "set"), filesB = filesUnder(b.path() / "set");
  ASSERT_GT(filesA.size(), 6u);  // truth.jsonl + at least one file per study
  ASSERT_EQ(filesA.size(), filesB.size());
  for (std::size_t i = 0; i < filesA.size(); ++i) {
    EXPECT_EQ(fs::relative(filesA[i], a.path()), fs::relative(filesB[i], b.path()));
    EXPECT_TRUE(readBytes(filesA[i]) == readBytes(filesB[i])) << filesA[i];
  }
  EXPECT_NE(readBytes(a.path() / "set" / "truth.jsonl"), readBytes(c.path() / "set" / "truth.jsonl"));
  const fs::path firstA = filesUnder(a.path() / "set" / "study-0001").front();
  const fs::path firstC = filesUnder(c.path() / "set" / "study-0001").front();
  EXPECT_NE(attribute(firstA, DCM_StudyInstanceUID), attribute(firstC, DCM_StudyInstanceUID));
  EXPECT_NE(attribute(firstA, DCM_StudyDate), "");
}
