"""Question-side regularisation: radiologists will not use our templates' words, so during training
some words become <unk> (their character trigrams stay, as for a word the vocabulary lacks), some
words vanish with their trigrams, and some trigrams vanish. A phrasing never seen in training then
looks like what the model was trained on: a few familiar words, some unknown ones."""

from dataclasses import dataclass

import torch

PAD, UNK = 0, 1


@dataclass
class TokenDropout:
    vocabulary_size: int   # ids below it are words, ids from it on are n-gram buckets
    unk: float = 0.2       # a word becomes <unk>, its n-grams kept
    drop_word: float = 0.15  # a word and its n-grams are removed
    drop_ngram: float = 0.10  # one n-gram id is removed

    def describe(self) -> str:
        return (f"word → `<unk>` p={self.unk}, word dropped p={self.drop_word}, "
                f"trigram dropped p={self.drop_ngram}")

    def __call__(self, tokens: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        tokens = tokens.clone()
        is_word = (tokens > PAD) & (tokens < self.vocabulary_size)
        is_ngram = tokens >= self.vocabulary_size
        # Word k of a row and its n-grams share group k (the n-grams follow their word).
        group = torch.cumsum(is_word.long(), dim=1)
        rows, length = tokens.shape
        dropped_group = torch.rand(rows, length + 1, generator=generator) < self.drop_word
        dropped_group[:, 0] = False
        dropped = dropped_group.gather(1, group) & (tokens > PAD)
        # Never drop a whole question: rows that would lose every word keep them all.
        words_left = (is_word & ~dropped).sum(dim=1)
        dropped[words_left == 0] = False

        unknown = is_word & (torch.rand(rows, length, generator=generator) < self.unk)
        lost_ngram = is_ngram & (torch.rand(rows, length, generator=generator) < self.drop_ngram)
        tokens[unknown] = UNK
        tokens[dropped | lost_ngram] = PAD
        return tokens
