#!/usr/bin/python3
"""Write internal/client/testdata/sealedbox_vectors.json: sealed boxes made by
libsodium (through PyNaCl) for the Go tests to check the client's sealing
against, without Python at test time.

Run with Debian's python, which has PyNaCl from the python3-nacl package:

    /usr/bin/python3 scripts/sealedbox-vectors.py

Two kinds of vector:
  - sealed: libsodium's crypto_box_seal output (new on every run) for a fixed recipient; Go must
    open each to its plaintext.
  - deterministic: for a fixed ephemeral secret key, the exact bytes of a
    sealed box built from libsodium's primitives, ephemeral public key ||
    crypto_box(m, nonce = BLAKE2b-24(epk || pk), pk, esk); Go's sealing fed
    the same ephemeral key must produce them byte for byte.
"""

import base64
import hashlib
import json
import os
import sys

import nacl
import nacl.bindings as sodium
from nacl.public import PrivateKey, PublicKey, SealedBox

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                   "internal", "client", "testdata", "sealedbox_vectors.json")

# GitHub's limit on a secret value.
MAX_SECRET_BYTES = 48 * 1024


def b64(data):
    return base64.b64encode(data).decode("ascii")


def seed(label):
    """A fixed 32-byte seed, so keys stay the same from run to run."""
    return hashlib.sha256(b"ghsecrets sealed box vectors: " + label.encode()).digest()


def plaintexts():
    big = bytes((i * 7 + 3) % 251 for i in range(MAX_SECRET_BYTES))
    return [
        ("empty", b""),
        ("one byte", b"x"),
        ("unicode", "pâsswörd ✓ 🔑 秘密".encode("utf-8")),
        ("every byte value", bytes(range(256))),
        ("48 KB", big),
    ]


def seal_deterministic(message, recipient_pk, ephemeral_sk):
    ephemeral_pk = sodium.crypto_scalarmult_base(ephemeral_sk)
    nonce = sodium.crypto_generichash_blake2b_salt_personal(
        ephemeral_pk + recipient_pk, digest_size=sodium.crypto_box_NONCEBYTES)
    return ephemeral_pk + sodium.crypto_box(message, nonce, recipient_pk, ephemeral_sk)


def main():
    recipient_pk, recipient_sk = sodium.crypto_box_seed_keypair(seed("recipient"))
    box = SealedBox(PublicKey(recipient_pk))
    opener = SealedBox(PrivateKey(recipient_sk))

    texts = plaintexts()
    sealed = []
    for name, message in texts:
        ct = box.encrypt(message)
        assert opener.decrypt(ct) == message
        sealed.append({"plaintext": name, "sealed": b64(ct)})

    ephemeral_keys = [
        ("seeded", seed("ephemeral")),
        # Bits that X25519 clamps away must not change the result.
        ("all ones", b"\xff" * 32),
        ("counting", bytes(range(1, 33))),
    ]
    deterministic = []
    for i, (key_name, esk) in enumerate(ephemeral_keys):
        for name, message in texts:
            if i > 0 and len(message) > 1024:
                continue  # one large vector is enough; keep the file small
            ct = seal_deterministic(message, recipient_pk, esk)
            # The construction is a sealed box: libsodium opens it.
            assert sodium.crypto_box_seal_open(ct, recipient_pk, recipient_sk) == message
            deterministic.append({
                "plaintext": name,
                "ephemeral_key": key_name,
                "ephemeral_secret_key": b64(esk),
                "sealed": b64(ct),
            })

    doc = {
        "generator": "scripts/sealedbox-vectors.py",
        "libsodium": "PyNaCl " + nacl.__version__,
        "recipient": {"public_key": b64(recipient_pk), "secret_key": b64(recipient_sk)},
        "plaintexts": [{"name": name, "value": b64(message)} for name, message in texts],
        "sealed": sealed,
        "deterministic": deterministic,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="ascii") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print("wrote %d sealed and %d deterministic vectors to %s"
          % (len(sealed), len(deterministic), os.path.relpath(OUT)), file=sys.stderr)


if __name__ == "__main__":
    main()
