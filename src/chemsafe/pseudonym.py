"""Keyed pseudonymisation of personal identifiers (employee numbers).

An employee number is replaced by HMAC-SHA256(key, employee_no) in hex. The key comes
from the environment (``CHEMSAFE_PSEUDONYM_KEY``), never from the repository; when it is
not set a clearly labelled demo key is used and every run says so. The same key on both
sides keeps the training reconciliation (LMS vs sign-in sheets) joinable.
"""

from __future__ import annotations

import hashlib
import hmac
import os

KEY_ENV = "CHEMSAFE_PSEUDONYM_KEY"
DEMO_KEY = "chemsafe-DEMO-key-NOT-FOR-PRODUCTION"
DEMO_WARNING = (
    f"{KEY_ENV} is not set: employee numbers are pseudonymised with the public DEMO key. "
    f"Set {KEY_ENV} to a secret before loading real data."
)


def pseudonym_key() -> tuple[bytes, bool]:
    """Return (key bytes, is_demo_key)."""
    value = os.environ.get(KEY_ENV, "")
    if value:
        return value.encode("utf-8"), False
    return DEMO_KEY.encode("utf-8"), True


def pseudonymise(value: str | None, key: bytes) -> str | None:
    if value is None:
        return None
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def key_fingerprint(key: bytes) -> str:
    """HMAC-SHA256(key, a fixed public label) in hex: names the key without revealing it
    (chemsafe.keycheck records it in the warehouse, ingest in each load folder)."""
    return hmac.new(key, FINGERPRINT_LABEL, hashlib.sha256).hexdigest()


FINGERPRINT_LABEL = b"chemsafe-esg pseudonym key fingerprint v1"
