#include <gtest/gtest.h>

#include <set>
#include <string>

#include "common/error.h"
#include "dicom/uid.h"

using medvqa::dicom::derivedUid;
using medvqa::dicom::normalizeUid;
using medvqa::dicom::uidSeed;

namespace {

// Stricter than normalizeUid: what a UID we mint must be (no component with a leading zero).
bool isDicomUid(const std::string& uid) {
  if (uid.empty() || uid.size() > 64 || uid.front() == '.' || uid.back() == '.') return false;
  for (std::size_t i = 0; i < uid.size(); ++i) {
    const char c = uid[i];
    if (c == '.') {
      if (uid[i + 1] == '.') return false;
    } else if (c < '0' || c > '9') {
      return false;
    } else if (c == '0' && (i == 0 || uid[i - 1] == '.') && i + 1 < uid.size() && uid[i + 1] != '.') {
      return false;  // a component with a leading zero
    }
  }
  return true;
}

}  // namespace

TEST(Uid, AcceptsWhatRealDevicesSend) {
  EXPECT_EQ(normalizeUid("1.2.840.10008.5.1.4.1.1.2"), "1.2.840.10008.5.1.4.1.1.2");
  EXPECT_EQ(normalizeUid("1.2.840.0123.5"), "1.2.840.0123.5");  // leading zero in a component
  EXPECT_EQ(normalizeUid(std::string("1.2.3\0", 6)), "1.2.3");   // NUL padding
  EXPECT_EQ(normalizeUid("1.2.3 "), "1.2.3");                     // space padding
  EXPECT_EQ(normalizeUid(std::string(64, '1')), std::string(64, '1'));
}

TEST(Uid, RefusesWhatCouldEscapeOrIsNotAUid) {
  EXPECT_FALSE(normalizeUid("../../etc/x"));
  EXPECT_FALSE(normalizeUid("1.2/3"));
  EXPECT_FALSE(normalizeUid("1.2.abc"));
  EXPECT_FALSE(normalizeUid(""));
  EXPECT_FALSE(normalizeUid("   "));
  EXPECT_FALSE(normalizeUid(std::string(65, '1')));
  EXPECT_FALSE(normalizeUid("1.2 .3"));
  EXPECT_FALSE(normalizeUid(".."));
  EXPECT_FALSE(normalizeUid("1..2"));
  EXPECT_FALSE(normalizeUid(".1.2"));
  EXPECT_FALSE(normalizeUid("1.2."));
}

TEST(Uid, RequireNamesTheAttribute) {
  try {
    medvqa::dicom::requireUid("..\\x", "SOP Instance UID");
    FAIL() << "expected an error";
  } catch (const medvqa::Error& e) {
    EXPECT_EQ(e.code(), medvqa::ErrorCode::InvalidArgument);
    EXPECT_NE(std::string(e.what()).find("SOP Instance UID"), std::string::npos);
  }
}

TEST(Uid, DerivedUidsAreValidDistinctAndStable) {
  std::set<std::string> seen;
  for (std::uint64_t seed : {0ULL, 1ULL, ~0ULL}) {
    for (std::uint64_t i = 0; i < 2000; ++i) {
      const std::string uid = derivedUid(seed, "study", {i});
      EXPECT_TRUE(isDicomUid(uid)) << uid;
      EXPECT_EQ(uid.rfind("2.25.", 0), 0u) << uid;
      EXPECT_TRUE(seen.insert(uid).second) << "duplicate " << uid;
    }
  }
  EXPECT_EQ(derivedUid(5, "series", {3}), derivedUid(5, "series", {3}));
  EXPECT_NE(derivedUid(5, "series", {3}), derivedUid(5, "study", {3}));
}

// The derivation is frozen: synthetic data sets, the SRs a job rewrites on retry and their
// tracking UIDs depend on these exact values (pinned when it moved from synth/ to dicom/).
TEST(Uid, DerivedUidsNeverChange) {
  EXPECT_EQ(derivedUid(5, "series", {3}), "2.25.38658167166751151263845202294918812536");
  EXPECT_EQ(derivedUid(0, "study"), "2.25.106203018976215240228288747002259899137");
  EXPECT_EQ(derivedUid(42, "sop-instance", {1, 2}), "2.25.43340210515745530893615239814241550024");
  EXPECT_EQ(derivedUid(~0ULL, "frame-of-reference", {9}), "2.25.157853488402858232136698670982623751681");
  const std::uint64_t job = uidSeed("1.2.3|rule|v1|fp");
  EXPECT_EQ(derivedUid(job, "medvqa-sr-series"), "2.25.274809346050528964222010691303531258031");
  EXPECT_EQ(derivedUid(job, "medvqa-sr-instance"), "2.25.255572109240976826291612519630007556965");
  const std::uint64_t report = uidSeed("2.25.1234");
  EXPECT_EQ(derivedUid(report, "medvqa-sr-tracking-uid", {0}), "2.25.148694814048342557867440959046467091090");
  EXPECT_EQ(derivedUid(report, "medvqa-sr-tracking-uid", {7}), "2.25.70631043904097951336494874120448664753");
  EXPECT_EQ(uidSeed(""), 0xCBF29CE484222325ULL);  // FNV-1a's offset basis
}
