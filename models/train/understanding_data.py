"""The text side of training: batches of questions for the understanding head (`understand`),
drawn from the prepared text set (every phrasing of every type, direct and inverse, and the
out-of-scope catalogue; docs/model-format.md) and made harder on the fly.

The head must refuse topics and wordings it never saw while accepting new wordings of the types
it knows, from a handful of phrasings per type against thousands of out-of-scope questions. What
makes a question ours is a word naming one of our findings or organs ("effusion", "heart",
"renal"), never the sentence frame ("Is there a ...?", "How many ... are there?", "Which side
...?"), which the catalogue shares; and a topic we do not answer overrides the words we know
("How many thyroid nodules?"). Each batch (see TextBatches for the word roles) is:

- half in-scope rows: types uniform, inverse phrasings as often as direct ones where a type has
  them (uniform rows would teach "say none" and leave polarity to chance);
- half out-of-scope rows: catalogue questions (topics uniform, those sharing a word with our
  phrasings - the hard negatives - drawn as often as all the others), and generated negatives:
  "swapped" (our phrasing with its finding words replaced), "intruder" (our phrasing plus a
  topic we do not answer) and nonsense.

All rows get word noise (a word dropped with its trigrams, a word made `<unk>` with its trigrams
kept, a trigram dropped, a filler word inserted, "on this film" appended), so a new wording looks
like training data: a few familiar words and some unknown ones. The noise never makes a label
wrong: an in-scope row keeps one of its finding words, an inverse row its negation ("clear",
"free", "absent"), and a row that got a filler is not used to learn polarity.

Token rows follow the tokenizer (docs/model-format.md): each word id (< V) is followed by the ids
of its character trigrams (>= V). Nothing here tokenizes text: rows are rearranged id groups, and
an "unknown word" is `<unk>` followed by random trigram bucket ids, as an unseen word would be."""

import math
import random
from dataclasses import dataclass
from typing import Dict, List, Sequence, Set, Tuple

import torch

from prepared_data import PreparedSet

PAD, UNK = 0, 1
Group = Tuple[int, Tuple[int, ...]]  # a word id and its trigram ids


def word_groups(row: Sequence[int], vocabulary_size: int) -> List[Group]:
    """A token row as its words, each with the trigram ids that follow it."""
    groups: List[Tuple[int, List[int]]] = []
    for token in row:
        if token == PAD:
            continue
        if token < vocabulary_size or not groups:
            groups.append((token, []))
        else:
            groups[-1][1].append(token)
    return [(word, tuple(grams)) for word, grams in groups]


def flatten(groups: Sequence[Group], length: int) -> List[int]:
    ids: List[int] = []
    for word, grams in groups:
        ids.append(word)
        ids.extend(grams)
    return (ids + [PAD] * length)[:length]


@dataclass
class TextSplit:
    train: List[int]       # text row indices
    validation: List[int]

    def describe(self, data: PreparedSet) -> str:
        types = data.text_type.tolist()
        none = len(data.question_types)
        def count(rows: List[int]) -> str:
            pos = sum(1 for r in rows if types[r] < none)
            return f"{pos} in scope + {len(rows) - pos} out of scope"
        return f"text rows: training {count(self.train)}, validation {count(self.validation)}"


def split_text_groups(data: PreparedSet, fraction: float, generator: torch.Generator) -> TextSplit:
    """Holds out whole groups (a phrasing, with every row of it; an out-of-scope topic), stratified
    by (type, polarity) for phrasings and across topics for out-of-scope questions, so validation
    measures wordings and topics training never saw. Each stratum keeps at least two groups for
    training; one with fewer than three groups gives none to validation.

    Rows flagged held out (text_heldout: a held-out phrasing, out-of-scope wording or topic) are
    in neither part: they are the evaluation's, whether or not prepare left them out."""
    types, polarity, groups = data.text_type.tolist(), data.text_polarity.tolist(), data.text_group.tolist()
    kept = [h == 0 for h in data.text_heldout.tolist()]
    strata: Dict[Tuple[int, int], List[int]] = {}
    for t, p, g, k in zip(types, polarity, groups, kept):
        if not k:
            continue
        members = strata.setdefault((t, p), [])
        if g not in members:
            members.append(g)
    held: Set[Tuple[int, int, int]] = set()
    for key in sorted(strata):
        members = sorted(strata[key])
        order = torch.randperm(len(members), generator=generator).tolist()
        n = len(members)
        take = 0 if n < 3 else min(n - 2, max(1, round(fraction * n)))
        held.update((key[0], key[1], members[i]) for i in order[:take])
    train, validation = [], []
    for row, (t, p, g, k) in enumerate(zip(types, polarity, groups, kept)):
        if k:
            (validation if (t, p, g) in held else train).append(row)
    return TextSplit(train, validation)


