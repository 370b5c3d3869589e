"""Synapse classes shared by the interop scripts (the shapes of the captured fixtures)."""
from typing import Optional

import bittensor as bt


class Echo(bt.Synapse):
    n: int = 0
    text: str = ""
    out: Optional[str] = None


class EchoHashed(bt.Synapse):
    required_hash_fields = ("n", "text")
    n: int = 0
    text: str = ""
    out: Optional[str] = None
