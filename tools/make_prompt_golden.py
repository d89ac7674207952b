#!/usr/bin/env python3
"""The conversations the reference's Cosmos3OmniPipeline.tokenize_prompt builds, captured by
stubbing its tokenizer, for prompts and options that exercise every template branch.

    make_prompt_golden.py OUT.json [TOKENIZER_DIR]

With TOKENIZER_DIR (a folder with tokenizer.json and tokenizer_config.json), the stub forwards to
that real tokenizer through transformers' AutoTokenizer, and each case also records the token ids
tokenize_prompt returns (chat template, tokenization and the appended special tokens).
"""
import ast
import inspect
import json
import sys
from types import SimpleNamespace

from diffusers.pipelines.cosmos.pipeline_cosmos3_omni import Cosmos3OmniPipeline

PROMPTS = [
    ("A robot arm stacks blue cubes.", None),
    ("Ends with dots...", "blurry, low quality."),
    ("", ""),
    ("No full stop", "..."),
    ("Unicode: 慢慢地 🤖 café\nsecond line", "  spaced  "),
    ('{"prompt": "dolly in", "camera": {"motion": "pan"}}', "jittery"),
]
OPTIONS = [
    dict(num_frames=189, height=720, width=1280, fps=24.0),
    dict(num_frames=1, height=1024, width=1024, fps=24.0),
    dict(num_frames=93, height=480, width=832, fps=16.0),
    dict(num_frames=121, height=704, width=1280, fps=23.976),
    dict(num_frames=61, height=256, width=320, fps=30.0, use_system_prompt=False),
    dict(num_frames=25, height=480, width=640, fps=12.5, add_duration_template=False),
    dict(num_frames=25, height=480, width=640, fps=10.0, add_resolution_template=False),
    dict(num_frames=1, height=512, width=768, fps=24.0, add_resolution_template=False, use_system_prompt=False),
]


class RecordingTokenizer:
    def __init__(self, tokenizer=None):
        self.conversations = []
        self.tokenizer = tokenizer

    def apply_chat_template(self, conversations, **kwargs):
        self.conversations.append(conversations)
        if self.tokenizer is None:
            return SimpleNamespace(input_ids=[])
        return self.tokenizer.apply_chat_template(conversations, **kwargs)


def read_templates():
    """The template strings, read from the reference's __init__ source so they cannot drift."""
    source = inspect.getsource(Cosmos3OmniPipeline.__init__)
    templates = {}
    for line in source.splitlines():
        line = line.strip()
        if line.startswith("self.") and "_template = " in line:
            name, value = line[len("self."):].split(" = ", 1)
            templates[name] = ast.literal_eval(value)
    return templates


def special_tokens(tokenizer):
    """The ids the reference's pipeline __init__ reads from its tokenizer."""
    if tokenizer is None:
        return {"eos_token_id": 0, "start_of_generation": 1}
    return {"eos_token_id": tokenizer.eos_token_id,
            "start_of_generation": tokenizer.convert_tokens_to_ids("<|vision_start|>")}


def capture(prompt, negative_prompt, options, tokenizer=None):
    """Runs tokenize_prompt on a stub pipeline (no weights); returns the conversations and ids."""
    recorder = RecordingTokenizer(tokenizer)
    stub = SimpleNamespace(config=SimpleNamespace(default_use_system_prompt=True), text_tokenizer=recorder,
                           llm_special_tokens=special_tokens(tokenizer), **TEMPLATES)
    ids = Cosmos3OmniPipeline.tokenize_prompt(stub, prompt, negative_prompt, **options)
    return recorder.conversations, ids


TEMPLATES = read_templates()

if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    tokenizer = None
    if len(sys.argv) == 3:
        from transformers import AutoTokenizer
        tokenizer = AutoTokenizer.from_pretrained(sys.argv[2])
    cases = []
    for prompt, negative in PROMPTS:
        for options in OPTIONS:
            (cond, uncond), (cond_ids, uncond_ids) = capture(prompt, negative, options, tokenizer)
            case = dict(prompt=prompt, negative_prompt=negative, options=options, cond=cond, uncond=uncond)
            if tokenizer is not None:
                case.update(cond_ids=cond_ids, uncond_ids=uncond_ids)
            cases.append(case)
    with open(sys.argv[1], "w") as handle:
        json.dump(cases, handle, ensure_ascii=False, indent=1)
    print(f"{len(cases)} cases")
