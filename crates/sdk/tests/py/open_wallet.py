"""Open a wallet with the official bittensor-wallet and print its addresses as one JSON line.

Usage: open_wallet.py ROOT NAME HOTKEY   (coldkey password in RUSTENSOR_WALLET_PASSWORD)
"""
import json
import os
import sys

from bittensor_wallet import Wallet

root, name, hotkey = sys.argv[1:4]
wallet = Wallet(name=name, hotkey=hotkey, path=root)
password = os.environ["RUSTENSOR_WALLET_PASSWORD"]
coldkey = wallet.get_coldkey(password=password)
hot = wallet.get_hotkey()
out = {
    "coldkey": coldkey.ss58_address,
    "coldkey_public_key": "0x" + bytes(coldkey.public_key).hex(),
    "coldkeypub": wallet.get_coldkeypub().ss58_address,
    "coldkey_encrypted": wallet.coldkey_file.is_encrypted(),
    "hotkey": hot.ss58_address,
    "hotkeypub": wallet.get_hotkeypub().ss58_address,
    "signature_verifies": coldkey.verify(b"interop", coldkey.sign(b"interop")),
}
print(json.dumps(out))
