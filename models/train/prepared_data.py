"""Reads what `medvqa prepare` writes (docs/model-format.md): PREFIX.pt, a dict of tensors saved
by torch::pickle_save, and PREFIX.json, which describes them. Python never decodes DICOM nor
tokenizes: both were done by the C++ code that also serves the model."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

import torch

TENSORS = ("images", "tokens", "image_index", "answer", "qtype", "heldout")
# Written by the `medvqa prepare` of the question-understanding contract (manifest format 2).
UNDERSTANDING_TENSORS = ("polarity", "canonical_tokens", "text_tokens", "text_type", "text_polarity",
                         "text_group", "text_heldout")


@dataclass
class PreparedSet:
    images: torch.Tensor       # float32 [N, C, H, W], already normalised
    tokens: torch.Tensor       # int64 [M, L] (the question as asked)
    image_index: torch.Tensor  # int64 [M]
    answer: torch.Tensor       # int64 [M]: the type-level answer (an inverse phrasing's flipped back)
    qtype: torch.Tensor        # int64 [M]
    heldout: torch.Tensor      # int64 [M]
    meta: Dict                 # PREFIX.json
    prefix: str = ""
    # None when PREFIX.pt predates them; require_understanding() says so.
    polarity: Optional[torch.Tensor] = None          # int64 [M]: 0 direct, 1 inverse
    canonical_tokens: Optional[torch.Tensor] = None  # int64 [T, L]: each type's canonical question
    text_tokens: Optional[torch.Tensor] = None       # int64 [K, L]: phrasings + out-of-scope questions
    text_type: Optional[torch.Tensor] = None         # int64 [K]: 0..T-1, or T for "none of these"
    text_polarity: Optional[torch.Tensor] = None     # int64 [K]
    text_group: Optional[torch.Tensor] = None        # int64 [K]: phrasing id, 1000000 + topic id
    text_heldout: Optional[torch.Tensor] = None      # int64 [K]

    @property
    def rows(self) -> List[Dict]:
        return self.meta["rows"]

    @property
    def vocabulary_size(self) -> int:
        return len(self.meta["tokenizer"]["vocabulary"])

    @property
    def token_count(self) -> int:
        """Rows of the embedding table: words, then the n-gram hash buckets."""
        return self.vocabulary_size + int(self.meta["tokenizer"]["ngram"]["buckets"])

    @property
    def answers(self) -> List[str]:
        return [entry["text"] for entry in self.meta["answers"]]

    @property
    def question_types(self) -> List[Dict]:
        return self.meta["question_types"]

    @property
    def text_rows(self) -> List[Dict]:
        return self.meta.get("text_rows", [])

    @property
    def has_understanding(self) -> bool:
        return all(getattr(self, name) is not None for name in UNDERSTANDING_TENSORS)

    def require_understanding(self) -> None:
        """Stops with a clear message when the set lacks what the format-2 training needs."""
        missing = [name for name in UNDERSTANDING_TENSORS if getattr(self, name) is None]
        if missing:
            raise SystemExit(f"{self.prefix}.pt lacks {', '.join(missing)}: it was written by a `medvqa prepare` "
                             f"older than the question-understanding data (manifest format 2); run "
                             f"`medvqa prepare --data DIR --out {self.prefix}` again with the current build")

    def type_answers(self) -> List[List[int]]:
        """Each question type's answer space as indices into `answers` (its manifest `answers`;
        every answer when a type lists none, as format 1)."""
        index = {text: i for i, text in enumerate(self.answers)}
        spaces = []
        for entry in self.question_types:
            names = entry.get("answers") or self.answers
            unknown = [name for name in names if name not in index]
            if unknown:
                raise SystemExit(f"question type {entry['name']}: answers {unknown} are not in the answer list")
            spaces.append([index[name] for name in names])
        return spaces

    def study_of_image(self) -> List[str]:
        """The study UID of every image (from the rows that show it)."""
        studies = [""] * self.images.shape[0]
        for row, image in zip(self.rows, self.image_index.tolist()):
            studies[image] = row["study_uid"]
        return studies


def _check_understanding(data: PreparedSet, pt: Path) -> None:
    if not data.has_understanding:
        return
    types = len(data.question_types)
    length = data.tokens.shape[1]
    k = data.text_tokens.shape[0]
    problems = []
    if data.polarity.shape != data.answer.shape:
        problems.append(f"polarity has {data.polarity.shape[0]} rows, tokens {data.answer.shape[0]}")
    if tuple(data.canonical_tokens.shape) != (types, length):
        problems.append(f"canonical_tokens is {list(data.canonical_tokens.shape)}, expected [{types}, {length}]")
    if data.text_tokens.dim() != 2 or data.text_tokens.shape[1] != length:
        problems.append(f"text_tokens is {list(data.text_tokens.shape)}, expected [K, {length}]")
    for name in ("text_type", "text_polarity", "text_group", "text_heldout"):
        if getattr(data, name).shape != (k,):
            problems.append(f"{name} has shape {list(getattr(data, name).shape)}, expected [{k}]")
    if k and (int(data.text_type.min()) < 0 or int(data.text_type.max()) > types):
        problems.append(f"text_type outside 0..{types}")
    if data.text_rows and len(data.text_rows) != k:
        problems.append(f"{k} text rows but the JSON describes {len(data.text_rows)}")
    if problems:
        raise SystemExit(f"{pt}: " + "; ".join(problems))


def load_prepared(prefix: str) -> PreparedSet:
    pt, js = Path(prefix + ".pt"), Path(prefix + ".json")
    for path in (pt, js):
        if not path.is_file():
            raise SystemExit(f"no {path}: run `medvqa prepare --out {prefix}` first")
    tensors = torch.load(str(pt))
    missing = [name for name in TENSORS if name not in tensors]
    if missing:
        raise SystemExit(f"{pt} lacks {', '.join(missing)}")
    meta = json.loads(js.read_text())
    data = PreparedSet(**{name: tensors[name] for name in TENSORS}, meta=meta, prefix=prefix,
                       **{name: tensors[name] for name in UNDERSTANDING_TENSORS if name in tensors})
    if data.tokens.shape[0] != len(data.rows):
        raise SystemExit(f"{pt} has {data.tokens.shape[0]} rows but {js} describes {len(data.rows)}")
    _check_understanding(data, pt)
    return data
