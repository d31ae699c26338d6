// The audit file (core/audit/audit_file_sink.h): append-only, 0600, one whole message per line
// however many threads write at once.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <thread>
#include <vector>

#include "audit/audit_file_sink.h"
#include "common/error.h"
#include "metrics/metrics.h"

namespace {

namespace fs = std::filesystem;
using medvqa::audit::AuditFileSink;

class AuditFile : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/medvqa-audit-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<std::string> lines(const fs::path& file) {
    std::ifstream in(file);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }

  fs::path dir_;
};

// A message bigger than a pipe buffer (4 KiB) on some lines: a write(2) of a regular file opened
// O_APPEND is whole whatever its size, which is what keeps lines apart.
std::string messageFor(int thread, int i) {
  const std::size_t padding = (i % 7 == 0) ? 20000 : static_cast<std::size_t>(50 + i % 300);
  return "<AuditMessage t=\"" + std::to_string(thread) + "\" i=\"" + std::to_string(i) + "\">" +
         std::string(padding, static_cast<char>('a' + thread)) + "</AuditMessage>";
}

TEST_F(AuditFile, ConcurrentWritersProduceWholeLinesOnly) {
  const fs::path file = dir_ / "audit.log";
  constexpr int kThreads = 8, kPerThread = 400;
  {
    AuditFileSink sink(file, "audit.file");
    std::vector<std::thread> writers;
    for (int t = 0; t < kThreads; ++t) {
      writers.emplace_back([&sink, t] {
        for (int i = 0; i < kPerThread; ++i) sink.write(messageFor(t, i));
      });
    }
    for (auto& w : writers) w.join();
  }
  const auto written = lines(file);
  ASSERT_EQ(written.size(), static_cast<std::size_t>(kThreads * kPerThread));
  std::map<std::string, int> seen;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) seen[messageFor(t, i)] = 0;
  }
  for (const auto& line : written) {
    const auto found = seen.find(line);
    ASSERT_NE(found, seen.end()) << "a line that no writer wrote whole: " << line.substr(0, 80);
    ++found->second;
  }
  for (const auto& [message, count] : seen) EXPECT_EQ(count, 1);
}

TEST_F(AuditFile, AppendsToWhatIsThereAndCreatesOwnerOnly) {
  const fs::path file = dir_ / "audit.log";
  {
    AuditFileSink sink(file, "audit.file");
    sink.write("<first/>");
  }
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  {
    AuditFileSink sink(file, "audit.file");
    sink.write("<second/>");
  }
  EXPECT_EQ(lines(file), (std::vector<std::string>{"<first/>", "<second/>"}));
}

TEST_F(AuditFile, ALineBreakInAMessageCannotStartAForgedLine) {
  const fs::path file = dir_ / "audit.log";
  {
    AuditFileSink sink(file, "audit.file");
    sink.write("<a>one\n<AuditMessage forged=\"1\"/>\r</a>");
  }
  const auto written = lines(file);
  ASSERT_EQ(written.size(), 1u);
  EXPECT_EQ(written[0], "<a>one <AuditMessage forged=\"1\"/> </a>");
}

TEST_F(AuditFile, AFileThatCannotBeOpenedIsAConfigErrorNamingTheKey) {
  try {
    AuditFileSink sink(dir_ / "no-such-folder" / "audit.log", "audit.file");
    FAIL() << "opened a file in a folder that does not exist";
  } catch (const medvqa::Error& e) {
    EXPECT_EQ(e.code(), medvqa::ErrorCode::Config);
    EXPECT_NE(std::string(e.what()).find("'audit.file'"), std::string::npos) << e.what();
  }
}

TEST_F(AuditFile, AWriteThatFailsThrowsInsteadOfPretending) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  AuditFileSink sink("/dev/full", "audit.file");
  EXPECT_THROW(sink.write("<lost/>"), medvqa::Error);
}

TEST_F(AuditFile, WrittenMessagesAreCounted) {
  medvqa::metrics::Metrics metrics;
  {
    AuditFileSink sink(dir_ / "audit.log", "audit.file", &metrics);
    sink.write("<one/>");
    sink.write("<two/>");
  }
  EXPECT_NE(metrics.exposition().find(R"(medvqa_audit_messages_total{outcome="written",sink="file"} 2)"),
            std::string::npos)
      << metrics.exposition();
}

}  // namespace
