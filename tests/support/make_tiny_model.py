#!/usr/bin/python3
"""Writes small random-weight TorchScript VQA models that follow docs/model-format.md, for tests
and benchmarks of the C++ runtime (no training, no data: the weights are seeded noise).

    /usr/bin/python3 tests/support/make_tiny_model.py OUT_DIR

OUT_DIR/tiny-model/          forward + encode_image + answer (features reused across questions)
OUT_DIR/tiny-model-forward/  forward only (the runtime's fallback path)
each with manifest.json, model.pt and SHA256SUMS. Deterministic (seeded); written atomically
(a temporary folder renamed into place), so a test never sees half a model.

Needs Debian's python3-torch (1.13, the release of libtorch-dev): run it with /usr/bin/python3.
"""
import hashlib
import json
import os
import shutil
import sys

import torch
from torch import nn

VOCABULARY = ["<pad>", "<unk>", "a", "any", "are", "bilateral", "cardiomegaly", "effusion", "enlarged",
              "heart", "how", "in", "is", "left", "liver", "lesion", "lesions", "lung", "many", "nodule",
              "nodules", "not", "on", "pleural", "pneumothorax", "right", "side", "the", "there",
              "which", "what"]
BUCKETS = 2048
MAX_LENGTH = 48
FEATURES = 64
SIZE = 64
ANSWERS = [
    {"text": "yes", "code": {"value": "373066001", "scheme": "SCT", "meaning": "Yes"}},
    {"text": "no", "code": {"value": "373067005", "scheme": "SCT", "meaning": "No"}},
    {"text": "left", "code": {"value": "7771000", "scheme": "SCT", "meaning": "Left"}},
    {"text": "right", "code": {"value": "24028007", "scheme": "SCT", "meaning": "Right"}},
    {"text": "bilateral", "code": {"value": "51440002", "scheme": "SCT", "meaning": "Right and left"}},
    {"text": "none"},
    {"text": "0"}, {"text": "1"}, {"text": "2"}, {"text": "3"},
]
QUESTION_TYPES = [
    {"name": "effusion_presence", "closed": True, "combine": "max_confidence"},
    {"name": "effusion_side", "closed": False, "combine": "majority"},
    {"name": "nodule_count", "closed": False, "combine": "majority"},
]


class ImageEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, stride=2, padding=1)
        self.conv2 = nn.Conv2d(8, 16, 3, stride=2, padding=1)
        self.pool = nn.AdaptiveAvgPool2d(4)
        self.project = nn.Linear(16 * 4 * 4, FEATURES)

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.conv1(image))
        x = torch.relu(self.conv2(x))
        return torch.tanh(self.project(self.pool(x).flatten(1)))


class QuestionHead(nn.Module):
    """A bag of word and trigram ids (mean of embeddings, <pad> ignored) gating the image features."""

    def __init__(self, tokens: int):
        super().__init__()
        self.embed = nn.Embedding(tokens, FEATURES, padding_idx=0)
        self.out = nn.Linear(FEATURES, len(ANSWERS))

    def forward(self, features: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        mask = (tokens != 0).unsqueeze(-1).float()
        question = (self.embed(tokens) * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        return self.out(features * torch.sigmoid(question) + question) * 4.0


class TinyVqa(nn.Module):
    def __init__(self, tokens: int):
        super().__init__()
        self.encoder = ImageEncoder()
        self.head = QuestionHead(tokens)

    def forward(self, image: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        return self.head(self.encoder(image), tokens)

    @torch.jit.export
    def encode_image(self, image: torch.Tensor) -> torch.Tensor:
        return self.encoder(image)

    @torch.jit.export
    def answer(self, features: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        return self.head(features, tokens)


class TinyVqaForwardOnly(nn.Module):
    """The same computation, exporting nothing but forward."""

    def __init__(self, tokens: int):
        super().__init__()
        self.encoder = ImageEncoder()
        self.head = QuestionHead(tokens)

    def forward(self, image: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        return self.head(self.encoder(image), tokens)


def manifest(name, methods):
    result = {
        "format": 1,
        "name": name,
        "version": "0.0.1",
        "module": "model.pt",
        "input": {
            "channels": 1, "height": SIZE, "width": SIZE, "mean": 0.5, "std": 0.25,
            "window": {"CT": {"center": 40, "width": 400}, "default": "minmax"},
            "selection": {"policy": "even", "count": 3, "cap": 16},
        },
        "tokenizer": {
            "type": "words+char-ngrams", "lowercase": True, "max_length": MAX_LENGTH,
            "vocabulary": VOCABULARY, "ngram": {"n": 3, "buckets": BUCKETS},
        },
        "answers": ANSWERS,
        "question_types": QUESTION_TYPES,
        "methods": methods,
        "calibration": {"temperature": 1.5},
    }
    if "encode_image" in methods:
        result["feature_size"] = FEATURES
    return result


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def write_model(folder, module, manifest_json):
    tmp = folder + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    torch.jit.script(module.eval()).save(os.path.join(tmp, "model.pt"))
    with open(os.path.join(tmp, "manifest.json"), "w") as f:
        json.dump(manifest_json, f, indent=2)
    with open(os.path.join(tmp, "SHA256SUMS"), "w") as f:
        for name in ("manifest.json", "model.pt"):
            f.write(f"{sha256(os.path.join(tmp, name))}  {name}\n")
    shutil.rmtree(folder, ignore_errors=True)
    os.rename(tmp, folder)


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    tokens = len(VOCABULARY) + BUCKETS
    torch.manual_seed(0)
    full = TinyVqa(tokens)
    forward_only = TinyVqaForwardOnly(tokens)
    forward_only.load_state_dict(full.state_dict())  # same weights: both paths must agree
    write_model(os.path.join(out, "tiny-model"), full, manifest("tiny-vqa", ["forward", "encode_image", "answer"]))
    write_model(os.path.join(out, "tiny-model-forward"), forward_only, manifest("tiny-vqa-forward", ["forward"]))
    print(f"make_tiny_model: wrote {out}/tiny-model and {out}/tiny-model-forward")
    return 0


if __name__ == "__main__":
    sys.exit(main())
