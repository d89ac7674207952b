#!/usr/bin/env python3
"""Golden ids for tst_tokenizer, from the pinned HuggingFace `tokenizers` library.

Encodes every sample of the corpus (one JSON string per line) with the Qwen3 tokenizer.json
and with variants of it that switch on the other components the C++ tokenizer implements
(a tekken-style Split regex with ignore_merges, GPT-2's ByteLevel regex with a prefix space,
added-token flags, byte fallback, the Split behaviours). Writes the variants' tokenizer.json
files and golden.json, which holds for each tokenizer the ids, the decoded text with and
without special tokens, and decode probes with ids that cut UTF-8 sequences.

usage: make_tokenizer_golden.py QWEN3_TOKENIZER_JSON CORPUS OUT_DIR
"""

import copy
import json
import pathlib
import sys

import tokenizers
from tokenizers import Tokenizer

PINNED_TOKENIZERS_VERSION = "0.23.3"

# The pre-tokenizer regex of Mistral's tekken vocabularies as converted to tokenizer.json.
TEKKEN_REGEX = (
    r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+|"
    r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*|"
    r"\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)


def byte_level(add_prefix_space=False, use_regex=False):
    return {"type": "ByteLevel", "add_prefix_space": add_prefix_space, "trim_offsets": False,
            "use_regex": use_regex}


def split(pattern, behavior, invert=False):
    return {"type": "Split", "pattern": pattern, "behavior": behavior, "invert": invert}


def tekken_style(config):
    config["normalizer"] = None
    config["pre_tokenizer"] = {"type": "Sequence", "pretokenizers": [
        split({"Regex": TEKKEN_REGEX}, "Isolated"), byte_level()]}
    config["model"]["ignore_merges"] = True


def gpt2_style(config):
    config["pre_tokenizer"] = byte_level(add_prefix_space=True, use_regex=True)


def token_flags(config):
    tokens = {token["content"]: token for token in config["added_tokens"]}
    tokens["<|im_start|>"]["rstrip"] = True
    tokens["<|im_end|>"]["lstrip"] = True
    tokens["</think>"]["single_word"] = True
    tokens["<think>"]["normalized"] = True
    next_id = max(token["id"] for token in config["added_tokens"]) + 1
    # Matched after NFC, so a decomposed "cafe\u0301" in the text still finds it; "<|im" tests
    # that the longest token starting at a position wins.
    for offset, (content, normalized) in enumerate([("café", True), ("naïve", False), ("<|im", False)]):
        config["added_tokens"].append({"id": next_id + offset, "content": content, "single_word": False,
                                       "lstrip": False, "rstrip": False, "normalized": normalized,
                                       "special": False})


def byte_fallback(config):
    config["pre_tokenizer"] = {"type": "Sequence", "pretokenizers": [
        config["pre_tokenizer"]["pretokenizers"][0]]}
    vocab = config["model"]["vocab"]
    next_id = max(max(vocab.values()), max(t["id"] for t in config["added_tokens"])) + 1
    for byte in range(256):
        vocab[f"<0x{byte:02X}>"] = next_id + byte
    config["model"]["byte_fallback"] = True


def split_behaviors(config):
    config["pre_tokenizer"] = {"type": "Sequence", "pretokenizers": [
        split({"String": " "}, "MergedWithNext"),
        split({"Regex": r"[.,!?]"}, "MergedWithPrevious"),
        split({"Regex": r"\p{N}"}, "Contiguous"),
        split({"Regex": r"\t"}, "Removed"),
        split({"Regex": r"\p{L}+"}, "Isolated", invert=True),
        byte_level(),
    ]}


VARIANTS = {
    "qwen3_tekken_style": tekken_style,
    "qwen3_gpt2_style": gpt2_style,
    "qwen3_token_flags": token_flags,
    "qwen3_byte_fallback": byte_fallback,
    "qwen3_split_behaviors": split_behaviors,
}


def read_corpus(path):
    samples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            samples.append(json.loads(line))
    return samples


def decode_probes(tokenizer):
    """Id lists that cut a UTF-8 sequence, with and without an added token in the cut."""
    lead, continuation = tokenizer.token_to_id("Ã"), tokenizer.token_to_id("©")
    special = tokenizer.token_to_id("<|im_start|>")
    probe_ids = [[lead, continuation], [lead, special, continuation], [continuation, lead],
                 [lead], [continuation, continuation], [10**8, lead, continuation]]
    return [{"ids": ids, "text": tokenizer.decode(ids, skip_special_tokens=False),
             "text_without_special": tokenizer.decode(ids, skip_special_tokens=True)}
            for ids in probe_ids]


def golden_for(name, path, samples):
    tokenizer = Tokenizer.from_file(str(path))
    encoded = []
    for text in samples:
        ids = tokenizer.encode(text, add_special_tokens=False).ids
        encoded.append({
            "ids": ids,
            "decoded": tokenizer.decode(ids, skip_special_tokens=False),
            "decoded_without_special": tokenizer.decode(ids, skip_special_tokens=True),
        })
    return {"name": name, "tokenizer_json": str(path), "samples": encoded,
            "decode_probes": decode_probes(tokenizer)}


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    if tokenizers.__version__ != PINNED_TOKENIZERS_VERSION:
        sys.exit(f"tokenizers {tokenizers.__version__} found, goldens need the pinned "
                 f"{PINNED_TOKENIZERS_VERSION}: run scripts/setup.sh")
    qwen3_path, corpus_path, out_dir = (pathlib.Path(arg) for arg in sys.argv[1:])
    if not qwen3_path.is_file():
        sys.exit(f"{qwen3_path} is missing: run scripts/fetch_tokenizers.sh")
    samples = read_corpus(corpus_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    qwen3_config = json.loads(qwen3_path.read_text(encoding="utf-8"))

    goldens = [golden_for("qwen3", qwen3_path.resolve(), samples)]
    for name, make_variant in VARIANTS.items():
        config = copy.deepcopy(qwen3_config)
        make_variant(config)
        variant_path = out_dir / name / "tokenizer.json"
        variant_path.parent.mkdir(exist_ok=True)
        variant_path.write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
        goldens.append(golden_for(name, variant_path.resolve(), samples))

    golden = {"tokenizers_version": tokenizers.__version__, "texts": samples, "tokenizers": goldens}
    (out_dir / "golden.json").write_text(json.dumps(golden, ensure_ascii=False), encoding="utf-8")
    for entry in goldens:
        num_tokens = sum(len(sample["ids"]) for sample in entry["samples"])
        print(f"{entry['name']}: {len(samples)} samples, {num_tokens} tokens")


if __name__ == "__main__":
    main()
