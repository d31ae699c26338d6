#!/usr/bin/python3
"""Trains the demo VQA model on a set written by `medvqa prepare` and exports it as a model
folder the C++ runtime loads (docs/model-format.md, manifest format 2).

    /usr/bin/python3 models/train/train.py --data build/demo/train --out models/demo

Two parts, trained side by side (each step: a batch of images with their questions, and a batch
of question texts):

- the answer path (encode_image, answer): fed each question type's *canonical* question, which is
  what the runtime feeds it once `understand` has resolved the user's words to a type;
- the understanding head (understand): question text -> type or "none of these", and polarity;
  its own encoder, trained on the text set (every phrasing, the out-of-scope catalogue) with
  generated negatives and word noise (understanding_data.py).

Validation: whole studies for the answer path (best epoch, answer temperature, per-type
thresholds), whole phrasings and out-of-scope topics for the understanding head (its temperature
and min_confidence). Deterministic for a given --seed and --threads."""

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

from calibration import (answer_mask, choose_min_confidence, choose_thresholds,  # noqa: E402
                         fit_restricted_temperature, fit_weighted_temperature, restricted_probabilities,
                         understanding_figures)
from export_model import build_manifest, export_model_folder, script_model  # noqa: E402
from metrics import expected_calibration_error  # noqa: E402
from prepared_data import PreparedSet, load_prepared  # noqa: E402
from understanding_data import TextBatches, split_text_groups  # noqa: E402
from vqa_model import VqaModel  # noqa: E402


AUXILIARY_WEIGHT = 0.5  # of the FindingHeads loss
THRESHOLD_PRIOR_ROWS = 20.0  # pseudo-rows of the family's pooled risk in a type's smoothed risk


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="PREFIX of `medvqa prepare` (PREFIX.pt + PREFIX.json)")
    p.add_argument("--out", default="models/demo", help="model folder to write (default models/demo)")
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=2, help="torch intra-op threads (default 2)")
    p.add_argument("--batch-images", type=int, default=24, help="images per step, each with all its question types")
    p.add_argument("--batch-texts", type=int, default=96, help="question texts per step for the understanding head")
    p.add_argument("--text-in-scope", type=float, default=0.5,
                   help="share of in-scope questions in each text batch (the rest out of scope); higher "
                        "accepts more new wordings and refuses fewer out-of-scope questions")
    p.add_argument("--min-text-steps", type=int, default=None,
                   help="at least this many understanding steps, several per image step on small sets "
                        "(default 600, 300 with --tiny)")
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--validation", type=float, default=0.1, help="fraction of studies held for validation")
    p.add_argument("--text-validation", type=float, default=0.15,
                   help="fraction of phrasings and out-of-scope topics held for validation")
    p.add_argument("--target-risk", type=float, default=0.01,
                   help="per-type thresholds: the error rate allowed among answered validation questions")
    p.add_argument("--min-coverage", type=float, default=0.7,
                   help="per-type thresholds never answer fewer than this share of validation questions")
    p.add_argument("--max-false-refusal", type=float, default=0.01,
                   help="min_confidence: the share of validation in-scope questions it may refuse")
    p.add_argument("--name", default="medvqa-demo")
    p.add_argument("--version", default="1.0.0")
    p.add_argument("--source", default="", help="how the data was made, for the model card")
    p.add_argument("--tiny", action="store_true",
                   help="a tiny run for tests: 1 epoch, small network, thresholds 0 (nothing is uncertain)")
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
    """Per image, one row per question type asked about it. The answer path sees the type's
    canonical question and the type-level answer, so rows of one type on one image (a direct and
    an inverse phrasing) are the same example: keep the first."""
    by_image: List[Dict[int, int]] = [{} for _ in range(data.images.shape[0])]
    for row, (image, qtype) in enumerate(zip(data.image_index.tolist(), data.qtype.tolist())):
        by_image[image].setdefault(qtype, row)
    return [torch.tensor(sorted(rows.values()), dtype=torch.long) for rows in by_image]


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


class FindingHeads(torch.nn.Module):
    """Training-only shortcut from the image features to every question type's answer: gives the
    CNN a direct signal from the first step. Not exported."""

    def __init__(self, feature_size: int, types: int, answers: int):
        super().__init__()
        self.types, self.answers = types, answers
        self.linear = torch.nn.Linear(feature_size, types * answers)

    def forward(self, features: torch.Tensor, qtype: torch.Tensor) -> torch.Tensor:
        logits = self.linear(features).view(-1, self.types, self.answers)
        return logits[torch.arange(len(qtype)), qtype]


