#include <gtest/gtest.h>

#include "common/error.h"
#include "dicom/uid.h"

using medvqa::dicom::normalizeUid;

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
