"""The demo VQA network: a small CNN image encoder, a bag-of-(sub)words question encoder, FiLM
fusion and an answer classifier, plus a question-understanding head with its own question
encoder. Scriptable as is; the exported methods are the runtime's contract
(docs/model-format.md): forward(image, tokens), encode_image(image), answer(features, tokens)
and understand(tokens), all returning logits *without* temperature."""

from typing import List

import torch
from torch import nn


def conv_bn_relu(c_in: int, c_out: int, kernel: int = 3, stride: int = 1) -> List[nn.Module]:
    return [
        nn.Conv2d(c_in, c_out, kernel_size=kernel, stride=stride, padding=kernel // 2, bias=False),
        nn.BatchNorm2d(c_out),
        nn.ReLU(inplace=True),
    ]


class ImageEncoder(nn.Module):
    """[B, C, H, W] -> [B, feature_size].

    The first two layers are strided (a 5x5 stem sees full-resolution detail such as a 4-pixel
    nodule, then halves the size again): on a CPU, normalisation and activations on full-size maps
    cost most of the training time for little gain. Later blocks pool.

    Pooling keeps a coarse grid (not a single global average): which side an effusion or a
    kidney lesion is on is a question of *where*, and a fully global pool throws that away."""

    def __init__(self, channels: int, feature_size: int, widths: List[int], grid: int):
        super().__init__()
        layers = conv_bn_relu(channels, widths[0], kernel=5, stride=2) + conv_bn_relu(widths[0], widths[1], stride=2)
        for i in range(2, len(widths)):
            layers += conv_bn_relu(widths[i - 1], widths[i])
            if i < len(widths) - 1:
                layers.append(nn.MaxPool2d(2))
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(grid)
        self.project = nn.Sequential(
            nn.Flatten(),
            nn.Dropout(0.2),
            nn.Linear(widths[-1] * grid * grid, feature_size),
            nn.ReLU(inplace=True),
        )

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        return self.project(self.pool(self.features(image)))


class QuestionEncoder(nn.Module):
    """[B, L] token ids (words and character trigrams, 0 = padding) -> [B, out].

    A bag of ids (word order barely matters for these questions, and an unseen word still
    contributes through the trigrams it shares with known words), pooled two ways: the mean, and
    a few learned attention heads. The question type often hangs on one word among many ("In
    *which* pleural space is there fluid?" is "Is there fluid in the pleural space?" plus one
    word); attention lets that word weigh more than its 1/7 of a mean. The LayerNorm keeps the
    scale steady when some ids were never trained (their vectors stay small)."""

    def __init__(self, num_tokens: int, dim: int, out: int, heads: int = 4):
        super().__init__()
        self.embed = nn.Embedding(num_tokens, dim, padding_idx=0)
        nn.init.normal_(self.embed.weight, std=0.02)
        with torch.no_grad():
            self.embed.weight[0].zero_()
        self.score = nn.Linear(dim, heads)
        self.norm = nn.LayerNorm(dim * (heads + 1))
        self.mlp = nn.Sequential(nn.Linear(dim * (heads + 1), out), nn.ReLU(inplace=True), nn.Linear(out, out))

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        vectors = self.embed(tokens)                                  # [B, L, D]
        present = (tokens != 0).unsqueeze(2).to(vectors.dtype)        # [B, L, 1]
        mean = (vectors * present).sum(dim=1) / present.sum(dim=1).clamp(min=1.0)
        # Padding gets a large negative score, not -inf: an all-padding row (the runtime's load
        # check) must give finite numbers.
        scores = self.score(vectors) - 1.0e4 * (1.0 - present)       # [B, L, H]
        weights = torch.softmax(scores, dim=1)
        attended = torch.einsum("blh,bld->bhd", weights, vectors).flatten(1)
        return self.mlp(self.norm(torch.cat([mean, attended], dim=1)))


class UnderstandingHead(nn.Module):
    """[B, L] token ids -> [B, T + 3]: T question-type logits, a "none of these" logit, then the
    polarity logits (direct, inverse). Question only, no image (docs/model-format.md).

    Its own embedding table and encoder, not the answer path's: the answer head is only ever fed
    each type's canonical question, so its encoder never needs to generalise, while this one must
    read any wording. Pooling: the mean (what the question is mostly about), a few attention
    heads (the one word that makes "which side" of "is there"), and the elementwise max over
    tokens (a keyword counts as much in a long question as in a short one, where a mean would
    dilute it). Trigram ids let an unseen word ("effusions", "fractured") land near known ones."""

    def __init__(self, num_tokens: int, num_types: int, dim: int = 64, hidden: int = 128, heads: int = 4):
        super().__init__()
        self.num_types = num_types
        self.embed = nn.Embedding(num_tokens, dim, padding_idx=0)
        nn.init.normal_(self.embed.weight, std=0.02)
        with torch.no_grad():
            self.embed.weight[0].zero_()
        self.score = nn.Linear(dim, heads)
        width = dim * (heads + 2)
        self.norm = nn.LayerNorm(width)
        self.body = nn.Sequential(nn.Dropout(0.1), nn.Linear(width, hidden), nn.ReLU(inplace=True))
        self.types = nn.Linear(hidden, num_types + 1)
        self.polarity = nn.Linear(hidden, 2)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        vectors = self.embed(tokens)                                  # [B, L, D]
        present = (tokens != 0).unsqueeze(2).to(vectors.dtype)        # [B, L, 1]
        count = present.sum(dim=1)                                    # [B, 1]
        mean = (vectors * present).sum(dim=1) / count.clamp(min=1.0)
        # Large negative, not -inf: an all-padding row (the runtime's load check) stays finite.
        peak = (vectors - 1.0e4 * (1.0 - present)).max(dim=1).values * (count > 0).to(vectors.dtype)
        scores = self.score(vectors) - 1.0e4 * (1.0 - present)       # [B, L, H]
        weights = torch.softmax(scores, dim=1)
        attended = torch.einsum("blh,bld->bhd", weights, vectors).flatten(1)
        hidden = self.body(self.norm(torch.cat([mean, peak, attended], dim=1)))
        return torch.cat([self.types(hidden), self.polarity(hidden)], dim=1)


class Understanding(nn.Module):
    """A few UnderstandingHeads, each trained on its own stream of text batches, their logits
    averaged. Seven-odd phrasings per type are little to learn wordings from: one head's verdict
    on a new wording swings with its seed (which words it happened to lean on); the average of
    several is steadier and better calibrated, for a few hundred thousand parameters."""

    def __init__(self, num_tokens: int, num_types: int, dim: int, hidden: int, members: int):
        super().__init__()
        self.members = nn.ModuleList([UnderstandingHead(num_tokens, num_types, dim, hidden) for _ in range(members)])

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        outputs = [member(tokens) for member in self.members]
        return torch.stack(outputs).mean(dim=0)


class VqaModel(nn.Module):
    def __init__(self, channels: int, num_tokens: int, num_answers: int, num_types: int, feature_size: int = 256,
                 widths: List[int] = [16, 32, 64, 128, 128], grid: int = 4, token_dim: int = 64,
                 hidden: int = 256, understanding_dim: int = 64, understanding_hidden: int = 128,
                 understanding_members: int = 3):
        super().__init__()
        self.feature_size = feature_size
        self.image_encoder = ImageEncoder(channels, feature_size, widths, grid)
        self.question_encoder = QuestionEncoder(num_tokens, token_dim, feature_size)
        self.understanding = Understanding(num_tokens, num_types, understanding_dim, understanding_hidden,
                                           understanding_members)
        # FiLM: the question scales and shifts every image feature, so one image encoding serves
        # every question type.
        self.film = nn.Linear(feature_size, 2 * feature_size)
        self.classifier = nn.Sequential(
            nn.Linear(2 * feature_size, hidden),
            nn.ReLU(inplace=True),
            nn.Dropout(0.2),
            nn.Linear(hidden, num_answers),
        )

    @torch.jit.export
    def encode_image(self, image: torch.Tensor) -> torch.Tensor:
        return self.image_encoder(image)

    @torch.jit.export
    def answer(self, features: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        """At serving, `tokens` are the question type's canonical question (the manifest's
        question_types[i].question), never the user's words: understand() read those."""
        return self.fuse(features, self.question_encoder(tokens))

    @torch.jit.export
    def understand(self, tokens: torch.Tensor) -> torch.Tensor:
        return self.understanding(tokens)

    def fuse(self, features: torch.Tensor, question: torch.Tensor) -> torch.Tensor:
        gamma, beta = self.film(question).chunk(2, dim=1)
        fused = torch.relu(features * (1.0 + gamma) + beta)
        # The question itself also reaches the classifier: it decides which answers are possible.
        return self.classifier(torch.cat([fused, question], dim=1))

    def forward(self, image: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        return self.answer(self.encode_image(image), tokens)
