"""Object ids with the real service's prefixes, from a seeded generator.

Real ids are a prefix and 24 base62 characters (`thread_sSbvUX4J1FqlUZBv6BaBbOj4`);
files use a hyphen (`file-...`). Same seed, same sequence of calls: same ids.
"""

from __future__ import annotations

import random
import string
import threading

ALPHABET = string.ascii_letters + string.digits
ID_LENGTH = 24

#: Prefix of each kind of object, as the real service writes it.
PREFIXES: dict[str, str] = {
    "assistant": "asst_",
    "thread": "thread_",
    "message": "msg_",
    "run": "run_",
    "step": "step_",
    "call": "call_",
    "file": "file-",
    "vector_store": "vs_",
    "file_batch": "vsfb_",
}

DEFAULT_SEED = 0


class IdGenerator:
    def __init__(self, seed: int = DEFAULT_SEED) -> None:
        self._lock = threading.Lock()
        self.reseed(seed)

    def reseed(self, seed: int) -> None:
        with self._lock:
            self.seed = seed
            self._random = random.Random(seed)

    def new(self, kind: str) -> str:
        prefix = PREFIXES[kind]
        with self._lock:
            return prefix + "".join(self._random.choices(ALPHABET, k=ID_LENGTH))
