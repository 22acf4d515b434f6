"""Types into a program through a pseudo-terminal, like a person at a laptop.

Usage: python3 pty-drive.py '{"cmd": [...], "steps": [["wait for", "type this\\n"], ...], "timeout": 30}'
Prints everything the program showed; exits with its exit status, or 99 when
an expected prompt never came (the transcript says where it stopped).
"""
import json
import os
import pty
import select
import sys
import time

spec = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(spec["cmd"][0], spec["cmd"])

seen = b""
deadline = time.time() + spec.get("timeout", 30)


def read_some(wait):
    global seen
    r, _, _ = select.select([fd], [], [], wait)
    if not r:
        return True
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        return False
    if not chunk:
        return False
    seen += chunk
    return True


pos = 0
for expect, send in spec["steps"]:
    want = expect.encode()
    while seen.find(want, pos) < 0:
        if time.time() > deadline or not read_some(0.2):
            sys.stdout.write(seen.decode("utf8", "replace"))
            sys.stdout.write(f"\n[pty-drive] gave up waiting for {expect!r}\n")
            sys.exit(99)
    pos = seen.find(want, pos) + len(want)
    os.write(fd, send.encode())

while time.time() < deadline and read_some(0.2):
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(seen.decode("utf8", "replace"))
sys.exit(os.waitstatus_to_exitcode(status))
