"""Create a wallet with the official bittensor-wallet and print its keys as one JSON line.

Usage: create_wallet.py ROOT NAME HOTKEY   (coldkey password in RUSTENSOR_WALLET_PASSWORD)
"""
import json
import os
import sys

from bittensor_wallet import Wallet

root, name, hotkey = sys.argv[1:4]
wallet = Wallet(name=name, hotkey=hotkey, path=root)
password = os.environ["RUSTENSOR_WALLET_PASSWORD"]
wallet.create_new_coldkey(
    n_words=12, use_password=True, overwrite=False, suppress=True, coldkey_password=password
)
wallet.create_new_hotkey(n_words=24, use_password=False, overwrite=False, suppress=True)
coldkey = wallet.get_coldkey(password=password)
out = {
    "coldkey": coldkey.ss58_address,
    "hotkey": wallet.get_hotkey().ss58_address,
}
print(json.dumps(out))
