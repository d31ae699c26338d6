"""The demo VQA network: a small CNN image encoder, a bag-of-(sub)words question encoder, FiLM
fusion and an answer classifier. Scriptable as is; the exported methods are the runtime's
contract (docs/model-format.md): forward(image, tokens), encode_image(image),
answer(features, tokens), all returning logits *without* temperature."""

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


class VqaModel(nn.Module):
    def __init__(self, channels: int, num_tokens: int, num_answers: int, feature_size: int = 256,
                 widths: List[int] = [16, 32, 64, 128, 128], grid: int = 4, token_dim: int = 64,
                 hidden: int = 256):
        super().__init__()
        self.feature_size = feature_size
        self.image_encoder = ImageEncoder(channels, feature_size, widths, grid)
        self.question_encoder = QuestionEncoder(num_tokens, token_dim, feature_size)
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
        return self.fuse(features, self.question_encoder(tokens))

    def fuse(self, features: torch.Tensor, question: torch.Tensor) -> torch.Tensor:
        gamma, beta = self.film(question).chunk(2, dim=1)
        fused = torch.relu(features * (1.0 + gamma) + beta)
        # The question itself also reaches the classifier: it decides which answers are possible.
        return self.classifier(torch.cat([fused, question], dim=1))

    def forward(self, image: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        return self.answer(self.encode_image(image), tokens)
