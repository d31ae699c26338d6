#pragma once

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace medvqa::test {

// Checks Prometheus' text exposition format (0.0.4) line by line: every line is a HELP, a TYPE
// (counter or gauge, once per family), or a sample of a family whose TYPE came before, with
// well-formed, escaped labels and a number.
inline void expectValidExposition(const std::string& text) {
  static const std::regex help(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+)");
  static const std::regex type(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge))");
  static const std::regex sample(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*",?)*\})? -?[0-9]+(\.[0-9]+)?)");
  std::set<std::string> typed;
  std::istringstream in(text);
  int samples = 0;
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_match(line, m, help)) continue;
    if (std::regex_match(line, m, type)) {
      EXPECT_TRUE(typed.insert(m[1]).second) << "family typed twice: " << line;
      continue;
    }
    ASSERT_TRUE(std::regex_match(line, m, sample)) << "not a sample line: " << line;
    EXPECT_TRUE(typed.count(m[1])) << "sample before its TYPE: " << line;
    ++samples;
  }
  EXPECT_GT(samples, 0);
}

// The value of one sample ("name{labels}"), or -1 when absent.
inline double sampleValue(const std::string& text, const std::string& sample) {
  const auto at = text.find("\n" + sample + " ");
  return at == std::string::npos ? -1 : std::stod(text.substr(at + sample.size() + 2));
}

}  // namespace medvqa::test
