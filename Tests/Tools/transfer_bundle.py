#!/usr/bin/env python3
"""A second, independent implementation of the cairn-transfer envelope (TRANSFER-FORMAT.md), to
check the document against what Cairn writes and reads.

    transfer_bundle.py open BUNDLE PASSPHRASE-FILE [SCHOOL]  prints the JSON, digest and receipt code
    transfer_bundle.py seal JSON-FILE PASSPHRASE-FILE OUT    writes a bundle Cairn can import

Needs the `cryptography` package (AES-GCM); scrypt and HMAC come with Python.
"""
import hashlib, hmac, json, os, struct, sys, unicodedata, base64
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC, HEADER, TAG = b"CAIRNTRF", 105, 16
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def passphrase(path):
    line = open(path, encoding="utf-8").read().split("\n", 1)[0].rstrip("\r")
    return unicodedata.normalize("NFC", line).encode("utf-8")


def key(secret, salt, log_n, r, p):
    return hashlib.scrypt(secret, salt=salt, n=1 << log_n, r=r, p=p, maxmem=300 << 20, dklen=32)


def receipt(file, digest):
    message = f"cairn-transfer receipt v1\n{digest}\n{file['receiving_school']}".encode("utf-8")
    mac = hmac.new(base64.b64decode(file["receipt_key"]), message, hashlib.sha256).digest()[:10]
    bits = int.from_bytes(mac, "big")
    code = "".join(CROCKFORD[(bits >> (75 - 5 * i)) & 31] for i in range(16))
    return "-".join(code[i:i + 4] for i in range(0, 16, 4))


def open_bundle(path, secret_path):
    data = open(path, "rb").read()
    assert data[:8] == MAGIC, "not a transfer file"
    version, kdf, log_n, r, p = struct.unpack(">HBBII", data[8:20])
    assert version == 1 and kdf == 1 and data[52] == 1
    salt, nonce, digest = data[20:52], data[53:65], data[65:97]
    (length,) = struct.unpack(">Q", data[97:105])
    assert len(data) == HEADER + length + TAG, "cut short or too long"
    plain = AESGCM(key(passphrase(secret_path), salt, log_n, r, p)).decrypt(nonce, data[HEADER:], data[:HEADER])
    assert hashlib.sha256(plain).digest() == digest
    return plain, digest.hex()


def seal(plain, secret_path, log_n=17, r=8, p=1):
    salt, nonce = os.urandom(32), os.urandom(12)
    digest = hashlib.sha256(plain).digest()
    header = MAGIC + struct.pack(">HBBII", 1, 1, log_n, r, p) + salt + b"\x01" + nonce + digest + struct.pack(">Q", len(plain))
    return header + AESGCM(key(passphrase(secret_path), salt, log_n, r, p)).encrypt(nonce, plain, header)


if __name__ == "__main__":
    if sys.argv[1] == "open":
        plain, digest = open_bundle(sys.argv[2], sys.argv[3])
        file = json.loads(plain)
        print(json.dumps(file, indent=2, ensure_ascii=False))
        print("digest", digest)
        print("receipt", receipt(file, digest))
    else:
        bundle = seal(open(sys.argv[2], "rb").read(), sys.argv[3])
        with open(os.open(sys.argv[4], os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
            out.write(bundle)
