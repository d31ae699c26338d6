#pragma once

#include <gtest/gtest.h>

#include <regex>
#include <map>
#include <sstream>
#include <string>

namespace medvqa::test {

// Checks Prometheus' text exposition format (0.0.4) line by line: every line is a HELP, a TYPE
// (once per family), or a sample of a family whose TYPE came before (a histogram's samples are
// its _bucket, _sum and _count), with well-formed, escaped labels and a number (+Inf, NaN and
// exponents included).
inline void expectValidExposition(const std::string& text) {
  static const std::regex help(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+)");
  static const std::regex type(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped))");
  static const std::regex sample(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*",?)*\})? )"
      R"(([-+]?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?|[-+]?Inf|NaN))");
  std::map<std::string, std::string> typed;
  std::istringstream in(text);
  int samples = 0;
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (line.empty() || std::regex_match(line, m, help)) continue;
    if (std::regex_match(line, m, type)) {
      EXPECT_TRUE(typed.emplace(m[1], m[2]).second) << "family typed twice: " << line;
      continue;
    }
    ASSERT_TRUE(std::regex_match(line, m, sample)) << "not a sample line: " << line;
    const std::string name = m[1];
    bool known = typed.count(name) > 0;
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      const std::string s(suffix);
      if (!known && name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
        const auto family = typed.find(name.substr(0, name.size() - s.size()));
        known = family != typed.end() && (family->second == "histogram" || family->second == "summary");
      }
    }
    EXPECT_TRUE(known) << "sample before its TYPE: " << line;
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
