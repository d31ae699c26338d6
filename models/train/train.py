#!/usr/bin/python3
"""Trains the demo VQA model on a set written by `medvqa prepare` and exports it as a model
folder the C++ runtime loads (docs/model-format.md).

    /usr/bin/python3 models/train/train.py --data build/demo/train --out models/demo

Deterministic for a given --seed and --threads. The validation split is by study (questions about
one study never straddle it); it picks the best epoch and fits the calibration temperature."""

import argparse
import copy
import math
import platform
import sys
import time
from pathlib import Path
from typing import Dict, List, Tuple

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))

from export_model import build_manifest, export_model_folder, script_model  # noqa: E402
from metrics import expected_calibration_error, fit_temperature  # noqa: E402
from prepared_data import PreparedSet, load_prepared  # noqa: E402
from token_dropout import TokenDropout  # noqa: E402
from vqa_model import VqaModel  # noqa: E402


AUXILIARY_WEIGHT = 0.5  # of the FindingHeads loss


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="PREFIX of `medvqa prepare` (PREFIX.pt + PREFIX.json)")
    p.add_argument("--out", default="models/demo", help="model folder to write (default models/demo)")
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=2, help="torch intra-op threads (default 2)")
    p.add_argument("--batch-images", type=int, default=24, help="images per step, each with all its questions")
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--validation", type=float, default=0.1, help="fraction of studies held for validation")
    p.add_argument("--name", default="medvqa-demo")
    p.add_argument("--version", default="1.0.0")
    p.add_argument("--source", default="", help="how the data was made, for the model card")
    p.add_argument("--tiny", action="store_true", help="a tiny run for tests: 1 epoch, small network")
    return p.parse_args()


def configure_determinism(seed: int, threads: int) -> torch.Generator:
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)
    return torch.Generator().manual_seed(seed)


def split_studies(data: PreparedSet, fraction: float, generator: torch.Generator) -> Tuple[torch.Tensor, torch.Tensor]:
    """Image indices for training and validation, whole studies on one side."""
    study_of_image = data.study_of_image()
    studies = sorted(set(study_of_image))
    order = torch.randperm(len(studies), generator=generator).tolist()
    held = max(1, round(fraction * len(studies))) if len(studies) > 1 else 0
    validation = {studies[i] for i in order[:held]}
    train = [i for i, s in enumerate(study_of_image) if s not in validation]
    val = [i for i, s in enumerate(study_of_image) if s in validation]
    return torch.tensor(train, dtype=torch.long), torch.tensor(val, dtype=torch.long)


def rows_of_images(data: PreparedSet) -> List[torch.Tensor]:
    by_image: List[List[int]] = [[] for _ in range(data.images.shape[0])]
    for row, image in enumerate(data.image_index.tolist()):
        by_image[image].append(row)
    return [torch.tensor(rows, dtype=torch.long) for rows in by_image]


def shift_images(images: torch.Tensor, generator: torch.Generator, pixels: int) -> torch.Tensor:
    """Random translations of up to `pixels` (edge-replicated): positioning varies, anatomy does
    not flip, so laterality answers stay true."""
    if pixels == 0:
        return images
    padded = F.pad(images, (pixels, pixels, pixels, pixels), mode="replicate")
    h, w = images.shape[2], images.shape[3]
    offsets = torch.randint(0, 2 * pixels + 1, (images.shape[0], 2), generator=generator).tolist()
    return torch.stack([padded[i, :, dy:dy + h, dx:dx + w] for i, (dy, dx) in enumerate(offsets)])


def jitter_intensity(images: torch.Tensor, generator: torch.Generator, amount: float) -> torch.Tensor:
    """Small contrast/brightness changes (in normalised units): windows and exposures vary."""
    n = images.shape[0]
    gain = 1.0 + amount * (2 * torch.rand(n, 1, 1, 1, generator=generator) - 1)
    bias = amount * (2 * torch.rand(n, 1, 1, 1, generator=generator) - 1)
    return images * gain + bias


class TypeHead(torch.nn.Module):
    """Training-only: the question encoding must tell the question type (with words dropped or
    unknown), so that a new phrasing of a known type lands near its type. Not exported."""

    def __init__(self, feature_size: int, types: int):
        super().__init__()
        self.linear = torch.nn.Linear(feature_size, types)

    def forward(self, question: torch.Tensor) -> torch.Tensor:
        return self.linear(question)


