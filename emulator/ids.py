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
        self.reseed(seed, forget=True)

        self._issued: set[str] = set()

    def reseed(self, seed: int, *, forget: bool = False) -> None:
        """Start the sequence of `seed` again. Ids issued before are never issued twice unless
        `forget` (used by a reset, when the objects that held them are gone)."""
        with self._lock:
            self.seed = seed
            self._random = random.Random(seed)
            if forget:
                self._issued = set()

    def new(self, kind: str) -> str:
        prefix = PREFIXES[kind]
        with self._lock:
            while True:
                id = prefix + "".join(self._random.choices(ALPHABET, k=ID_LENGTH))
                if id not in self._issued:
                    self._issued.add(id)
                    return id
