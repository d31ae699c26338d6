#include "synth/random.h"

#include <numeric>
#include <stdexcept>
#include <utility>
#include <vector>

namespace medvqa::synth {

unsigned balancedDraw(std::uint64_t seed, std::string_view purpose, std::uint64_t index,
                      std::span<const unsigned> weights) {
  const unsigned blockSize = std::accumulate(weights.begin(), weights.end(), 0u);
  if (blockSize == 0) throw std::invalid_argument("balancedDraw: weights sum to zero");
  std::vector<unsigned> deck;
  deck.reserve(blockSize);
  for (unsigned category = 0; category < weights.size(); ++category) deck.insert(deck.end(), weights[category], category);
  Rng rng(seed, purpose, {index / blockSize});
  for (unsigned i = blockSize - 1; i > 0; --i) std::swap(deck[i], deck[rng.next() % (i + 1)]);  // Fisher-Yates
  return deck[index % blockSize];
}

}  // namespace medvqa::synth
