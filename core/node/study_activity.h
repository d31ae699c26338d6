#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>

namespace medvqa::node {

// Which studies have an association still open that sent into them. A study is not stable while
// its sender is connected, however quiet it has been (a modality may pause between series).
class StudyActivity {
 public:
  void noteStored(std::uint64_t associationId, const std::string& studyUid);
  void associationEnded(std::uint64_t associationId);
  bool hasOpenSender(const std::string& studyUid) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::uint64_t, std::set<std::string>> studiesByAssociation_;
  std::map<std::string, unsigned> openSenders_;
};

}  // namespace medvqa::node
