#!/usr/bin/env python3
"""Serves Echo, EchoHashed and StreamEcho on an official bittensor 10.5.0 Axon (interop test).

Usage: axon_serve.py PORT WALLET_DIR BLACKLISTED_SS58 MAX_SECONDS
Binds 127.0.0.1 only, prints `READY <port> <hotkey ss58>`, serves until stdin closes or
MAX_SECONDS pass. Echo's forward sets out = text, and sleeps 3 s when text == "sleep".
The blacklist hook refuses BLACKLISTED_SS58. StreamEcho streams the words of text, one chunk
each 20 ms apart (text == "forever": a chunk every 50 ms for 10 s).
"""
import asyncio
import os
import sys
import threading
import time
from typing import Tuple

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bittensor as bt  # noqa: E402
from bittensor.utils import networking  # noqa: E402
from bittensor_wallet import Wallet  # noqa: E402

from synapses import Echo, EchoHashed, StreamEcho  # noqa: E402

networking.get_external_ip = lambda: "127.0.0.1"
BLACKLISTED = sys.argv[3]


def forward_echo(synapse: Echo) -> Echo:
    if synapse.text == "sleep":
        time.sleep(3)
    synapse.out = synapse.text
    return synapse


def blacklist_echo(synapse: Echo) -> Tuple[bool, str]:
    if synapse.dendrite.hotkey == BLACKLISTED:
        return True, "hotkey is on the blacklist"
    return False, "ok"


def forward_hashed(synapse: EchoHashed) -> EchoHashed:
    synapse.out = synapse.text.upper()
    return synapse


def forward_stream(synapse: StreamEcho) -> StreamEcho.BTStreamingResponse:
    async def streamer(send):
        if synapse.text == "forever":
            words, pause = ["tick"] * 200, 0.05
        else:
            words, pause = synapse.text.split(" "), 0.02
        for word in words:
            await send({"type": "http.response.body", "body": (word + " ").encode(), "more_body": True})
            await asyncio.sleep(pause)

    return synapse.create_streaming_response(streamer)


def main():
    port = int(sys.argv[1])
    wallet = Wallet(name="pyaxon", hotkey="default", path=sys.argv[2])
    wallet.create_if_non_existent(
        coldkey_use_password=False, hotkey_use_password=False, suppress=True
    )
    axon = bt.Axon(wallet=wallet, ip="127.0.0.1", port=port, external_ip="127.0.0.1", external_port=port)
    axon.fast_config.host = "127.0.0.1"
    axon.attach(forward_fn=forward_echo, blacklist_fn=blacklist_echo)
    axon.attach(forward_fn=forward_hashed)
    axon.attach(forward_fn=forward_stream)
    axon.start()
    t0 = time.time()
    while not getattr(axon.fast_server, "started", False) and time.time() - t0 < 15:
        time.sleep(0.01)
    if not getattr(axon.fast_server, "started", False):
        print(f"ERROR: axon did not start on 127.0.0.1:{port}", flush=True)
        axon.stop()
        return 1
    print(f"READY {port} {wallet.hotkey.ss58_address}", flush=True)
    done = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    done.wait(timeout=float(sys.argv[4]))
    axon.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
