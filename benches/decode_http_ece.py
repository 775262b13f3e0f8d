#!/usr/bin/env python3
"""The baseline for `decode --json`: Python's http_ece decrypting the same
corpus file (one base64url aes128gcm payload per line) and writing one JSON
line per payload with the same keys that describe the decryption
(`ok`, `input`, `encoding`, `record_size`, `records`, `padding`,
`plaintext`). It does not read the content as IMAP, which `decode` also does.

Usage: decode_http_ece.py PRIVATE_KEY_B64URL AUTH_B64URL FILE
Exit 3 when http_ece (or cryptography) is not installed.
"""

import base64
import json
import sys

try:
    import http_ece
    from cryptography.hazmat.primitives.asymmetric import ec
except ImportError as e:
    print(f"skipped: {e} (pip install http_ece)", file=sys.stderr)
    sys.exit(3)


def b64(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def main():
    private, auth, path = sys.argv[1], b64(sys.argv[2]), sys.argv[3]
    key = ec.derive_private_key(int.from_bytes(b64(private), "big"), ec.SECP256R1())
    out = sys.stdout
    failed = False
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            label = f"{path}:{n}"
            try:
                body = b64(line)
                plain = http_ece.decrypt(
                    body, private_key=key, auth_secret=auth, version="aes128gcm"
                )
                rs = int.from_bytes(body[16:20], "big")
                idlen = body[20]
                records = -(-(len(body) - 21 - idlen) // rs)
                text = plain.decode("utf-8", "replace")
                out.write(
                    json.dumps(
                        {
                            "ok": True,
                            "input": label,
                            "encoding": "aes128gcm",
                            "record_size": rs,
                            "records": records,
                            "padding": len(body) - 21 - idlen - 17 * records - len(plain),
                            "plaintext": text,
                        },
                        ensure_ascii=False,
                    )
                )
            except Exception as e:  # noqa: BLE001 - reported like decode does
                failed = True
                out.write(json.dumps({"ok": False, "input": label, "error": str(e)}))
            out.write("\n")
    sys.exit(1 if failed else 0)


main()
