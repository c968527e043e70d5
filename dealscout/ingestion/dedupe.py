"""Exact and near-duplicate detection: canonical URLs, content hashes, MinHash + LSH."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np
from datasketch import MinHash, MinHashLSH

from dealscout.ingestion.redirects import unwrap

NUM_PERM = 128
SHINGLE_WORDS = 5
THRESHOLD = 0.5
_SEED = 1
_SCHEME = "affine32"  # pinned: signatures are stored, so the hash family must not drift
_SIGNATURE_DTYPE = np.dtype("<u4")

_TRACKING_PARAMS = {
    "fbclid", "gclid", "dclid", "gclsrc", "msclkid", "yclid", "twclid", "igshid", "mc_cid",
    "mc_eid", "ref", "ref_src", "ref_url", "referrer", "source", "_hsenc", "_hsmi", "mkt_tok",
    "cmpid", "ncid", "sr_share", "spm", "s_cid", "wt.mc_id", "icid", "ito", "cid", "at_medium",
    "at_campaign", "guccounter", "guce_referrer", "guce_referrer_sig", "share", "smid", "feature",
    "__twitter_impression", "rss", "partner", "trk", "trkcampaign", "oly_enc_id", "oly_anon_id",
}  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "vero_", "ga_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_WORD = re.compile(r"\w+")


def canonical_url(url: str) -> str:
    """One spelling per page: the publisher's link behind any redirect wrapper, lowercase
    scheme/host, no ``www.``, fragment, tracking parameters, default port or trailing
    slash; remaining query parameters sorted."""
    parts = urlsplit(unwrap(url.strip()))
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    host = host.removeprefix("www.")
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    netloc = host if port is None or _DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    path = parts.path.rstrip("/")
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(key)
    )
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def _is_tracking(key: str) -> bool:
    key = key.lower()
    return key in _TRACKING_PARAMS or key.startswith(_TRACKING_PREFIXES)


def normalize_for_hash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def content_hash(text: str) -> str:
    """SHA-256 of the text with case and whitespace normalized (exact duplicates)."""
    return hashlib.sha256(normalize_for_hash(text).encode("utf-8")).hexdigest()


def shingles(text: str) -> set[bytes]:
    words = _WORD.findall(normalize_for_hash(text))
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode()} if words else set()
    return {
        " ".join(words[i : i + SHINGLE_WORDS]).encode()
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }


@functools.cache
def _permutations() -> np.ndarray:
    """The hash family for ``_SEED``, drawn once: datasketch redraws it for every sketch
    (~0.25 ms) unless given. Read-only, as every sketch shares it."""
    permutations = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME).permutations
    permutations.setflags(write=False)
    return permutations


def minhash(text: str) -> MinHash:
    """MinHash of the text's 5-word shingles (128 permutations)."""
    mh = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME, permutations=_permutations())
    mh.update_batch(list(shingles(text)))
    return mh


def signature_bytes(mh: MinHash) -> bytes:
    """The signature as 512 little-endian bytes, for storage beside the item."""
    return np.asarray(mh.hashvalues, dtype=_SIGNATURE_DTYPE).tobytes()


def from_bytes(data: bytes) -> MinHash:
    if len(data) != NUM_PERM * _SIGNATURE_DTYPE.itemsize:
        raise ValueError(
            f"a signature has {NUM_PERM * _SIGNATURE_DTYPE.itemsize} bytes, got {len(data)}"
        )
    values = np.frombuffer(data, dtype=_SIGNATURE_DTYPE).astype(np.uint32)
    return MinHash(
        num_perm=NUM_PERM,
        seed=_SEED,
        hashvalues=values,
        scheme=_SCHEME,
        permutations=_permutations(),
    )


@functools.cache
def _lsh_params(threshold: float) -> tuple[int, int]:
    """Bands and rows per band for the threshold, as datasketch's ``MinHashLSH`` tunes them
    (by numeric integration, ~15 ms)."""
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return lsh.b, lsh.r


class NearDuplicateIndex:
    """LSH over MinHash signatures; ``query`` confirms candidates by estimated Jaccard.

    The banding of datasketch's ``MinHashLSH`` (a candidate has one whole band equal) in
    plain dicts from a band's bytes to a tuple of keys: adding a signature costs ~15 µs
    rather than ~45, mostly as the garbage collector soon stops tracking tuples of strings
    (it keeps scanning MinHashLSH's sets).
    """

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        bands, self._rows = _lsh_params(threshold)
        self._tables: list[dict[bytes, tuple[str, ...]]] = [{} for _ in range(bands)]
        self._signatures: dict[str, MinHash] = {}

    @classmethod
    def from_signatures(cls, stored: Iterable[tuple[str, bytes]]) -> NearDuplicateIndex:
        """Rebuild from ``(key, signature_bytes)`` pairs read back from the store."""
        index = cls()
        for key, data in stored:
            index.add(key, from_bytes(data))
        return index

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, key: object) -> bool:
        return key in self._signatures

    def signature(self, key: str) -> MinHash | None:
        return self._signatures.get(key)

    def _bands(self, mh: MinHash) -> list[bytes]:
        values = np.asarray(mh.hashvalues[: len(self._tables) * self._rows], dtype=np.uint64)
        raw, width = values.tobytes(), self._rows * 8
        return [raw[start : start + width] for start in range(0, len(raw), width)]

    def add(self, key: str, mh: MinHash) -> None:
        if key in self._signatures:
            return
        for table, band in zip(self._tables, self._bands(mh), strict=True):
            table[band] = (*table.get(band, ()), key)
        self._signatures[key] = mh

    def remove(self, key: str) -> None:
        mh = self._signatures.pop(key, None)
        if mh is None:
            return
        for table, band in zip(self._tables, self._bands(mh), strict=True):
            rest = tuple(k for k in table[band] if k != key)
            if rest:
                table[band] = rest
            else:
                del table[band]

    def nearest(self, mh: MinHash) -> tuple[str, float] | None:
        """The most similar stored key with estimated Jaccard ≥ threshold, and that Jaccard;
        None when there is none."""
        candidates: set[str] = set()
        for table, band in zip(self._tables, self._bands(mh), strict=True):
            candidates.update(table.get(band, ()))
        best_key, best = None, self.threshold
        for key in candidates:
            similarity = mh.jaccard(self._signatures[key])
            if similarity >= best:
                best_key, best = key, similarity
        return None if best_key is None else (best_key, best)
