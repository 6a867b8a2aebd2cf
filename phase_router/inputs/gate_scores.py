"""Gate scores of a mixture-of-experts layer, from a model an MoE practitioner recognises:
token representations drawn from a mixture of clusters, one embedding per expert, logits = the
dot product plus a Zipf-skewed popularity bias, and a softmax with a temperature.

    logit[i, e] = (<x_i, w_e> + log p_e) / temperature,    scores = softmax(logit) per token
    x_i = centre[z_i] + noise * n_i,  z_i uniform over the clusters,  n_i ~ N(0, I)
    w_e ~ affinity * N(0, I / dim),  p_e proportional to rank_e ** -zipf  (ranks a keyed permutation)

The defaults (dim 64, 256 clusters, affinity 2, zipf 0.5, noise 1, temperature 1) give a top-1
gate weight of about 0.65 / 0.45 / 0.35 and a top-1 load variance of about 0.1 / 0.4 / 1.2 times
the squared mean load for 8 / 64 / 256 experts: the range the original system (TSltd/bitpacked_phase_router) quotes for learned
top-k routers (c1 in [0.2, 1.0]).

A model is fixed by its seed (domain 22): the clusters, the experts and who is popular stay put
while batches (domain 23, one seed each) draw new tokens, as in training. Every draw is
SplitMix64 (uniforms from 53 bits, normals by Box-Muller), never NumPy's generators."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .._internal import random as rnd
from .._internal.scalars import check_count, check_real, check_seed
from .._internal.seed_domains import DOMAIN_GATE_MODEL, DOMAIN_GATE_TOKENS


@dataclass(frozen=True)
class GateModel:
    """centres: clusters x dim; experts: E x dim; log_popularity: E (log p_e, p summing to 1)."""

    centres: NDArray[np.float64]
    experts: NDArray[np.float64]
    log_popularity: NDArray[np.float64]
    noise: float
    temperature: float

    @property
    def E(self) -> int:  # noqa: N802
        return int(self.experts.shape[0])


def _uniforms(key: int, count: int) -> NDArray[np.float64]:
    """count uniforms in (0, 1): the top 53 bits of SplitMix64 outputs 0..count-1, plus half a step."""
    bits = rnd.splitmix_array(key, np.arange(count, dtype=np.uint64)) >> np.uint64(11)
    return (bits.astype(np.float64) + 0.5) * 2.0**-53


def _normals(key: int, count: int) -> NDArray[np.float64]:
    """count standard normals by Box-Muller from pairs of keyed uniforms."""
    pairs = (count + 1) // 2
    u = _uniforms(key, 2 * pairs).reshape(pairs, 2)
    radius = np.sqrt(-2.0 * np.log(u[:, 0]))
    angle = 2.0 * np.pi * u[:, 1]
    return np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1).reshape(-1)[:count]


def gate_model(E: int, *, dim: int = 64, clusters: int = 256, affinity: float = 2.0, zipf: float = 0.5,  # noqa: N803
               noise: float = 1.0, temperature: float = 1.0, seed: int = 0) -> GateModel:
    """The model of E experts: cluster centres, expert embeddings and Zipf popularity."""
    E, dim, clusters = check_count(E, "E"), check_count(dim, "dim"), check_count(clusters, "clusters")
    affinity = check_real(affinity, "affinity", minimum=0.0)
    zipf = check_real(zipf, "zipf", minimum=0.0)
    noise = check_real(noise, "noise", minimum=0.0)
    temperature = check_real(temperature, "temperature", above=0.0)
    key = rnd.domain_key(check_seed(seed), DOMAIN_GATE_MODEL)
    centres = _normals(rnd.splitmix(key, 0), clusters * dim).reshape(clusters, dim)
    experts = affinity * _normals(rnd.splitmix(key, 1), E * dim).reshape(E, dim) / np.sqrt(dim)
    rank = rnd.keyed_permutation(rnd.splitmix(key, 2), E).astype(np.float64) + 1.0  # expert e's popularity rank
    weight = rank ** -zipf
    return GateModel(centres=centres, experts=experts, log_popularity=np.log(weight / weight.sum()),
                     noise=noise, temperature=temperature)


def gate_logits(model: GateModel, M: int, seed: int) -> NDArray[np.float64]:  # noqa: N803
    """M x E logits of one batch of M tokens (the batch's seed draws its tokens)."""
    M = check_count(M, "M")  # noqa: N806
    key = rnd.domain_key(check_seed(seed), DOMAIN_GATE_TOKENS)
    clusters, dim = model.centres.shape
    cluster = (rnd.splitmix_array(rnd.splitmix(key, 0), np.arange(M, dtype=np.uint64)) % np.uint64(clusters)).astype(np.int64)
    tokens = model.centres[cluster] + model.noise * _normals(rnd.splitmix(key, 1), M * dim).reshape(M, dim)
    # einsum's own loop, not BLAS: a BLAS product's bits can depend on the matrix's size and on
    # its thread count, and a token's logits must not depend on how many tokens share its batch.
    products = np.einsum("md,ed->me", tokens, model.experts, optimize=False)
    return (products + model.log_popularity) / model.temperature


def softmax(logits: NDArray[np.float64]) -> NDArray[np.float64]:
    """Row-wise softmax, shifted by each row's maximum so no exponent overflows."""
    weights = np.exp(logits - logits.max(axis=1, keepdims=True))
    return weights / weights.sum(axis=1, keepdims=True)
