"""What the tools/check_*_cli.py scripts share: a copy of a checkpoint whose transformer weights
are garbage, so that a request which got as far as loading fails with a checkpoint error; the
run of every refusal case against it, each expected to stop with its exit code and words; and
the check that a valid request does get as far as the loader."""
import shutil

USAGE_EXIT = 2
FILE_EXIT = 1


def corrupt_checkpoint(checkpoint, scratch):
    """A fresh copy of `checkpoint` under `scratch` whose transformer weights are unreadable."""
    model_dir = scratch / "corrupt_weights"
    if model_dir.exists():
        shutil.rmtree(model_dir)
    shutil.copytree(checkpoint, model_dir)
    for weights in (model_dir / "transformer").glob("*.safetensors"):
        weights.write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00not json")
    return model_dir


def check_refusals(run, cases):
    """`run(flags)` runs the CLI; each case is (flags, exit code, words its stderr must hold).
    Returns the failures."""
    failures = []
    for flags, exit_code, words in cases:
        completed = run(flags)
        if completed.returncode != exit_code or words not in completed.stderr:
            failures.append(f"{flags}: exit {completed.returncode}, "
                            f"stderr: {completed.stderr.strip()[:400]}")
        else:
            print(f"ok {flags}: {completed.stderr.strip().splitlines()[0]}")
    return failures


def check_reaches_loader(run, flags, label):
    """A valid request (`flags`) passes every check and fails only at the garbage weights."""
    completed = run(flags)
    if completed.returncode != FILE_EXIT or "safetensors" not in completed.stderr:
        return [f"valid {label} on corrupt weights: exit {completed.returncode}: "
                f"{completed.stderr[:300]}"]
    print(f"ok valid {label} reaches the loader")
    return []


def relative_error(actual, expected):
    """L2 distance relative to the expected tensor's norm."""
    return float((actual - expected).norm() / expected.norm())
