#include "net/dimse_status.h"

namespace medvqa::net {

std::string_view nameOf(DimseStatusClass c) noexcept {
  switch (c) {
    case DimseStatusClass::Success: return "success";
    case DimseStatusClass::Warning: return "warning";
    case DimseStatusClass::Failure: return "failure";
    case DimseStatusClass::Cancel: return "cancel";
    case DimseStatusClass::Pending: return "pending";
  }
  return "failure";
}

std::string hexStatus(std::uint16_t status) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out = "0x";
  for (int shift = 12; shift >= 0; shift -= 4) out += kDigits[(status >> shift) & 0xF];
  return out;
}

}  // namespace medvqa::net
