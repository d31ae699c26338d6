"""Reads what `medvqa prepare` writes (docs/model-format.md): PREFIX.pt, a dict of tensors saved
by torch::pickle_save, and PREFIX.json, which describes them. Python never decodes DICOM nor
tokenizes: both were done by the C++ code that also serves the model."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List

import torch

TENSORS = ("images", "tokens", "image_index", "answer", "qtype", "heldout")


@dataclass
class PreparedSet:
    images: torch.Tensor       # float32 [N, C, H, W], already normalised
    tokens: torch.Tensor       # int64 [M, L]
    image_index: torch.Tensor  # int64 [M]
    answer: torch.Tensor       # int64 [M]
    qtype: torch.Tensor        # int64 [M]
    heldout: torch.Tensor      # int64 [M]
    meta: Dict                 # PREFIX.json

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

    def study_of_image(self) -> List[str]:
        """The study UID of every image (from the rows that show it)."""
        studies = [""] * self.images.shape[0]
        for row, image in zip(self.rows, self.image_index.tolist()):
            studies[image] = row["study_uid"]
        return studies


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
    data = PreparedSet(**{name: tensors[name] for name in TENSORS}, meta=meta)
    if data.tokens.shape[0] != len(data.rows):
        raise SystemExit(f"{pt} has {data.tokens.shape[0]} rows but {js} describes {len(data.rows)}")
    return data
