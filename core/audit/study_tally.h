#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace medvqa::audit {

// The instances of each study an operation touched, by SOP class: one audit message per study
// says what an association stored or a retrieve sent, not one per instance.
class StudyTally {
 public:
  struct Counts {
    std::map<std::string, std::uint64_t> bySopClass;
    std::uint64_t failed = 0;  // of those counted, how many did not go through
    std::uint64_t total() const {
      std::uint64_t n = 0;
      for (const auto& [sopClass, count] : bySopClass) n += count;
      return n;
    }
  };

  void add(const std::string& studyUid, const std::string& sopClassUid, bool ok = true) {
    Counts& counts = studies_[studyUid];
    ++counts.bySopClass[sopClassUid];
    if (!ok) ++counts.failed;
  }
  bool empty() const noexcept { return studies_.empty(); }
  const std::map<std::string, Counts>& studies() const noexcept { return studies_; }

 private:
  std::map<std::string, Counts> studies_;
};

}  // namespace medvqa::audit
