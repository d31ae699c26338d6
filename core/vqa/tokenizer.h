#pragma once

// The `words+char-ngrams` question encoder of docs/model-format.md. The one implementation used
// by training (`medvqa prepare`) and serving, so the two cannot skew.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vqa/manifest.h"

namespace medvqa::vqa {

class Tokenizer {
 public:
  // Error(Config) naming the field when the config cannot be used (see validate()).
  explicit Tokenizer(TokenizerConfig config);

  const TokenizerConfig& config() const { return config_; }
  // Token ids range over [0, tokenCount()): the module's embedding table has that many rows.
  std::int64_t tokenCount() const;
  std::int64_t vocabularySize() const { return static_cast<std::int64_t>(config_.vocabulary.size()); }

  // Exactly maxLength ids: per word its vocabulary id (or 1 <unk>) then its n-gram ids, truncated,
  // padded with 0.
  std::vector<std::int64_t> encode(std::string_view question) const;
  // The words the question is split into (normalised, contractions expanded).
  std::vector<std::string> words(std::string_view question) const;

  // Step 1 of the algorithm on its own.
  static std::vector<std::string> normalise(std::string_view question, bool lowercase);
  // The n-grams of "<" + word + ">" (bytes), in order; the whole padded word when it is shorter.
  static std::vector<std::string> ngrams(std::string_view word, int n);
  // FNV-1a 32-bit over the bytes: offset basis 2166136261, prime 16777619.
  static std::uint32_t fnv1a32(std::string_view bytes);

  // A tokenizer whose vocabulary is "<pad>", "<unk>", then every word of `questions` sorted
  // (byte order) and deduplicated; `base` gives everything else. Deterministic: the same
  // questions in any order give the same vocabulary.
  static Tokenizer buildVocabulary(std::span<const std::string> questions, TokenizerConfig base = {});

 private:
  TokenizerConfig config_;
  std::unordered_map<std::string, std::int64_t> ids_;
};

// Error(Config) naming the field: type, max_length, ngram.n, ngram.buckets, vocabulary
// (<pad>, <unk> first; no duplicate or empty word).
void validate(const TokenizerConfig& config, std::string_view field = "tokenizer");

}  // namespace medvqa::vqa
