#!/usr/bin/env python3
"""Queries a rustensor axon with the official bittensor 10.5.0 Dendrite (interop test).

Usage: dendrite_query.py PORT AXON_HOTKEY_SS58
Prints one JSON object on its last line with the outcome of each case:
  echo, echo_hashed   //Alice, expected 200 with out == text
  blacklisted         //Charlie, whom the axon blacklists, expected 403
  tampered_hashed     EchoHashed through a relay that rewrites "abc" to "abd" in the body
  tampered_plain      Echo through the same relay (not hash-protected: the SDK accepts it)
  stream              StreamEcho "one two three" with streaming=True: the chunks as yielded
                      and the final synapse's axon status and accumulated `out`
Loopback only: the dendrite's external IP lookup is stubbed.
"""
import asyncio
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bittensor as bt  # noqa: E402
from bittensor.core.settings import version_as_int  # noqa: E402
from bittensor.utils import networking  # noqa: E402
from bittensor_wallet import Keypair  # noqa: E402

from synapses import Echo, EchoHashed, StreamEcho  # noqa: E402

networking.get_external_ip = lambda: "127.0.0.2"


def target(port, hotkey):
    return bt.AxonInfo(
        version=version_as_int, ip="127.0.0.1", port=port, ip_type=4, hotkey=hotkey, coldkey=hotkey
    )


def outcome(r):
    return {
        "status_code": r.dendrite.status_code,
        "status_message": r.dendrite.status_message,
        "axon_status_code": r.axon.status_code,
        "axon_process_time": r.axon.process_time,
        "out": getattr(r, "out", None),
        "n": getattr(r, "n", None),
        "text": getattr(r, "text", None),
    }


async def relay(upstream_port):
    """A TCP relay that rewrites the first b'"text": "abc"' of each request body."""

    async def handle(reader, writer):
        up_r, up_w = await asyncio.open_connection("127.0.0.1", upstream_port)

        async def pipe(src, dst, tamper):
            try:
                while data := await src.read(65536):
                    if tamper:
                        data = data.replace(b'"text": "abc"', b'"text": "abd"')
                    dst.write(data)
                    await dst.drain()
            finally:
                dst.close()

        await asyncio.gather(pipe(reader, up_w, True), pipe(up_r, writer, False), return_exceptions=True)

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


async def main():
    port, hotkey = int(sys.argv[1]), sys.argv[2]
    alice = bt.Dendrite(wallet=Keypair.create_from_uri("//Alice"))
    charlie = bt.Dendrite(wallet=Keypair.create_from_uri("//Charlie"))
    t = target(port, hotkey)
    res = {}
    res["echo"] = outcome(await alice(t, Echo(n=41, text="hello"), timeout=5.0, deserialize=False))
    res["echo_hashed"] = outcome(
        await alice(t, EchoHashed(n=7, text="abc"), timeout=5.0, deserialize=False)
    )
    res["blacklisted"] = outcome(
        await charlie(t, Echo(n=1, text="x"), timeout=5.0, deserialize=False)
    )
    server, relay_port = await relay(port)
    rt = target(relay_port, hotkey)
    res["tampered_hashed"] = outcome(
        await alice(rt, EchoHashed(n=7, text="abc"), timeout=5.0, deserialize=False)
    )
    res["tampered_plain"] = outcome(
        await alice(rt, Echo(n=7, text="abc"), timeout=5.0, deserialize=False)
    )
    res["after"] = outcome(await alice(t, Echo(n=2, text="again"), timeout=5.0, deserialize=False))
    chunks, final = [], None
    async for item in await alice(
        t, StreamEcho(text="one two three"), timeout=5.0, deserialize=False, streaming=True
    ):
        if isinstance(item, str):
            chunks.append(item)
        else:
            final = item
    res["stream"] = {
        "chunks": chunks,
        "out": final.out if final is not None else None,
        "axon_status_code": final.axon.status_code if final is not None else None,
        "axon_status_message": final.axon.status_message if final is not None else None,
    }
    server.close()
    await alice.aclose_session()
    await charlie.aclose_session()
    print(json.dumps(res), flush=True)


if __name__ == "__main__":
    asyncio.run(asyncio.wait_for(main(), timeout=60))
