"""Writes a model folder (docs/model-format.md): model.pt (torch.jit.script of the network, eval
mode), manifest.json (what the runtime needs, plus a "training" section for the model card) and
SHA256SUMS (the runtime refuses files that do not match it)."""

import hashlib
import json
from pathlib import Path
from typing import Dict

import torch

from vqa_model import VqaModel

METHODS = ["forward", "encode_image", "answer"]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def script_model(model: VqaModel, example_image: torch.Tensor, example_tokens: torch.Tensor) -> torch.jit.ScriptModule:
    """Scripts the model and checks that the script computes what the Python module does."""
    model.eval()
    scripted = torch.jit.script(model)
    with torch.no_grad():
        eager = model(example_image, example_tokens)
        script = scripted(example_image, example_tokens)
        split = scripted.answer(scripted.encode_image(example_image), example_tokens)
    if not (torch.allclose(eager, script, atol=1e-5) and torch.allclose(eager, split, atol=1e-5)):
        raise SystemExit("the scripted model disagrees with the Python module")
    return scripted


def build_manifest(meta: Dict, name: str, version: str, feature_size: int, temperature: float,
                   training: Dict) -> Dict:
    return {
        "format": 1,
        "name": name,
        "version": version,
        "module": "model.pt",
        "input": meta["input"],
        "tokenizer": meta["tokenizer"],
        "answers": meta["answers"],
        "question_types": meta["question_types"],
        "methods": METHODS,
        "feature_size": feature_size,
        "calibration": {"temperature": temperature},
        "training": training,
    }


def export_model_folder(scripted: torch.jit.ScriptModule, manifest: Dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    module = out / manifest["module"]
    scripted.save(str(module))
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    sums = "".join(f"{sha256(out / name)}  {name}\n" for name in ("manifest.json", manifest["module"]))
    (out / "SHA256SUMS").write_text(sums)
