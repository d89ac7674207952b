#!/usr/bin/env python3
"""Every executable and subcommand follows the one command-line convention (core/cli).

    check_cli_convention.py COMMAND...

Each COMMAND is a program path followed by its subcommand words, as one argument
("/path/cosmos3-tool forward"). For each it checks that
  - `COMMAND --help` exits 0 and prints on stdout a usage naming the command
    ("usage: cosmos3-tool forward"), and
  - `COMMAND --no-such-flag` exits 2 and names `--no-such-flag` on stderr, with the usage.
"""
import pathlib
import subprocess
import sys

USAGE_EXIT = 2
UNKNOWN_FLAG = "--no-such-flag"


def check(command_line):
    program, *words = command_line.split(" ")
    name = " ".join([pathlib.Path(program).name, *words])
    failures = []
    completed = subprocess.run([program, *words, "--help"], capture_output=True, text=True,
                               timeout=60)
    if completed.returncode != 0 or f"usage: {name}" not in completed.stdout:
        failures.append(f"{name} --help: exit {completed.returncode}, stdout: "
                        f"{completed.stdout[:300]!r}, stderr: {completed.stderr[:300]!r}")
    completed = subprocess.run([program, *words, UNKNOWN_FLAG], capture_output=True, text=True,
                               timeout=60)
    if (completed.returncode != USAGE_EXIT or UNKNOWN_FLAG not in completed.stderr
            or f"usage: {name}" not in completed.stderr):
        failures.append(f"{name} {UNKNOWN_FLAG}: exit {completed.returncode}, stderr: "
                        f"{completed.stderr[:300]!r}")
    if not failures:
        print(f"ok {name}: --help exits 0, {UNKNOWN_FLAG} exits {USAGE_EXIT}")
    return failures


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    failures = [failure for command_line in sys.argv[1:] for failure in check(command_line)]
    if failures:
        sys.exit("\n".join(failures))


if __name__ == "__main__":
    main()
