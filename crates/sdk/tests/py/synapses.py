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


class StreamEcho(bt.StreamingSynapse):
    """Streams the words of `text` back, one chunk each; `out` accumulates them."""

    text: str = ""
    out: Optional[str] = None

    async def process_streaming_response(self, response):
        if self.out is None:
            self.out = ""
        async for chunk in response.content.iter_any():
            text = chunk.decode("utf-8")
            self.out += text
            yield text

    def deserialize(self):
        return self.out

    def extract_response_json(self, response) -> dict:
        server = bt.Synapse.from_headers(dict(response.headers))
        return {
            "text": self.text,
            "out": self.out,
            "axon": server.axon.model_dump(),
            "dendrite": self.dendrite.model_dump(),
        }
