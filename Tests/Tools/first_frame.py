#!/usr/bin/env python3
"""Times the real dashboard from process start to its first complete frame, under a pseudo-terminal.

Usage: first_frame.py CAIRN_BINARY DB [RUNS]
Spawns `cairn demo --db DB` in an 80x24 pty, reads what it writes until the status line (the last
thing drawn) has appeared, then quits it with q. Prints each run and the median in milliseconds.
"""
import fcntl, os, pty, select, statistics, struct, sys, termios, time

def one_run(binary, db):
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update({"LANG": "C.UTF-8", "TERM": "xterm-256color"})
        os.execv(binary, [binary, "demo", "--db", db])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    seen = b""
    elapsed = None
    deadline = start + 20
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
            # The status line's counts are drawn last, in the same update as the queue.
            if b"overdue" in seen and b"Incoming queue" in seen:
                elapsed = (time.perf_counter() - start) * 1000
                break
    os.write(fd, b"q")
    os.waitpid(pid, 0)
    os.close(fd)
    return elapsed, len(seen)

def main():
    binary, db = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    times = []
    for n in range(runs):
        elapsed, size = one_run(binary, db)
        if elapsed is None:
            sys.exit(f"run {n + 1}: no complete frame within 20 s")
        times.append(elapsed)
        print(f"run {n + 1}: {elapsed:.1f} ms to first frame ({size} bytes)")
    print(f"median {statistics.median(times):.1f} ms over {runs} runs (min {min(times):.1f}, max {max(times):.1f})")

if __name__ == "__main__":
    main()
