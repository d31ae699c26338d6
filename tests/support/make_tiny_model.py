#!/usr/bin/python3
"""Writes small TorchScript VQA models that follow docs/model-format.md, for tests and benchmarks
of the C++ runtime (no training, no data).

    /usr/bin/python3 tests/support/make_tiny_model.py OUT_DIR

OUT_DIR/tiny-model/         format 2: forward + encode_image + answer + understand, thresholds 0
OUT_DIR/tiny-model-forward/ format 2: forward + understand (the runtime's answer fallback path)
OUT_DIR/tiny-model-strict/  tiny-model with every type's threshold at 0.99: answers come out
                            "uncertain" (the answer head is noise; its confidences stay far below)
OUT_DIR/tiny-model-v1/      format 1, the manifest before question understanding: no
                            `understand`, no thresholds, no applicability (backward compatibility)
each with manifest.json, model.pt and SHA256SUMS. Written atomically (a temporary folder renamed
into place), so a test never sees half a model.

The answer head's weights are seeded noise (the same in every variant). The understanding head is
not: it is written by hand from word ids, so tests can rely on what it understands (softmax over
the type columns at temperature 1, min_confidence 0.5):

  words                                   type                 probability
  effusion / pleural / fluid              effusion_presence    0.99
  ... with which / side                   effusion_side        0.99
  nodule / nodules                        nodule_count         0.99
  liver / hepatic / lesion / lesions / mass  liver_lesion      0.99  (CT ABDOMEN only: a chest
                                                                      study gets not_applicable)
  anything else ("Is the heart enlarged?", "asdf")  none       0.97  (unsupported)
  normal / clear                          inverse polarity ("Is the pleural space clear?")

The first matching rule in this order wins: effusion words beat nodule words beat liver words.
The three chest types name no `applies_to` (any study: the engine tests ask them about noise
studies whose header says CT).

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
              "which", "what", "clear", "normal", "fluid", "hepatic", "mass", "space", "size", "lungs"]
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
# Format 1: what manifests said before question understanding.
QUESTION_TYPES_V1 = [
    {"name": "effusion_presence", "closed": True, "combine": "max_confidence"},
    {"name": "effusion_side", "closed": False, "combine": "majority"},
    {"name": "nodule_count", "closed": False, "combine": "majority"},
]
QUESTION_TYPES = [
    {"name": "effusion_presence", "closed": True, "combine": "max_confidence",
     "question": "Is there a pleural effusion?", "answers": ["yes", "no"], "anatomy": "pleural space"},
    {"name": "effusion_side", "closed": False, "combine": "majority",
     "question": "Which side is the effusion on?", "answers": ["left", "right", "bilateral", "none"],
     "anatomy": "pleural space"},
    {"name": "nodule_count", "closed": False, "combine": "majority",
     "question": "How many nodules are there?", "answers": ["0", "1", "2", "3"], "anatomy": "lungs"},
    {"name": "liver_lesion", "closed": True, "combine": "max_confidence",
     "question": "Is there a liver lesion?", "answers": ["yes", "no"], "anatomy": "liver",
     "applies_to": [{"modality": ["CT"], "body_part": ["ABDOMEN"]}]},
]
# Keyword groups of the hand-written understanding head (word -> group).
KEYWORDS = {
    "effusion": ["effusion", "pleural", "fluid"],
    "side": ["which", "side"],
    "nodule": ["nodule", "nodules"],
    "liver": ["liver", "hepatic", "lesion", "lesions", "mass"],
    "inverse": ["normal", "clear"],
}
GROUPS = list(KEYWORDS)


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


class Understanding(nn.Module):
    """Hand-written, not trained: which keyword groups a question's words hit decides its type
    (see the module docstring). Output [B, T + 3]: 4 types, none, polarity (direct, inverse)."""

    def __init__(self, tokens: int):
        super().__init__()
        keywords = torch.zeros(tokens, len(GROUPS))
        for g, group in enumerate(GROUPS):
            for word in KEYWORDS[group]:
                keywords[VOCABULARY.index(word), g] = 1.0
        self.register_buffer("keywords", keywords)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        hits = self.keywords[tokens].sum(dim=1).clamp(max=1.0)   # [B, groups], trigram ids hit nothing
        effusion, side, nodule, liver, inverse = hits.unbind(dim=1)
        nodule = nodule * (1.0 - effusion)
        liver = liver * (1.0 - effusion) * (1.0 - nodule)
        presence = 10.0 * effusion * (1.0 - side)
        sided = 10.0 * effusion * side
        none = torch.full_like(effusion, 5.0)
        return torch.stack([presence, sided, 10.0 * nodule, 10.0 * liver, none,
                            torch.full_like(effusion, 5.0), 10.0 * inverse], dim=1)


class TinyVqa(nn.Module):
    def __init__(self, tokens: int):
        super().__init__()
        self.encoder = ImageEncoder()
        self.head = QuestionHead(tokens)
        self.understanding = Understanding(tokens)

    def forward(self, image: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        return self.head(self.encoder(image), tokens)

    @torch.jit.export
    def encode_image(self, image: torch.Tensor) -> torch.Tensor:
        return self.encoder(image)

    @torch.jit.export
    def answer(self, features: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        return self.head(features, tokens)

    @torch.jit.export
    def understand(self, tokens: torch.Tensor) -> torch.Tensor:
        return self.understanding(tokens)


class TinyVqaForwardOnly(nn.Module):
    """The same computation, exporting forward and understand but not encode_image / answer."""

    def __init__(self, tokens: int):
        super().__init__()
        self.encoder = ImageEncoder()
        self.head = QuestionHead(tokens)
        self.understanding = Understanding(tokens)

    def forward(self, image: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        return self.head(self.encoder(image), tokens)

    @torch.jit.export
    def understand(self, tokens: torch.Tensor) -> torch.Tensor:
        return self.understanding(tokens)


class TinyVqaV1(nn.Module):
    """A format-1 module: no understand."""

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


def manifest(name, methods, format=2, threshold=0.0):
    result = {
        "format": format,
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
        "question_types": [dict(t, threshold=threshold) for t in QUESTION_TYPES] if format >= 2 else QUESTION_TYPES_V1,
        "methods": methods,
        "calibration": {"temperature": 1.5},
    }
    if "understand" in methods:
        result["understanding"] = {"temperature": 1.0, "min_confidence": 0.5}
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
    # Same weights everywhere: every path must agree.
    forward_only = TinyVqaForwardOnly(tokens)
    forward_only.load_state_dict(full.state_dict())
    v1 = TinyVqaV1(tokens)
    v1.load_state_dict({k: v for k, v in full.state_dict().items() if not k.startswith("understanding.")})
    everything = ["forward", "encode_image", "answer", "understand"]
    write_model(os.path.join(out, "tiny-model"), full, manifest("tiny-vqa", everything))
    write_model(os.path.join(out, "tiny-model-forward"), forward_only,
                manifest("tiny-vqa-forward", ["forward", "understand"]))
    write_model(os.path.join(out, "tiny-model-strict"), full, manifest("tiny-vqa-strict", everything, threshold=0.99))
    write_model(os.path.join(out, "tiny-model-v1"), v1,
                manifest("tiny-vqa-v1", ["forward", "encode_image", "answer"], format=1))
    print(f"make_tiny_model: wrote {out}/tiny-model, tiny-model-forward, tiny-model-strict and tiny-model-v1")
    return 0


if __name__ == "__main__":
    sys.exit(main())