def frame_words(data: PreparedSet, rows: List[int]) -> Set[int]:
    """Word ids shared by the phrasings of many question types (>= 40 % of them, at least 3):
    the sentence frame ("is", "there", "how", "lesion"), which tells no type apart. Every other
    word of an in-scope phrasing is a content word."""
    types = len(data.question_types)
    seen: Dict[int, Set[int]] = {}
    v = data.vocabulary_size
    for r in rows:
        t = int(data.text_type[r])
        if t >= types:
            continue
        for word, _ in word_groups(data.text_tokens[r].tolist(), v):
            if word > UNK:
                seen.setdefault(word, set()).add(t)
    needed = max(3, math.ceil(0.4 * types))
    return {w for w, ts in seen.items() if len(ts) >= needed}


class TextBatches:
    """Draws understanding batches from the training text rows (deterministic for a seed).

    Word roles, from the training text set itself (nothing is hand-listed):
    - frame: shared by the phrasings of many types (`frame_words`);
    - anchor: a word of an in-scope phrasing that is no frame word, neither of our phrasings nor
      of the catalogue's (a word in many of its topics: "which", "normal", "size", as in "Is the
      {a} normal in size?"): "effusion", "pleural", "heart", "renal". An in-scope row keeps at
      least one of its anchors through the noise;
    - topic word: a word only out-of-scope questions use, in few of their topics ("spleen",
      "fracture", "thyroid"), as opposed to their own frames ("evidence", "describe").

    Generated negatives:
    - swapped: every anchor (and each other content word with p 0.5) of an in-scope phrasing
      replaced by an unknown word or a topic word ("Is the heart normal in size?" -> "Is the
      <unk> normal in size?"): the frame around a finding never makes the question ours;
    - intruder: an in-scope phrasing with an out-of-scope topic word put in or swapped for one
      anchor ("How many thyroid nodules are there?", "Is there pleural plaque?"): a topic we do not
      answer overrides the words we know;
    - nonsense: unknown words and frame words.
    Catalogue negatives sharing an anchor with in-scope questions (the hard negatives: "Which side
    is the pneumothorax on?") are drawn as often as all the others together."""

    def __init__(self, data: PreparedSet, rows: List[int], seed: int, batch: int,
                 drop_word: float = 0.12, unknown: float = 0.2, drop_ngram: float = 0.1, insert: float = 0.15,
                 swapped: float = 0.12, intruder: float = 0.12, nonsense: float = 0.1, hard: float = 0.5,
                 study: float = 0.1, in_scope: float = 0.5):
        data.require_understanding()
        self.random = random.Random(seed)
        self.batch = batch
        self.length = int(data.text_tokens.shape[1])
        self.vocabulary_size = data.vocabulary_size
        self.buckets = data.token_count - data.vocabulary_size
        self.types = len(data.question_types)
        self.drop_word, self.unknown, self.drop_ngram, self.insert = drop_word, unknown, drop_ngram, insert
        self.swapped, self.intruder, self.nonsense, self.hard, self.study = swapped, intruder, nonsense, hard, study
        self.in_scope = in_scope
        self.closed = [bool(t["closed"]) for t in data.question_types]

        self.frame = frame_words(data, rows)
        self.groups = {r: word_groups(data.text_tokens[r].tolist(), self.vocabulary_size) for r in rows}
        self.label = {r: int(data.text_type[r]) for r in rows}
        self.polarity = {r: int(data.text_polarity[r]) for r in rows}
        group_id = data.text_group.tolist()

        # positives[type][polarity] -> groups -> rows; negatives: groups -> rows
        self.positives: List[List[List[List[int]]]] = [[[], []] for _ in range(self.types)]
        by_group: Dict[int, List[int]] = {}
        for r in rows:
            by_group.setdefault(group_id[r], []).append(r)
        negatives: List[List[int]] = []
        for g in sorted(by_group):
            members = by_group[g]
            t = self.label[members[0]]
            if t < self.types:
                self.positives[t][self.polarity[members[0]]].append(members)
            else:
                negatives.append(members)
        self.negatives = negatives
        self.positive_types = [t for t in range(self.types) if self.positives[t][0] or self.positives[t][1]]
        if not self.positive_types:
            raise SystemExit("the text set has no in-scope phrasing to train the understanding head on")

        # A word in more of the catalogue's topics than this is part of how its questions are worded.
        self.topic_limit = max(3, int(0.05 * len(negatives)))
        self.anchors = self._anchors()
        self.polarity_words = self._polarity_words()
        self.topic_names = self._topic_names()
        self.study_references = self._study_references(data)
        self.topic_words = self._topic_words(data)
        self.hard_rows = [r for members in negatives for r in members
                          if any(w in self.anchors for w, _ in self.groups[r])]
        self.frame_groups = sorted({g for r in rows for g in self.groups[r] if g[0] in self.frame})
        # The catalogue's own frame words ("evidence", "visible": in a quarter or more of its
        # topics, in none of our phrasings) would otherwise only ever be seen in negatives and
        # become a reason to refuse "Is there evidence of pleural effusion?". Inserted as fillers
        # into in-scope rows too, they stay neutral. (Words of narrower templates - "describe",
        # "T2", "uptake" - keep their meaning.)
        spread = self._topic_spread()
        positive_words = {w for members in (m for t in self.positives for p in t for m in p)
                          for r in members for w, _ in self.groups[r]}
        self.catalogue_frame = sorted({g for members in negatives for r in members for g in self.groups[r]
                                       if g[0] > UNK and g[0] not in positive_words
                                       and spread[g[0]] >= 0.25 * len(negatives)})
        self.prepositions = [g for g in self.frame_groups if data.meta["tokenizer"]["vocabulary"][g[0]] in ("on", "in")]

    def _polarity_words(self) -> List[Set[int]]:
        """Per type, the words of its inverse phrasings that none of its direct ones uses ("clear",
        "normal", "free", "absent"): an inverse row keeps them through the noise."""
        words = []
        for t in range(self.types):
            direct = {w for members in self.positives[t][0] for r in members for w, _ in self.groups[r]}
            inverse = {w for members in self.positives[t][1] for r in members for w, _ in self.groups[r]}
            words.append({w for w in inverse - direct if w > UNK})
        return words

    def _topic_spread(self) -> Dict[int, int]:
        """In how many catalogue topics (negative groups) each word occurs."""
        spread: Dict[int, Set[int]] = {}
        for g, members in enumerate(self.negatives):
            for r in members:
                for w, _ in self.groups[r]:
                    spread.setdefault(w, set()).add(g)
        return {w: len(gs) for w, gs in spread.items()}

    def _anchors(self) -> Set[int]:
        """Words of in-scope phrasings that are neither frame words of our phrasings nor frame
        words of the catalogue's (occurring in more than `topic_limit` of its topics: "which",
        "normal", "size", "left", as in "Which side is the {b} on?", "Is the {a} normal in
        size?"). What is left names findings and organs: "effusion", "pleural", "heart"."""
        spread = self._topic_spread()
        return {w for members in (m for t in self.positives for p in t for m in p) for r in members
                for w, _ in self.groups[r]
                if w > UNK and w not in self.frame and spread.get(w, 0) <= self.topic_limit}

    def _topic_names(self) -> List[List[Group]]:
        """Each catalogue topic's name as word groups, in order: the words in at least 60 % of the
        topic's questions (its slot filler: "rib fracture" in "Is there a rib fracture?", "Any
        rib fracture?" ...), frame words of ours excepted. Empty for a topic of fewer than three
        questions or of free-form sentences that share no words."""
        names = []
        for members in self.negatives:
            if len(members) < 3:
                names.append([])
                continue
            counts: Dict[int, int] = {}
            for r in members:
                for w in {w for w, _ in self.groups[r]}:
                    counts[w] = counts.get(w, 0) + 1
            recurring = {w for w, n in counts.items() if n >= 0.6 * len(members) and w > UNK}
            names.append([g for g in self.groups[members[0]] if g[0] in recurring])
        return names

    def _topic_words(self, data: PreparedSet) -> List[Group]:
        """Words that name an out-of-scope topic ("spleen", "fracture", "thyroid"), each with its
        trigrams: in a topic's name (`_topic_names`), in at most `topic_limit` topics, never in
        an in-scope phrasing, no frame word; nor a word naming the study itself ("this image":
        in-scope questions say "on this film" too)."""
        positive_words = {w for members in (m for t in self.positives for p in t for m in p)
                          for r in members for w, _ in self.groups[r]}
        spread = self._topic_spread()
        study = {g[0] for phrase in self.study_references for g in phrase}
        found: Dict[int, Group] = {}
        for name in self.topic_names:
            for group in name:
                w = group[0]
                if (w not in positive_words and w not in self.frame and w not in study
                        and spread[w] <= self.topic_limit):
                    found.setdefault(w, group)
        return [found[w] for w in sorted(found)]

    def _study_references(self, data: PreparedSet) -> List[List[Group]]:
        """The catalogue's names for the study itself ("this chest radiograph", "these images"):
        the names of its report-request topics (text_rows[k].category "report") that start with
        this / these / today. Report requests use them ("Describe the findings on this chest
        radiograph."); unless in-scope rows use them too ("Is there a pleural effusion on this
        radiograph?"), they would read as a reason to refuse."""
        vocabulary = data.meta["tokenizer"]["vocabulary"]
        text_rows = data.text_rows
        phrases: Dict[Tuple[Group, ...], None] = {}
        for members, name in zip(self.negatives, self.topic_names):
            if not text_rows or text_rows[members[0]].get("category") != "report" or len(name) < 2:
                continue
            if vocabulary[name[0][0]] in ("this", "these", "today"):
                phrases.setdefault(tuple(name), None)
        return [list(p) for p in phrases]

    def describe(self) -> str:
        return (f"text batches of {self.batch}: {int(100 * self.in_scope)} % in-scope (types uniform, inverse "
                f"phrasings as often as direct), the rest out-of-scope: catalogue (topics uniform, hard negatives {int(100 * self.hard)} %), "
                f"{int(100 * self.swapped)} % swapped-finding, {int(100 * self.intruder)} % intruder-topic and "
                f"{int(100 * self.nonsense)} % nonsense negatives ({len(self.anchors)} anchor words, "
                f"{len(self.topic_words)} topic words); word dropped p={self.drop_word}, `<unk>` p={self.unknown}, "
                f"trigram dropped p={self.drop_ngram}, filler (a frame word, ours or the catalogue's, or an unknown "
                f"word) inserted p={self.insert}, a reference to the study (\"on this chest radiograph\") appended "
                f"p={self.study}")

    # -- pieces -------------------------------------------------------------------------------
    def unknown_word(self) -> Group:
        n = self.random.randint(3, 10)  # trigrams of "<" + word + ">": as many as letters
        return (UNK, tuple(self.vocabulary_size + self.random.randrange(self.buckets) for _ in range(n)))

    def filler(self) -> Group:
        """A word that decides nothing: a frame word (ours or the catalogue's) or an unknown one."""
        draw = self.random.random()
        if self.frame_groups and draw < 0.35:
            return self.random.choice(self.frame_groups)
        if self.catalogue_frame and draw < 0.7:
            return self.random.choice(self.catalogue_frame)
        return self.unknown_word()

    def outsider(self) -> Group:
        """A word of no in-scope question: a topic word, or an unknown one."""
        if self.topic_words and self.random.random() < 0.5:
            return self.random.choice(self.topic_words)
        return self.unknown_word()

    def noisy(self, groups: List[Group], keep_anchor: bool, keep: Set[int] = frozenset()) -> Tuple[List[Group], bool]:
        """The row with word noise; and whether its polarity still reads as labelled (False once
        a filler went in: a filler may be a word like "free" or "absent", which says nothing in
        the catalogue but would, wrongly, say "direct" in a direct row). Words in `keep` (an
        inverse row's polarity words) are never dropped."""
        out: List[Group] = []
        anchor_kept = False
        for word, grams in groups:
            if word not in keep and self.random.random() < self.drop_word:
                continue
            anchor_kept |= word in self.anchors
            if self.random.random() < self.unknown:
                word = UNK  # its trigrams stay: an unseen spelling of the same word
            grams = tuple(g for g in grams if self.random.random() >= self.drop_ngram)
            out.append((word, grams))
        if keep_anchor and not anchor_kept:
            # Restore one anchor (with its trigrams) at its place among the survivors.
            anchors = [i for i, (w, _) in enumerate(groups) if w in self.anchors]
            if anchors:
                i = self.random.choice(anchors)
                out.insert(min(i, len(out)), groups[i])
        polarity_kept = True
        if out and self.random.random() < self.insert:
            out.insert(self.random.randrange(len(out) + 1), self.filler())
            polarity_kept = False
        if out and self.study_references and self.random.random() < self.study:
            # "... on this radiograph": where a question is asked never decides what it asks.
            out += ([self.random.choice(self.prepositions)] if self.prepositions else []) + \
                self.random.choice(self.study_references)
        return (out or list(groups)), polarity_kept

    def positive_row(self) -> int:
        t = self.random.choice(self.positive_types)
        p = self.random.choice([p for p in (0, 1) if self.positives[t][p]])
        return self.random.choice(self.random.choice(self.positives[t][p]))

    def positive_with_anchor(self) -> List[Group]:
        for _ in range(16):
            groups = self.groups[self.positive_row()]
            if any(w in self.anchors for w, _ in groups):
                return groups
        return groups

    def swapped_negative(self) -> List[Group]:
        out = []
        for word, grams in self.positive_with_anchor():
            content = word > UNK and word not in self.frame
            if word in self.anchors or (content and self.random.random() < 0.5):
                out.append(self.outsider())
            else:
                out.append((word, grams))
        return out

    def intruder_negative(self) -> List[Group]:
        groups = list(self.positive_with_anchor())
        if not self.topic_words:
            return self.swapped_negative()
        topic = self.random.choice(self.topic_words)
        anchors = [i for i, (w, _) in enumerate(groups) if w in self.anchors]
        if anchors and self.random.random() < 0.5:
            groups[self.random.choice(anchors)] = topic
        else:
            groups.insert(self.random.randrange(len(groups) + 1), topic)
        return groups

    def nonsense_negative(self) -> List[Group]:
        return [self.unknown_word() if self.random.random() < 0.7 or not self.frame_groups
                else self.random.choice(self.frame_groups) for _ in range(self.random.randint(1, 8))]

    def catalogue_negative(self) -> List[Group]:
        if self.hard_rows and self.random.random() < self.hard:
            r = self.random.choice(self.hard_rows)
        else:
            r = self.random.choice(self.random.choice(self.negatives))
        return self.groups[r]

    # -- a batch ------------------------------------------------------------------------------
    def next(self) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """tokens [B, L'] (L' <= L: trailing padding cut), type labels [B] (T = none), polarity
        labels [B] (-100 where it does not apply: out-of-scope rows)."""
        rows: List[List[int]] = []
        labels: List[int] = []
        polarity: List[int] = []
        positives = round(self.batch * self.in_scope)
        for _ in range(positives):
            r = self.positive_row()
            t, p = self.label[r], self.polarity[r]
            groups, polarity_kept = self.noisy(self.groups[r], keep_anchor=True,
                                               keep=self.polarity_words[t] if p else frozenset())
            rows.append(flatten(groups, self.length))
            labels.append(t)
            # Polarity is learnt on closed types only (the runtime reads it for them alone).
            polarity.append(p if self.closed[t] and polarity_kept else -100)
        for _ in range(self.batch - positives):
            draw = self.random.random()
            if draw < self.swapped:
                groups, _ = self.noisy(self.swapped_negative(), keep_anchor=False)
            elif draw < self.swapped + self.intruder:
                groups, _ = self.noisy(self.intruder_negative(), keep_anchor=False)
            elif draw < self.swapped + self.intruder + self.nonsense or not self.negatives:
                groups = self.nonsense_negative()
            else:
                groups, _ = self.noisy(self.catalogue_negative(), keep_anchor=False)
            rows.append(flatten(groups, self.length))
            labels.append(self.types)
            polarity.append(-100)
        tokens = torch.tensor(rows, dtype=torch.long)
        # Padding changes nothing (the encoder ignores it); cut it to the longest row.
        longest = max(1, int((tokens != PAD).sum(dim=1).max()))
        return tokens[:, :longest], torch.tensor(labels, dtype=torch.long), torch.tensor(polarity, dtype=torch.long)
