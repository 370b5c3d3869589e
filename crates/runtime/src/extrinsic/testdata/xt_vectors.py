# Independent construction of Substrate v4 signed extrinsics (ed25519, deterministic) with
# py-scale-codec for the SCALE pieces, hashlib for blake2b and `cryptography` for ed25519.
import hashlib
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives import serialization
from scalecodec.base import RuntimeConfiguration
from scalecodec.type_registry import load_type_registry_preset
rc = RuntimeConfiguration(); rc.update_type_registry(load_type_registry_preset('legacy'))
enc = lambda t, v: bytes(rc.create_scale_object(t).encode(v).data)

seed = bytes([0x11]*32)
sk = Ed25519PrivateKey.from_private_bytes(seed)
pub = sk.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
bob = bytes.fromhex("8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48")
genesis = bytes([0xaa]*32); birth_hash = bytes([0xbb]*32)

def build(call, era, nonce, tip, birth):
    extra = enc('Era', era) + enc('Compact<u32>', nonce) + enc('Compact<u64>', tip) + b'\x00'
    additional = enc('u32', 425) + enc('u32', 1) + genesis + birth + b'\x00'
    payload = call + extra + additional
    msg = hashlib.blake2b(payload, digest_size=32).digest() if len(payload) > 256 else payload
    sig = sk.sign(msg)
    body = b'\x84' + b'\x00' + pub + b'\x00' + sig + extra + call
    return enc('Compact<u32>', len(body)) + body

transfer = b'\x05\x03' + b'\x00' + bob + enc('Compact<u64>', 1_000_000_000)
print("pub", pub.hex())
print("transfer_mortal", build(transfer, (64, 40), 7, 10, birth_hash).hex())
remark = b'\x00\x00' + enc('Compact<u32>', 300) + bytes(range(256)) + bytes(range(44))
print("remark_immortal", build(remark, '00', 0, 0, genesis).hex())
