"""Small learned models inside the tagger: multinomial logistic regression over hashed features.

A feature is a short string ("w=dilarang", "cue=denied", "rule=alleged"); it is hashed (crc32) into one
of 2**bits buckets, so the model file holds only a weight matrix, a bias and the class names, never the
words or texts it was trained on. Prediction is a sum of a few dozen weight columns (microseconds);
training is plain stochastic gradient descent with L2, deterministic for a given seed (numpy only: no
new dependency for a model of this size).
"""
from __future__ import annotations

import io
import random
import zlib
from importlib import resources
from pathlib import Path

import numpy

MODELS_DIR = "models"            # inside the extract.tagging package


def bucket(feature: str, bits: int) -> int:
    return zlib.crc32(feature.encode("utf-8")) & ((1 << bits) - 1)


class HashedSoftmax:
    def __init__(self, labels: list[str], bits: int = 16, weights=None, bias=None):
        self.labels = list(labels)
        self.bits = bits
        size = 1 << bits
        self.weights = weights if weights is not None else numpy.zeros((size, len(labels)), dtype="float32")
        self.bias = bias if bias is not None else numpy.zeros(len(labels), dtype="float32")

    def _index(self, features: list[str]) -> list[int]:
        return sorted({bucket(f, self.bits) for f in features})

    def scores(self, features: list[str]) -> numpy.ndarray:
        idx = self._index(features)
        return self.weights[idx].sum(axis=0) + self.bias if idx else self.bias.copy()

    def proba(self, features: list[str]) -> dict[str, float]:
        s = self.scores(features)
        e = numpy.exp(s - s.max())
        p = e / e.sum()
        return {label: float(v) for label, v in zip(self.labels, p)}

    def predict(self, features: list[str]) -> str:
        return self.labels[int(numpy.argmax(self.scores(features)))]

    def fit(self, examples: list[tuple[list[str], str]], epochs: int = 30, rate: float = 0.2, l2: float = 1e-4,
            seed: int = 0, class_weight: dict[str, float] | None = None) -> "HashedSoftmax":
        rows = [(self._index(f), self.labels.index(y)) for f, y in examples]
        weight = [(class_weight or {}).get(label, 1.0) for label in self.labels]
        order = list(range(len(rows)))
        rnd = random.Random(seed)
        for epoch in range(epochs):
            rnd.shuffle(order)
            step = rate / (1 + epoch * 0.1)
            for n in order:
                idx, y = rows[n]
                s = (self.weights[idx].sum(axis=0) if idx else 0) + self.bias
                e = numpy.exp(s - s.max())
                grad = e / e.sum()
                grad[y] -= 1.0
                grad *= weight[y] * step
                if idx:
                    self.weights[idx] -= grad + l2 * step * self.weights[idx]
                self.bias -= grad
        return self

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        numpy.savez_compressed(buffer, weights=self.weights.astype("float16"), bias=self.bias,
                               labels=numpy.array(self.labels), bits=numpy.array(self.bits))
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> "HashedSoftmax":
        with numpy.load(io.BytesIO(data), allow_pickle=False) as z:
            return cls([str(x) for x in z["labels"]], int(z["bits"]), z["weights"].astype("float32"),
                       z["bias"].astype("float32"))


def model_path(name: str) -> Path:
    """Where a shipped model file lives in the source tree (written by lab.train_tagger)."""
    return Path(__file__).resolve().parent / MODELS_DIR / name


def load_model(name: str) -> HashedSoftmax | None:
    """A model shipped in the package (extract/tagging/models/NAME), or None when it is not there."""
    ref = resources.files("extract.tagging").joinpath(MODELS_DIR).joinpath(name)
    try:
        return HashedSoftmax.from_bytes(ref.read_bytes())
    except FileNotFoundError:
        return None
