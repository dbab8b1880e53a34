#!/usr/bin/env python3
"""Checks the DKIM signature of one received message with dkimpy, independently of smartacct.

usage: dkim_verify.py MESSAGE.eml PRIVATE_KEY.pem

The public key is derived from the private key with openssl and served as the
DNS TXT record the signature's s= and d= name. Exit 0: the signature verifies.
"""
import base64
import subprocess
import sys

import dkim


def record(key_path):
    der = subprocess.run(
        ["openssl", "pkey", "-in", key_path, "-pubout", "-outform", "DER"], check=True, capture_output=True
    ).stdout
    with open(key_path) as f:
        is_rsa = "RSA" in f.read() or len(der) > 100
    if is_rsa:
        return b"v=DKIM1; k=rsa; p=" + base64.b64encode(der)
    # RFC 8463: the raw 32-byte public key, which ends the SubjectPublicKeyInfo.
    return b"v=DKIM1; k=ed25519; p=" + base64.b64encode(der[-32:])


def main():
    message = open(sys.argv[1], "rb").read()
    txt = record(sys.argv[2])

    def dns(name, timeout=5):
        if b"._domainkey." in name:
            return txt
        return None

    ok = dkim.verify(message, dnsfunc=dns)
    print("dkim: pass" if ok else "dkim: fail")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
