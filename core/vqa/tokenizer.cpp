#include "vqa/tokenizer.h"

#include <algorithm>
#include <array>
#include <set>

#include "common/error.h"

namespace medvqa::vqa {

namespace {

constexpr std::int64_t kPad = 0;
constexpr std::int64_t kUnknown = 1;

// Words after which "'s" means "is" ("what's", "it's"); elsewhere it is a possessive and dropped.
constexpr std::array<std::string_view, 14> kIsWords = {"it",   "he",   "she", "that", "this",  "there", "here",
                                                       "what", "where", "who", "how",  "which", "why",   "when"};

// UTF-8 bytes of non-ASCII characters count as letters: accented words stay whole.
// ASCII tests by hand: the C locale functions would make the split depend on the process locale.
bool isWordByte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80 || c == '\'';
}

char asciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool endsWithNoCase(std::string_view word, std::string_view suffix) {
  if (word.size() < suffix.size()) return false;
  auto tail = word.substr(word.size() - suffix.size());
  return std::equal(tail.begin(), tail.end(), suffix.begin(), [](char a, char b) { return asciiLower(a) == b; });
}

bool isIsWord(std::string_view word) {
  std::string lower(word);
  std::transform(lower.begin(), lower.end(), lower.begin(), asciiLower);
  return std::find(kIsWords.begin(), kIsWords.end(), lower) != kIsWords.end();
}

// Typographic apostrophes (U+2018, U+2019) as pasted from a report become ASCII ones.
std::string straightenApostrophes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i + 2 < text.size() && static_cast<unsigned char>(text[i]) == 0xE2 &&
        static_cast<unsigned char>(text[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(text[i + 2]) == 0x98 || static_cast<unsigned char>(text[i + 2]) == 0x99)) {
      out.push_back('\'');
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// Splits on anything but letters, digits and apostrophes.
std::vector<std::string> splitWords(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  for (char c : text) {
    if (isWordByte(static_cast<unsigned char>(c))) {
      current.push_back(c);
    } else if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

// Apostrophes left after the contraction rules ("o'clock", quotes) separate words.
void appendSplitOnApostrophes(std::string_view text, std::vector<std::string>& out) {
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\'', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
}

// The contraction rules of docs/model-format.md, applied to one word.
void expandContraction(std::string_view word, std::vector<std::string>& out) {
  if (endsWithNoCase(word, "n't")) {
    appendSplitOnApostrophes(word.substr(0, word.size() - 3), out);
    out.emplace_back("not");
  } else if (endsWithNoCase(word, "'re")) {
    appendSplitOnApostrophes(word.substr(0, word.size() - 3), out);
    out.emplace_back("are");
  } else if (endsWithNoCase(word, "'s")) {
    auto base = word.substr(0, word.size() - 2);
    appendSplitOnApostrophes(base, out);
    if (isIsWord(base)) out.emplace_back("is");
  } else {
    appendSplitOnApostrophes(word, out);
  }
}

}  // namespace

void validate(const TokenizerConfig& config, std::string_view name) {
  const std::string field(name);
  auto fail = [&](const std::string& key, const std::string& why) {
    throw Error(ErrorCode::Config, field + "." + key + ": " + why);
  };
  if (config.type != "words+char-ngrams") fail("type", "unsupported \"" + config.type + "\" (expected \"words+char-ngrams\")");
  if (config.maxLength < 1) fail("max_length", "must be at least 1");
  if (config.ngramN < 1) fail("ngram.n", "must be at least 1");
  if (config.buckets < 1) fail("ngram.buckets", "must be at least 1");
  const auto& vocabulary = config.vocabulary;
  if (vocabulary.size() < 2 || vocabulary[0] != "<pad>" || vocabulary[1] != "<unk>") {
    fail("vocabulary", "must start with \"<pad>\", \"<unk>\"");
  }
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < vocabulary.size(); ++i) {
    if (vocabulary[i].empty()) fail("vocabulary[" + std::to_string(i) + "]", "must not be empty");
    if (!seen.insert(vocabulary[i]).second) {
      fail("vocabulary[" + std::to_string(i) + "]", "duplicate word \"" + vocabulary[i] + "\"");
    }
  }
}

Tokenizer::Tokenizer(TokenizerConfig config) : config_(std::move(config)) {
  validate(config_);
  for (std::size_t i = 0; i < config_.vocabulary.size(); ++i) ids_.emplace(config_.vocabulary[i], static_cast<std::int64_t>(i));
}

std::int64_t Tokenizer::tokenCount() const { return vocabularySize() + static_cast<std::int64_t>(config_.buckets); }

std::vector<std::string> Tokenizer::normalise(std::string_view question, bool lowercase) {
  std::string text = straightenApostrophes(question);
  if (lowercase) std::transform(text.begin(), text.end(), text.begin(), asciiLower);
  std::vector<std::string> words;
  for (const auto& raw : splitWords(text)) expandContraction(raw, words);
  return words;
}

std::vector<std::string> Tokenizer::words(std::string_view question) const { return normalise(question, config_.lowercase); }

std::vector<std::string> Tokenizer::ngrams(std::string_view word, int n) {
  std::string padded;
  padded.reserve(word.size() + 2);
  padded.append("<").append(word).append(">");
  const auto size = static_cast<std::size_t>(n);
  if (padded.size() <= size) return {padded};
  std::vector<std::string> grams;
  grams.reserve(padded.size() - size + 1);
  for (std::size_t i = 0; i + size <= padded.size(); ++i) grams.push_back(padded.substr(i, size));
  return grams;
}

std::uint32_t Tokenizer::fnv1a32(std::string_view bytes) {
  std::uint32_t hash = 2166136261u;
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619u;
  }
  return hash;
}

std::vector<std::int64_t> Tokenizer::encode(std::string_view question) const {
  const auto maxLength = static_cast<std::size_t>(config_.maxLength);
  std::vector<std::int64_t> ids;
  ids.reserve(maxLength);
  for (const auto& word : words(question)) {
    if (ids.size() >= maxLength) break;
    auto it = ids_.find(word);
    ids.push_back(it == ids_.end() ? kUnknown : it->second);
    for (const auto& gram : ngrams(word, config_.ngramN)) {
      ids.push_back(vocabularySize() + static_cast<std::int64_t>(fnv1a32(gram) % config_.buckets));
    }
  }
  ids.resize(maxLength, kPad);  // truncates or pads
  return ids;
}

Tokenizer Tokenizer::buildVocabulary(std::span<const std::string> questions, TokenizerConfig base) {
  std::set<std::string> words;
  for (const auto& question : questions) {
    for (auto& word : normalise(question, base.lowercase)) words.insert(std::move(word));
  }
  base.vocabulary = {"<pad>", "<unk>"};
  base.vocabulary.insert(base.vocabulary.end(), words.begin(), words.end());
  return Tokenizer(std::move(base));
}

}  // namespace medvqa::vqa
