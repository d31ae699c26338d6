"""Writes a model folder (docs/model-format.md): model.pt (torch.jit.script of the network, eval
mode), manifest.json (format 2: what the runtime needs, plus a "training" section for the model
card) and SHA256SUMS (the runtime refuses files that do not match it)."""

import copy
import hashlib
import json
from pathlib import Path
from typing import Dict, List, Optional

import torch

from vqa_model import VqaModel

FORMAT = 2
METHODS = ["forward", "encode_image", "answer", "understand"]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def script_model(model: VqaModel, example_image: torch.Tensor, example_tokens: torch.Tensor,
                 example_texts: torch.Tensor) -> torch.jit.ScriptModule:
    """Scripts the model and checks that the script computes what the Python module does."""
    model.eval()
    scripted = torch.jit.script(model)
    with torch.no_grad():
        eager = model(example_image, example_tokens)
        script = scripted(example_image, example_tokens)
        split = scripted.answer(scripted.encode_image(example_image), example_tokens)
        understood = torch.allclose(model.understand(example_texts), scripted.understand(example_texts), atol=1e-5)
    if not (torch.allclose(eager, script, atol=1e-5) and torch.allclose(eager, split, atol=1e-5) and understood):
        raise SystemExit("the scripted model disagrees with the Python module")
    return scripted


def build_manifest(meta: Dict, name: str, version: str, feature_size: int, temperature: float, training: Dict,
                   thresholds: Optional[List[float]] = None, understanding: Optional[Dict] = None) -> Dict:
    """meta: PREFIX.json of `medvqa prepare`; its question types carry the format-2 fields
    (question, answers, anatomy, applies_to), passed through; training adds each `threshold`."""
    question_types = copy.deepcopy(meta["question_types"])
    for i, entry in enumerate(question_types):
        entry["threshold"] = float(thresholds[i]) if thresholds else 0.0
    manifest = {
        "format": FORMAT,
        "name": name,
        "version": version,
        "module": "model.pt",
        "input": meta["input"],
        "tokenizer": meta["tokenizer"],
        "answers": meta["answers"],
        "question_types": question_types,
        "methods": METHODS,
        "feature_size": feature_size,
        "calibration": {"temperature": temperature},
        "understanding": {"temperature": float(understanding["temperature"]) if understanding else 1.0,
                          "min_confidence": float(understanding["min_confidence"]) if understanding else 0.5},
        "training": training,
    }
    return manifest


def export_model_folder(scripted: torch.jit.ScriptModule, manifest: Dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    module = out / manifest["module"]
    scripted.save(str(module))
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    sums = "".join(f"{sha256(out / name)}  {name}\n" for name in ("manifest.json", manifest["module"]))
    (out / "SHA256SUMS").write_text(sums)