class FindingHeads(torch.nn.Module):
    """Training-only shortcut from the image features to every question type's answer. Through the
    question path alone the CNN learns slowly (it must wait for the question encoder to tell the
    types apart); these heads give it a direct signal from the first step. Not exported."""

    def __init__(self, feature_size: int, types: int, answers: int):
        super().__init__()
        self.types, self.answers = types, answers
        self.linear = torch.nn.Linear(feature_size, types * answers)

    def forward(self, features: torch.Tensor, qtype: torch.Tensor) -> torch.Tensor:
        logits = self.linear(features).view(-1, self.types, self.answers)
        return logits[torch.arange(len(qtype)), qtype]


def train_epoch(model: VqaModel, heads: FindingHeads, type_head: TypeHead, data: PreparedSet, train_images: torch.Tensor,
                rows_of_image: List[torch.Tensor], optimizer: torch.optim.Optimizer, schedule, dropout: TokenDropout,
                generator: torch.Generator, batch_images: int, augment: bool) -> float:
    """One pass over the training images; each step encodes a batch of images once and answers
    every question about them, which is what makes an epoch cheap on a CPU."""
    model.train()
    order = train_images[torch.randperm(len(train_images), generator=generator)]
    total_loss, total_rows = 0.0, 0
    for start in range(0, len(order), batch_images):
        images = order[start:start + batch_images]
        rows = [rows_of_image[i] for i in images.tolist()]
        local = torch.cat([torch.full((len(r),), k, dtype=torch.long) for k, r in enumerate(rows)])
        rows = torch.cat(rows)
        pixels = data.images[images]
        if augment:
            pixels = jitter_intensity(shift_images(pixels, generator, 4), generator, 0.1)
        tokens = dropout(data.tokens[rows], generator)
        features = model.encode_image(pixels)
        question = model.question_encoder(tokens)
        logits = model.fuse(features[local], question)
        labels = data.answer[rows]
        loss = F.cross_entropy(logits, labels)
        auxiliary = F.cross_entropy(heads(features[local], data.qtype[rows]), labels) + \
            F.cross_entropy(type_head(question), data.qtype[rows])
        optimizer.zero_grad(set_to_none=True)
        (loss + AUXILIARY_WEIGHT * auxiliary).backward()
        optimizer.step()
        schedule.step()
        total_loss += float(loss) * len(rows)
        total_rows += len(rows)
    return total_loss / max(total_rows, 1)


@torch.no_grad()
def predict_logits(model: VqaModel, data: PreparedSet, images: torch.Tensor, batch: int = 256) -> Tuple[torch.Tensor, torch.Tensor]:
    """Logits and row indices of every question about `images` (eval mode, clean tokens)."""
    model.eval()
    wanted = torch.zeros(data.images.shape[0], dtype=torch.bool)
    wanted[images] = True
    rows = torch.nonzero(wanted[data.image_index]).flatten()
    features = torch.cat([model.encode_image(data.images[images[i:i + batch]]) for i in range(0, len(images), batch)])
    position = torch.full((data.images.shape[0],), -1, dtype=torch.long)
    position[images] = torch.arange(len(images))
    logits = [model.answer(features[position[data.image_index[rows[i:i + 1024]]]], data.tokens[rows[i:i + 1024]])
              for i in range(0, len(rows), 1024)]
    return (torch.cat(logits) if logits else torch.zeros(0, len(data.answers))), rows


def calibration_figures(logits: torch.Tensor, labels: torch.Tensor, temperature: float) -> Tuple[float, float]:
    probabilities = F.softmax(logits / temperature, dim=1)
    confidence, predicted = probabilities.max(dim=1)
    correct = (predicted == labels).tolist()
    return sum(correct) / max(len(correct), 1), expected_calibration_error(confidence.tolist(), correct)


def per_type_accuracy(data: PreparedSet, logits: torch.Tensor, rows: torch.Tensor) -> str:
    """Validation accuracy per question type, to see which finding the model struggles with."""
    correct = logits.argmax(dim=1) == data.answer[rows]
    qtype = data.qtype[rows]
    parts = []
    for t, entry in enumerate(data.question_types):
        mask = qtype == t
        if int(mask.sum()) > 0:
            parts.append(f"{entry['name']} {100 * float(correct[mask].float().mean()):.1f}")
    return ", ".join(parts)


def build_model(data: PreparedSet, tiny: bool) -> VqaModel:
    channels = int(data.images.shape[1])
    if tiny:
        return VqaModel(channels, data.token_count, len(data.answers), feature_size=32, widths=[8, 8, 16, 16],
                        token_dim=16, hidden=32)
    return VqaModel(channels, data.token_count, len(data.answers))