class Trainer:
    """The two parts have disjoint parameters and their own optimizer and schedule: the
    understanding head may take several text steps per image step (small sets, --tiny) without
    moving the image path."""

    def __init__(self, model: VqaModel, data: PreparedSet, args: argparse.Namespace, train_images: torch.Tensor,
                 texts: List[TextBatches], generator: torch.Generator):
        self.model, self.data, self.args, self.texts, self.generator = model, data, args, texts, generator
        self.train_images = train_images
        self.rows_of_image = rows_of_images(data)
        self.heads = FindingHeads(model.feature_size, len(data.question_types), len(data.answers))
        understanding = list(model.understanding.parameters())
        ids = {id(p) for p in understanding}
        answer_params = [p for p in model.parameters() if id(p) not in ids] + list(self.heads.parameters())
        self.image_steps = args.epochs * math.ceil(len(train_images) / args.batch_images)
        self.texts_per_step = max(1, math.ceil(args.min_text_steps / max(self.image_steps, 1)))
        text_steps = self.image_steps * self.texts_per_step
        self.optimizer = torch.optim.AdamW(answer_params, lr=args.lr, weight_decay=1e-4, foreach=True)
        self.schedule = torch.optim.lr_scheduler.OneCycleLR(self.optimizer, max_lr=args.lr,
                                                            total_steps=max(self.image_steps, 1), pct_start=0.15)
        self.text_optimizer = torch.optim.AdamW(understanding, lr=args.lr, weight_decay=1e-4, foreach=True)
        self.text_schedule = torch.optim.lr_scheduler.OneCycleLR(self.text_optimizer, max_lr=args.lr,
                                                                 total_steps=max(text_steps, 1), pct_start=0.15)

    def answer_loss(self, images: torch.Tensor, augment: bool) -> Tuple[torch.Tensor, int]:
        rows = [self.rows_of_image[i] for i in images.tolist()]
        local = torch.cat([torch.full((len(r),), k, dtype=torch.long) for k, r in enumerate(rows)])
        rows = torch.cat(rows)
        pixels = self.data.images[images]
        if augment:
            pixels = jitter_intensity(shift_images(pixels, self.generator, 4), self.generator, 0.1)
        qtype, labels = self.data.qtype[rows], self.data.answer[rows]
        features = self.model.encode_image(pixels)
        # Each type's canonical question, encoded once per step.
        question = self.model.question_encoder(self.data.canonical_tokens)[qtype]
        logits = self.model.fuse(features[local], question)
        loss = F.cross_entropy(logits, labels)
        auxiliary = F.cross_entropy(self.heads(features[local], qtype), labels)
        return loss + AUXILIARY_WEIGHT * auxiliary, len(rows)

    def text_step(self) -> float:
        """Each member of the understanding ensemble learns from its own batch (its own stream)."""
        types = len(self.data.question_types)
        loss = torch.zeros(())
        for member, texts in zip(self.model.understanding.members, self.texts):
            tokens, labels, polarity = texts.next()
            outputs = member(tokens)
            loss = loss + F.cross_entropy(outputs[:, :types + 1], labels)
            if int((polarity >= 0).sum()) > 0:
                loss = loss + F.cross_entropy(outputs[:, types + 1:], polarity, ignore_index=-100)
        self.text_optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.text_optimizer.step()
        self.text_schedule.step()
        return float(loss) / len(self.texts)

    def epoch(self, augment: bool) -> Tuple[float, float]:
        """One pass over the training images; each step encodes a batch of images once and answers
        every question type about them, then takes its text step(s)."""
        self.model.train()
        self.heads.train()
        order = self.train_images[torch.randperm(len(self.train_images), generator=self.generator)]
        total_loss, total_rows, text_loss, text_steps = 0.0, 0, 0.0, 0
        for start in range(0, len(order), self.args.batch_images):
            loss, rows = self.answer_loss(order[start:start + self.args.batch_images], augment)
            self.optimizer.zero_grad(set_to_none=True)
            loss.backward()
            self.optimizer.step()
            self.schedule.step()
            total_loss += float(loss) * rows
            total_rows += rows
            for _ in range(self.texts_per_step):
                text_loss += self.text_step()
                text_steps += 1
        return total_loss / max(total_rows, 1), text_loss / max(text_steps, 1)


