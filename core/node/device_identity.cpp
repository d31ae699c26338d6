#include "node/device_identity.h"

#include <dcmtk/dcmdata/dcuid.h>

#include <fstream>

#include "common/error.h"
#include "dicom/uid.h"

namespace medvqa::node {

std::string deviceObserverUid(const std::filesystem::path& storage) {
  const auto file = storage / "device-uid";
  std::string uid;
  if (std::ifstream in(file); in && std::getline(in, uid) && dicom::normalizeUid(uid)) return *dicom::normalizeUid(uid);
  char buffer[100];
  uid = dcmGenerateUniqueIdentifier(buffer, SITE_INSTANCE_UID_ROOT);
  const auto temp = storage / "device-uid.tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << uid << '\n';
    if (!out.flush()) throw Error(ErrorCode::Io, "cannot write " + temp.string());
  }
  std::filesystem::rename(temp, file);
  return uid;
}

}  // namespace medvqa::node
