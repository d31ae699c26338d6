#pragma once

// What a DIMSE status code means (PS3.7 Annex C), read the same way by the node's SCU side (a
// C-STORE answered by a destination: pipeline/store_transport, net::StoreClient) and its SCP side
// (the C-STORE sub-operations of a C-GET or C-MOVE: scp/sub_operations).

#include <cstdint>
#include <string>
#include <string_view>

namespace medvqa::net {

enum class DimseStatusClass { Success, Warning, Failure, Cancel, Pending };

// PS3.7 C.1-C.5: 0x0000 is success; 0x0001, 0xB000-0xBFFF, 0x0107 (attribute list error) and
// 0x0116 (attribute value out of range) are warnings (the operation was performed, with a
// remark); 0xFE00 is cancel; 0xFF00 and 0xFF01 are pending; every other code is a failure.
constexpr DimseStatusClass classifyDimseStatus(std::uint16_t status) noexcept {
  if (status == 0x0000) return DimseStatusClass::Success;
  if (status == 0x0001 || status == 0x0107 || status == 0x0116 || (status & 0xF000) == 0xB000) {
    return DimseStatusClass::Warning;
  }
  if (status == 0xFE00) return DimseStatusClass::Cancel;
  if (status == 0xFF00 || status == 0xFF01) return DimseStatusClass::Pending;
  return DimseStatusClass::Failure;
}

// Whether a C-STORE answered with `status` left the instance with the peer: success, or success
// with a warning. A delivery so answered is delivered; a C-GET / C-MOVE sub-operation so answered
// is completed, or counted among the warning sub-operations (PS3.4 C.4.2.1.4, C.4.3.1.4).
constexpr bool storedByPeer(std::uint16_t status) noexcept {
  const DimseStatusClass c = classifyDimseStatus(status);
  return c == DimseStatusClass::Success || c == DimseStatusClass::Warning;
}

// "success", "warning", "failure", "cancel", "pending".
std::string_view nameOf(DimseStatusClass c) noexcept;

// "0xA700": how log lines and error messages write a status.
std::string hexStatus(std::uint16_t status);

}  // namespace medvqa::net