@torch.no_grad()
def predict_logits(model: VqaModel, data: PreparedSet, images: torch.Tensor, batch: int = 256) -> Tuple[torch.Tensor, torch.Tensor]:
    """Answer logits of every (image, question type) of `images`, the type's canonical question
    fed as the runtime does (eval mode), and their row indices."""
    model.eval()
    by_image = rows_of_images(data)
    rows = torch.cat([by_image[i] for i in images.tolist()]) if len(images) else torch.zeros(0, dtype=torch.long)
    if len(rows) == 0:
        return torch.zeros(0, len(data.answers)), rows
    features = torch.cat([model.encode_image(data.images[images[i:i + batch]]) for i in range(0, len(images), batch)])
    position = torch.full((data.images.shape[0],), -1, dtype=torch.long)
    position[images] = torch.arange(len(images))
    canonical = data.canonical_tokens[data.qtype[rows]]
    logits = [model.answer(features[position[data.image_index[rows[i:i + 1024]]]], canonical[i:i + 1024])
              for i in range(0, len(rows), 1024)]
    return torch.cat(logits), rows


@torch.no_grad()
def understand_rows(model: VqaModel, data: PreparedSet, rows: List[int]) -> torch.Tensor:
    model.eval()
    if not rows:
        return torch.zeros(0, len(data.question_types) + 3)
    tokens = data.text_tokens[torch.tensor(rows, dtype=torch.long)]
    return torch.cat([model.understand(tokens[i:i + 1024]) for i in range(0, len(rows), 1024)])


def answer_figures(data: PreparedSet, allowed: torch.Tensor, logits: torch.Tensor, rows: torch.Tensor,
                   temperature: float) -> Tuple[torch.Tensor, torch.Tensor]:
    """Confidence and correctness per row, with the runtime's restricted softmax."""
    if len(rows) == 0:
        return torch.zeros(0), torch.zeros(0, dtype=torch.bool)
    probabilities = restricted_probabilities(logits, allowed[data.qtype[rows]], temperature)
    confidence, predicted = probabilities.max(dim=1)
    return confidence, predicted == data.answer[rows]


def per_type_accuracy(data: PreparedSet, correct: torch.Tensor, rows: torch.Tensor) -> str:
    """Validation accuracy per question type, to see which finding the model struggles with."""
    qtype = data.qtype[rows]
    parts = []
    for t, entry in enumerate(data.question_types):
        mask = qtype == t
        if int(mask.sum()) > 0:
            parts.append(f"{entry['name']} {100 * float(correct[mask].float().mean()):.1f}")
    return ", ".join(parts)


def build_model(data: PreparedSet, tiny: bool) -> VqaModel:
    channels = int(data.images.shape[1])
    types = len(data.question_types)
    if tiny:
        return VqaModel(channels, data.token_count, len(data.answers), types, feature_size=32, widths=[8, 8, 16, 16],
                        token_dim=16, hidden=32, understanding_dim=16, understanding_hidden=32, understanding_members=1)
    return VqaModel(channels, data.token_count, len(data.answers), types)


def describe_architecture(model: VqaModel) -> str:
    widths = [layer.out_channels for layer in model.image_encoder.features if isinstance(layer, torch.nn.Conv2d)]
    u = model.understanding.members[0]
    return (f"CNN {'-'.join(map(str, widths))} channels (5×5/2 stem, 3×3/2, then 3×3 conv+BN+ReLU with "
            f"max-pooling), "
            f"4×4 average pool → {model.feature_size} features; question: mean of "
            f"{model.question_encoder.embed.embedding_dim}-d word + trigram embeddings and 4 attention heads → MLP; "
            f"FiLM fusion → MLP → {model.classifier[-1].out_features} answers; understanding: "
            f"{len(model.understanding.members)} heads averaged, each with its own "
            f"{u.embed.embedding_dim}-d word + trigram embeddings, mean, max and 4 attention heads → "
            f"{u.types.in_features} hidden → {u.types.out_features} type logits (incl. none) + 2 polarity logits")


