#!/usr/bin/env python3
"""Writes the seed inputs of every fuzz target into fuzz/corpus/<target>/.

Seeds come from the draft's examples (tests/transcripts/*.txt and the push
examples of §6-§7) and the RFC test vectors (a JSON file, by default
../shared/vectors/rfc-vectors.json relative to the repository, or the path
given as the first argument). Each file is named by the SHA-1 of its
content, as cargo fuzz names what it adds. Leading bytes that a target
reads as parameters (see src/fuzzing.rs) are written here too.

    python3 fuzz/seeds.py [path/to/rfc-vectors.json]
"""

import base64
import glob
import hashlib
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")


def b64(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def transcript(path):
    """The C:/S: lines of a transcript, continuations joined."""
    out, cont = [], False
    for raw in open(path, encoding="utf-8"):
        line = raw.strip()
        if cont:
            cont = line.endswith("\\")
            out[-1] += line[:-1] if cont else line
            continue
        if line[:2] in ("C:", "S:"):
            cont = line.endswith("\\")
            out.append(line[:-1] if cont else line)
    return [(l[0], l[2:].strip()) for l in out]


def write(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


PUSHES = [
    "* SELECT INBOX\r\n",
    "* SELECT INBOX\r\n* SYNC FLAGS\r\n",
    "* ACKWEBPUSH 585078c5-fb8b-4ed0-8e77-474ab08f0a30\r\n",
    "* SELECT INBOX\r\n* 20 UIDFETCH (UID 20)\r\n* VANISHED 1,3\r\n"
    '* SELECT "New Messages"\r\n* VANISHED 4\r\n',
    '* SELECT "New Messages"\r\n* 3 UIDFETCH (ENVELOPE '
    '("Mon, 7 Feb 1994 21:52:25 -0800 (PST)" "afternoon meeting" '
    '(("Fred Foobar" NIL "foobar" "Blurdybloop.example")) '
    '(("Fred Foobar" NIL "foobar" "Blurdybloop.example")) '
    '(("Fred Foobar" NIL "foobar" "Blurdybloop.example")) '
    '((NIL NIL "mooch" "owatagu.siam.edu.example")) '
    'NIL NIL NIL "<B27397-0100000@Blurdybloop.example>"))\r\n',
    "* SELECT INBOX\r\n* SYNC EXISTS\r\n",
    "* SELECT INBOX\r\n* 2 FETCH (UID 5 FLAGS (\\Seen) MODSEQ (9))\r\n* VANISHED (EARLIER) 1:3,5\r\n",
    "* SELECT INBOX\r\n* 4 UIDFETCH (UID 4 BINARY[] {11}\r\nHello\r\nyou)\r\n* 5 EXISTS\r\n* 2 EXPUNGE\r\n",
    "* SELECT INBOX\r\n* FLAGS (\\Answered \\Flagged \\Draft \\Deleted \\Seen)\r\n",
    "* SYNC\r\n",
]

SERVER_COMMANDS = [
    'a1 LOGIN demo "s3cr\\"et pw"',
    "a2 LIST \"\" *",
    "a3 LIST \"\" %/x*",
    "a4 SELECT INBOX",
    'a5 EXAMINE "New Messages"',
    "a6 UID FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (Subject)])",
    "a7 FETCH 2,4:5 (ENVELOPE BINARY[] RFC822.SIZE)",
    "a8 STORE 1 +FLAGS.SILENT (\\Seen)",
    "a9 APPEND INBOX (\\Seen) {11}\r\nHello\r\nyou",
    "b1 APPEND INBOX ~{3}\r\na\x00b",
    "b2 CREATE ~peter/mail/&U,BTFw-/&ZeVnLIqe-",
    "b3 ENABLE UTF8=ACCEPT CONDSTORE",
    "b4 UID EXPUNGE 3:5",
    "b5 AUTHENTICATE PLAIN",
]


def main():
    vectors = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        ROOT, "..", "shared", "vectors", "rfc-vectors.json")
    lines = []
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "transcripts", "*.txt"))):
        steps = transcript(path)
        lines += steps
        server = "".join(t + "\r\n" for s, t in steps if s == "S")
        write("imap_framer", bytes([8, 7]) + server.encode())
        write("imap_framer", bytes([255, 0]) + server.encode())
    write("imap_framer", b"\x04\x02* OK hi\r\n* 1 FETCH (BODY[] {5}\r\nab\r\nc FLAGS ())\r\na1 OK done\r\n")
    write("imap_framer", b"\x04\x02a APPEND x {4+}\r\nabcd\r\n")

    for side, text in lines:
        if side == "S":
            write("imap_response", text + "\r\n")
            if text.startswith("* "):
                write("webpush_response", text[2:])
        else:
            write("server_command", text)
            cmd = text.split(" ", 1)[1]
            write("webpush_command", cmd)
            for word in cmd.split(" ")[1:]:
                write("webpush_fields", word)
    for r in [
        "* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN WEBPUSH] ready\r\n",
        "* CAPABILITY IMAP4rev2 WEBPUSH\r\n",
        "* ENABLED UTF8=ACCEPT\r\n",
        "* 3 EXISTS\r\n",
        "+ go ahead\r\n",
        "a2 NO [WEIRDCODE x y] nope\r\n",
        '* 1 FETCH (FLAGS (\\Seen) BODYSTRUCTURE ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3 1 NIL NIL NIL NIL))\r\n',
        '* SELECT "New Messages"\r\n',
        "* SYNC FLAGS\r\n",
    ]:
        write("imap_response", r)
        if r.startswith("* "):
            write("webpush_response", r[2:-2])
    write("webpush_command", "SILWEBPUSH a8282bf9-6102-4e1b-bb61-d26d0e532e65 session")
    write("webpush_command", "WEBPUSH x http://127.0.0.1:8080/p BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4 BTBZMqHH6r4Tts7J_aSIgg")
    for f in ["session", "4294967295", "https://user@push.example.net:443/p?q#f", "a*b%"]:
        write("webpush_fields", f)
    for p in ["*\na8282bf9-6102-4e1b-bb61-d26d0e532e65", "a8282bf9-%-d26d0e532e65\na8282bf9-6102-4e1b-bb61-d26d0e532e65",
              "x\nx", "*a*b\nzazb"]:
        write("webpush_list_pattern", p)

    for c in SERVER_COMMANDS:
        write("server_command", c)
        args = c.split(" ", 2)[2] if c.count(" ") >= 2 else ""
        if c.split(" ")[1] == "UID":
            args = args.split(" ", 1)[1]
        write("server_tokens", args)
    write("server_tokens", "~peter/mail/台北/日本語")
    for p in PUSHES:
        write("push_content", p)

    v = json.load(open(vectors))
    a = v["rfc8291_appendix_a"]
    body = b64(a["final_body"])
    write("push_ece", b"\x00" + body)
    write("push_ece", b"\x01" + b64(v["rfc8188_3_1"]["encoded"]))
    write("push_ece", b"\x01" + b64(v["rfc8188_3_2"]["encoded"]))
    salt = a["salt"]
    write("push_ece", b"\x02" + f"salt={salt};rs=4096\ndh={a['as_public']};p256ecdsa=x\n".encode() + b64(a["ciphertext"]))
    write("push_ece", b"\x03\xff\x00" + b64(a["plaintext"]))
    write("push_ece", b"\x03\x00\x05" + b64(a["plaintext"]))
    write("push_ece", b"\x04\xff\x03" + b64(a["plaintext"]))

    write("push_capture", b"POST /push/x HTTP/1.1\r\nContent-Encoding: aes128gcm\r\nTTL: 604800\r\n"
          + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    write("push_capture", a["final_body"] + "\n" + base64.b64encode(body).decode() + "\n")
    std = base64.b64encode(body).decode()
    write("push_capture", "\n".join(std[i:i + 76] for i in range(0, len(std), 76)) + "\n")
    write("push_capture", body)

    j = v["rfc8292_2_4"]
    write("push_vapid", f"\x00vapid t={j['jwt']}, k={j['k']}")
    write("push_vapid", f"\x00WebPush {j['jwt']}\ndh=x;p256ecdsa={j['k']}")
    write("push_vapid", "\x01https://push.example.net\nmailto:push@example.com")
    write("push_vapid", "\x01https://push.example.net:8443")


if __name__ == "__main__":
    main()
