// One reading of DIMSE status codes (PS3.7 Annex C) for the node's SCU side (deliveries) and its
// SCP side (C-GET / C-MOVE sub-operations), and what the sub-operation counts make of it.
#include <dcmtk/dcmdata/dcdeftag.h>
#include <gtest/gtest.h>

#include "index/index.h"
#include "net/dimse_status.h"
#include "sub_operations.h"

namespace medvqa {
namespace {

using net::classifyDimseStatus;
using net::DimseStatusClass;

TEST(DimseStatus, ClassifiesEveryClassOfPs37AnnexC) {
  EXPECT_EQ(classifyDimseStatus(0x0000), DimseStatusClass::Success);
  for (const std::uint16_t warning : {0x0001, 0x0107, 0x0116, 0xB000, 0xB006, 0xB007, 0xBFFF}) {
    EXPECT_EQ(classifyDimseStatus(warning), DimseStatusClass::Warning) << net::hexStatus(warning);
  }
  EXPECT_EQ(classifyDimseStatus(0xFE00), DimseStatusClass::Cancel);
  EXPECT_EQ(classifyDimseStatus(0xFF00), DimseStatusClass::Pending);
  EXPECT_EQ(classifyDimseStatus(0xFF01), DimseStatusClass::Pending);
  for (const std::uint16_t failure : {0x0002, 0x0106, 0x0108, 0x0110, 0x0115, 0x0117, 0x0122, 0x0211, 0xA700, 0xA702,
                                      0xA801, 0xA900, 0xAFFF, 0xC000, 0xCFFF, 0xC001, 0xFE01, 0xFF02, 0xFFFF}) {
    EXPECT_EQ(classifyDimseStatus(failure), DimseStatusClass::Failure) << net::hexStatus(failure);
  }
}

TEST(DimseStatus, AnInstanceIsWithThePeerOnSuccessOrWarningOnly) {
  for (const std::uint16_t stored : {0x0000, 0x0001, 0x0107, 0x0116, 0xB000, 0xB007}) {
    EXPECT_TRUE(net::storedByPeer(stored)) << net::hexStatus(stored);
  }
  for (const std::uint16_t notStored : {0xA700, 0xA900, 0xC000, 0x0110, 0xFE00, 0xFF00, 0xFF01}) {
    EXPECT_FALSE(net::storedByPeer(notStored)) << net::hexStatus(notStored);
  }
}

TEST(DimseStatus, NamesAndHexForLogLines) {
  EXPECT_EQ(net::nameOf(DimseStatusClass::Warning), "warning");
  EXPECT_EQ(net::nameOf(DimseStatusClass::Failure), "failure");
  EXPECT_EQ(net::hexStatus(0xA700), "0xA700");
  EXPECT_EQ(net::hexStatus(0x0107), "0x0107");
  EXPECT_EQ(net::hexStatus(0), "0x0000");
}

StoredInstance instance(const std::string& sopUid, const std::string& studyUid = "1.2.3") {
  StoredInstance i;
  i.sopClassUid = "1.2.840.10008.5.1.4.1.1.2";
  i.sopInstanceUid = sopUid;
  i.studyUid = studyUid;
  return i;
}

std::string failedList(const scp::SubOperations& ops) {
  const auto identifier = ops.failedIdentifier();
  if (!identifier) return "";
  OFString list;
  identifier->findAndGetOFStringArray(DCM_FailedSOPInstanceUIDList, list);
  return list.c_str();
}

TEST(SubOperations, AllCompletedIsSuccess) {
  scp::SubOperations ops(2);
  ops.record(instance("1"), 0x0000);
  EXPECT_EQ(ops.remaining(), 1u);
  ops.record(instance("2"), 0x0000);
  EXPECT_EQ(ops.remaining(), 0u);
  EXPECT_EQ(ops.completed(), 2u);
  EXPECT_EQ(ops.finalStatus(), 0x0000);
  EXPECT_EQ(ops.failedIdentifier(), nullptr);
  EXPECT_EQ(ops.summary(), "2 sent, 0 failed");
}

// PS3.4 C.4.2.1.4 / C.4.3: a sub-operation answered with a warning reached the destination; it
// is counted in Number of Warning Sub-operations and makes the final status B000. 0x0107 and
// 0x0116 are warnings too (they used to count as failures here, and as deliveries in the SCU).
TEST(SubOperations, WarningsAreCountedAsWarningsAndMakeTheFinalStatusB000) {
  for (const std::uint16_t warning : {0xB007, 0x0107, 0x0116, 0x0001}) {
    SCOPED_TRACE(net::hexStatus(warning));
    scp::SubOperations ops(2);
    ops.record(instance("1"), 0x0000);
    ops.record(instance("2"), warning);
    EXPECT_EQ(ops.completed(), 1u);
    EXPECT_EQ(ops.warning(), 1u);
    EXPECT_EQ(ops.failed(), 0u);
    EXPECT_EQ(ops.finalStatus(), 0xB000);
    EXPECT_EQ(failedList(ops), "") << "a warned instance did not fail";
    EXPECT_EQ(ops.sent().studies().at("1.2.3").failed, 0u);
  }
  scp::SubOperations onlyWarned(1);
  onlyWarned.record(instance("1"), 0xB000);
  EXPECT_EQ(onlyWarned.finalStatus(), 0xB000) << "all warned is not all failed";
  EXPECT_EQ(onlyWarned.summary(), "0 sent, 1 sent with a warning, 0 failed");
}

TEST(SubOperations, FailuresAreListedAndAllFailedIsA702) {
  scp::SubOperations some(3);
  some.record(instance("1"), 0x0000);
  some.record(instance("2"), 0xA700);
  some.record(instance("3"), 0xC000);
  EXPECT_EQ(some.failed(), 2u);
  EXPECT_EQ(some.finalStatus(), 0xB000);
  EXPECT_EQ(failedList(some), "2\\3");

  scp::SubOperations all(2);
  all.record(instance("1", "1.2.3"), 0xA702);
  all.record(instance("2", "1.2.4"), 0xFF00);  // a pending status is no answer to a C-STORE
  EXPECT_EQ(all.failed(), 2u);
  EXPECT_EQ(all.finalStatus(), 0xA702);
  EXPECT_EQ(all.sent().studies().at("1.2.3").failed, 1u);
  EXPECT_EQ(all.sent().studies().at("1.2.4").failed, 1u);
}

TEST(SubOperations, CancelWins) {
  scp::SubOperations ops(3);
  ops.record(instance("1"), 0xA700);
  ops.cancel();
  EXPECT_EQ(ops.remaining(), 2u);
  EXPECT_EQ(ops.finalStatus(), 0xFE00);
}

}  // namespace
}  // namespace medvqa