def main() -> None:
    args = parse_args()
    if args.tiny:
        args.epochs = 1
    if args.min_text_steps is None:
        args.min_text_steps = 300 if args.tiny else 600
    started = time.time()
    generator = configure_determinism(args.seed, args.threads)
    data = load_prepared(args.data)
    data.require_understanding()
    types = len(data.question_types)
    closed = [bool(t["closed"]) for t in data.question_types]
    allowed = answer_mask(data.type_answers(), len(data.answers))

    train_images, val_images = split_studies(data, args.validation, generator)
    text_split = split_text_groups(data, args.text_validation, generator)
    model = build_model(data, args.tiny)
    members = len(model.understanding.members)
    texts = [TextBatches(data, text_split.train, seed=args.seed * 1000 + k, batch=32 if args.tiny else args.batch_texts,
                         in_scope=args.text_in_scope)
             for k in range(members)]
    trainer = Trainer(model, data, args, train_images, texts, generator)
    val_text_labels = data.text_type[torch.tensor(text_split.validation, dtype=torch.long)]
    val_text_polarity = data.text_polarity[torch.tensor(text_split.validation, dtype=torch.long)]

    print(f"{len(train_images)} training images, {len(val_images)} validation images, "
          f"{data.tokens.shape[0]} question rows, {types} question types; {text_split.describe(data)}; "
          f"{trainer.texts_per_step} text step(s) per image step; "
          f"{sum(p.numel() for p in model.parameters())} parameters", flush=True)

    best: Dict = {"accuracy": -1.0}
    for epoch in range(1, args.epochs + 1):
        t0 = time.time()
        loss, text_loss = trainer.epoch(augment=not args.tiny)
        logits, rows = predict_logits(model, data, val_images)
        _, correct = answer_figures(data, allowed, logits, rows, 1.0)
        accuracy = float(correct.float().mean()) if len(rows) else 0.0
        understanding = understanding_figures(understand_rows(model, data, text_split.validation), val_text_labels,
                                              val_text_polarity, closed, 1.0, 0.0)
        print(f"epoch {epoch:2d}: loss {loss:.4f} / text {text_loss:.4f}, validation accuracy {100 * accuracy:.2f} % "
              f"(canonical questions); {understanding.line()} ({time.time() - t0:.0f} s): "
              f"{per_type_accuracy(data, correct, rows)}", flush=True)
        if accuracy >= best["accuracy"]:  # ties to the later epoch (lower learning rate)
            best = {"accuracy": accuracy, "epoch": epoch, "state": copy.deepcopy(model.state_dict())}
    # The answer path from its best epoch; the understanding head from the last (its validation
    # set is small and is about to choose its temperature and min_confidence).
    final = model.state_dict()
    model.load_state_dict({name: (final[name] if name.startswith("understanding.") else value)
                           for name, value in best["state"].items()})

    # Answer path: temperature (restricted softmax), then per-type thresholds.
    logits, rows = predict_logits(model, data, val_images)
    labels = data.answer[rows]
    row_allowed = allowed[data.qtype[rows]]
    temperature = fit_restricted_temperature(logits, labels, row_allowed)
    confidence_1, correct = answer_figures(data, allowed, logits, rows, 1.0)
    confidence, _ = answer_figures(data, allowed, logits, rows, temperature)
    accuracy = float(correct.float().mean()) if len(rows) else 0.0
    ece_before = expected_calibration_error(confidence_1.tolist(), correct.tolist())
    ece_after = expected_calibration_error(confidence.tolist(), correct.tolist())
    choices = choose_thresholds(confidence, correct, data.qtype[rows], closed, args.target_risk, args.min_coverage,
                                THRESHOLD_PRIOR_ROWS)
    if args.tiny:
        for choice in choices:
            choice.threshold, choice.rule = 0.0, "tiny run: no thresholds"
    thresholds = [choice.threshold for choice in choices]
    answered = confidence >= torch.tensor(thresholds)[data.qtype[rows]] if len(rows) else torch.zeros(0, dtype=torch.bool)
    coverage = float(answered.float().mean()) if len(rows) else 0.0
    answered_accuracy = float(correct[answered].float().mean()) if int(answered.sum()) else 0.0
    answered_ece = expected_calibration_error(confidence[answered].tolist(), correct[answered].tolist())
    print(f"best epoch {best['epoch']}: validation accuracy {100 * accuracy:.2f} %, temperature {temperature:.4f}, "
          f"ECE {ece_before:.4f} → {ece_after:.4f}", flush=True)
    print(f"validation per type: {per_type_accuracy(data, correct, rows)}", flush=True)
    print(f"thresholds (target risk {args.target_risk}, coverage floor {args.min_coverage}): "
          + ", ".join(f"{t['name']} {c.threshold:.3f} ({100 * c.coverage:.0f} % answered, risk {100 * c.risk:.1f} %"
                      f"{'' if c.rule == 'target' else ', ' + c.rule})" for t, c in zip(data.question_types, choices)),
          flush=True)
    print(f"validation with thresholds: {100 * coverage:.1f} % answered, accuracy when answered "
          f"{100 * answered_accuracy:.2f} %, ECE {answered_ece:.4f}", flush=True)

    # Understanding: temperature (in-scope and out-of-scope weighted equally), then min_confidence.
    # "none" keeps the weight training gave it (half of every text batch): moving its boundary on
    # validation data was tried and overshot, validation's unseen topics being harder than new
    # wordings of seen ones.
    outputs = understand_rows(model, data, text_split.validation)
    inside = val_text_labels < types
    n_in, n_out = int(inside.sum()), int((~inside).sum())
    weights = torch.where(inside, torch.tensor(1.0 / max(n_in, 1)), torch.tensor(1.0 / max(n_out, 1)))
    u_temperature = fit_weighted_temperature(outputs[:, :types + 1], val_text_labels, weights)
    min_confidence = choose_min_confidence(outputs, val_text_labels, u_temperature, args.max_false_refusal)
    u_figures = understanding_figures(outputs, val_text_labels, val_text_polarity, closed, u_temperature,
                                      min_confidence)
    print(f"understanding: temperature {u_temperature:.4f}, min_confidence {min_confidence:.4f}; validation "
          f"(held-out phrasings and topics): {u_figures.line()}", flush=True)

    example = data.images[:2]
    scripted = script_model(model, example, data.canonical_tokens[:2], data.text_tokens[:4])
    study_of_image = data.study_of_image()
    training = {
        "data": {"source": args.source or args.data, "studies": len(set(study_of_image)),
                 "images": int(data.images.shape[0]), "rows": int(data.tokens.shape[0]),
                 "text_rows": int(data.text_tokens.shape[0]),
                 "in_scope_texts": int((data.text_type < types).sum()),
                 "out_of_scope_texts": int((data.text_type == types).sum())},
        "split": {"train_studies": len(set(study_of_image[i] for i in train_images.tolist())),
                  "validation_studies": len(set(study_of_image[i] for i in val_images.tolist())),
                  "train_texts": len(text_split.train), "validation_texts": len(text_split.validation),
                  "text_rule": f"{int(100 * args.text_validation)} % of phrasings (per type and polarity) and of "
                               f"out-of-scope topics held out whole"},
        "architecture": describe_architecture(model),
        "parameters": sum(p.numel() for p in model.parameters()),
        "epochs": args.epochs, "best_epoch": best["epoch"], "batch_images": args.batch_images,
        "optimizer": f"AdamW lr {args.lr} (one-cycle), weight decay 1e-4; images shifted ±4 px, "
                     f"intensity ±10 %",
        "answer_questions": "each type's canonical question (the runtime's input to answer()); "
                            "auxiliary loss: each type's answer from the image",
        "word_dropout": f"{members} understanding heads, each on its own stream of " + texts[0].describe(),
        "seed": args.seed, "threads": args.threads,
        "seconds": round(time.time() - started, 1),
        "torch": f"torch {torch.__version__}, Python {platform.python_version()}",
        "validation": {"accuracy": round(accuracy, 4), "ece_before": round(ece_before, 4),
                       "ece_after": round(ece_after, 4), "coverage": round(coverage, 4),
                       "accuracy_answered": round(answered_accuracy, 4), "ece_answered": round(answered_ece, 4)},
        "thresholds": {"target_risk": args.target_risk, "min_coverage": args.min_coverage,
                       "prior_rows": THRESHOLD_PRIOR_ROWS,
                       "rule": "per type, the smallest confidence cut whose answered validation questions have a "
                               f"risk ≤ {args.target_risk} (risk shrunk towards the closed/open family's pooled risk "
                               f"with {THRESHOLD_PRIOR_ROWS:g} pseudo-rows), never answering fewer than "
                               f"{args.min_coverage} of them",
                       "per_type": {t["name"]: c.as_json() for t, c in zip(data.question_types, choices)}},
        "understanding": {"temperature": round(u_temperature, 6), "min_confidence": round(min_confidence, 6),
                          "max_false_refusal": args.max_false_refusal,
                          "rule": "temperature: weighted NLL, in-scope and out-of-scope validation texts weighted "
                                  "equally, never below 1; min_confidence: refuse as many validation out-of-scope "
                                  f"questions as possible while refusing at most {args.max_false_refusal} of the "
                                  "in-scope ones, halfway between the last refused and the first accepted",
                          "validation": u_figures.as_json()},
    }
    manifest = build_manifest(data.meta, args.name, args.version, model.feature_size, temperature, training,
                              thresholds=thresholds, understanding={"temperature": u_temperature,
                                                                    "min_confidence": min_confidence})
    export_model_folder(scripted, manifest, Path(args.out))
    print(f"wrote {args.out} in {training['seconds']} s", flush=True)


if __name__ == "__main__":
    main()
