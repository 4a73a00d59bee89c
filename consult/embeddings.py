"""Static word embeddings from the wordllama package, loaded from its own folder (never from the network)."""

from __future__ import annotations

from functools import cache

import numpy as np


def available() -> bool:
    try:
        import wordllama  # noqa: F401
    except ImportError:
        return False
    return True


@cache
def _model():
    from pathlib import Path

    import wordllama
    from wordllama import WordLlama

    # the default loader looks for updates online; the model ships inside the wheel
    return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


def embed(texts: list[str], batch_size: int = 20_000) -> np.ndarray:
    """One 256-dimensional vector per text (float32)."""
    model = _model()
    parts = [np.asarray(model.embed(texts[i : i + batch_size]), dtype=np.float32)
             for i in range(0, len(texts), batch_size)]
    return np.vstack(parts) if parts else np.zeros((0, 256), dtype=np.float32)