def describe_architecture(model: VqaModel) -> str:
    widths = [layer.out_channels for layer in model.image_encoder.features if isinstance(layer, torch.nn.Conv2d)]
    return (f"CNN {'-'.join(map(str, widths))} channels (5×5/2 stem, 3×3/2, then 3×3 conv+BN+ReLU with "
            f"max-pooling), "
            f"4×4 average pool → {model.feature_size} features; question: mean of "
            f"{model.question_encoder.embed.embedding_dim}-d word + trigram embeddings and 4 attention heads → MLP; "
            f"FiLM fusion → MLP → {model.classifier[-1].out_features} answers")


def main() -> None:
    args = parse_args()
    if args.tiny:
        args.epochs = 1
    started = time.time()
    generator = configure_determinism(args.seed, args.threads)
    data = load_prepared(args.data)
    train_images, val_images = split_studies(data, args.validation, generator)
    rows_of_image = rows_of_images(data)
    model = build_model(data, args.tiny)
    dropout = TokenDropout(data.vocabulary_size)
    heads = FindingHeads(model.feature_size, len(data.question_types), len(data.answers))
    type_head = TypeHead(model.feature_size, len(data.question_types))

    steps = args.epochs * math.ceil(len(train_images) / args.batch_images)
    optimizer = torch.optim.AdamW([*model.parameters(), *heads.parameters(), *type_head.parameters()], lr=args.lr, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=args.lr, total_steps=max(steps, 1), pct_start=0.15)
    print(f"{len(train_images)} training images, {len(val_images)} validation images, "
          f"{data.tokens.shape[0]} question rows, {sum(p.numel() for p in model.parameters())} parameters", flush=True)

    best: Dict = {"accuracy": -1.0}
    for epoch in range(1, args.epochs + 1):
        t0 = time.time()
        loss = train_epoch(model, heads, type_head, data, train_images, rows_of_image, optimizer, schedule, dropout, generator,
                           args.batch_images, augment=not args.tiny)
        logits, rows = predict_logits(model, data, val_images)
        accuracy, _ = calibration_figures(logits, data.answer[rows], 1.0)
        print(f"epoch {epoch:2d}: loss {loss:.4f}, validation accuracy {100 * accuracy:.2f} % ({time.time() - t0:.0f} s): "
              f"{per_type_accuracy(data, logits, rows)}", flush=True)
        if accuracy >= best["accuracy"]:  # ties to the later epoch (lower learning rate)
            best = {"accuracy": accuracy, "epoch": epoch, "state": copy.deepcopy(model.state_dict())}
    model.load_state_dict(best["state"])

    logits, rows = predict_logits(model, data, val_images)
    labels = data.answer[rows]
    temperature = fit_temperature(logits, labels) if len(rows) > 0 else 1.0
    accuracy, ece_before = calibration_figures(logits, labels, 1.0)
    _, ece_after = calibration_figures(logits, labels, temperature)
    print(f"best epoch {best['epoch']}: validation accuracy {100 * accuracy:.2f} %, temperature {temperature:.4f}, "
          f"ECE {ece_before:.4f} → {ece_after:.4f}", flush=True)
    print(f"validation per type: {per_type_accuracy(data, logits, rows)}", flush=True)

    example = data.images[:2]
    scripted = script_model(model, example, data.tokens[:2])
    training = {
        "data": {"source": args.source or args.data, "studies": len(set(data.study_of_image())),
                 "images": int(data.images.shape[0]), "rows": int(data.tokens.shape[0])},
        "split": {"train_studies": len(set(data.study_of_image()[i] for i in train_images.tolist())),
                  "validation_studies": len(set(data.study_of_image()[i] for i in val_images.tolist()))},
        "architecture": describe_architecture(model),
        "parameters": sum(p.numel() for p in model.parameters()),
        "epochs": args.epochs, "best_epoch": best["epoch"], "batch_images": args.batch_images,
        "optimizer": f"AdamW lr {args.lr} (one-cycle), weight decay 1e-4; images shifted ±4 px, "
                     f"intensity ±10 %",
        "word_dropout": dropout.describe() + "; auxiliary losses: question type from the question, "
                        "each type's answer from the image",
        "seed": args.seed, "threads": args.threads,
        "seconds": round(time.time() - started, 1),
        "torch": f"torch {torch.__version__}, Python {platform.python_version()}",
        "validation": {"accuracy": round(accuracy, 4), "ece_before": round(ece_before, 4),
                       "ece_after": round(ece_after, 4)},
    }
    manifest = build_manifest(data.meta, args.name, args.version, model.feature_size, temperature, training)
    export_model_folder(scripted, manifest, Path(args.out))
    print(f"wrote {args.out} in {training['seconds']} s", flush=True)


if __name__ == "__main__":
    main()
