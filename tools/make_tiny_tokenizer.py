#!/usr/bin/env python3
"""The tiny text tokenizer of the embedded checkpoint (resources/tiny_checkpoint/text_tokenizer):
a byte-level BPE trained on a small corpus to a vocabulary below 300 (the tiny transformers'
size), with the Qwen3 tokenizer.json's normalizer, pre-tokenizer and decoder and the special
tokens Cosmos3 prompts use.

    make_tiny_tokenizer.py QWEN3_TOKENIZER_DIR OUT_DIR [--chat-template FILE]

The chat template defaults to our own minimal ChatML template; make_generate_golden.py passes
the Qwen3 one so the tests also cover the real template.
"""
import argparse
import json
import pathlib

from tokenizers import Tokenizer, models, pre_tokenizers, trainers

SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|vision_start|>", "<|vision_end|>"]
CORPUS = [
    "A robot arm stacks blue cubes on a wooden table.",
    "The video is 0.4 seconds long and is of 24 FPS. This video is of 64x96 resolution.",
    "You are a helpful assistant that generates videos and images from text descriptions.",
    "Waves roll onto the beach at dusk; a car drives through rain.",
]
CHATML_TEMPLATE = (
    "{%- for message in messages %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)


def write_tiny_tokenizer(qwen3_dir: pathlib.Path, out_dir: pathlib.Path, chat_template: str = CHATML_TEMPLATE):
    qwen3 = json.loads((qwen3_dir / "tokenizer.json").read_text())
    qwen3_tokenizer = Tokenizer.from_str(json.dumps(qwen3))
    scratch = Tokenizer(models.BPE())
    scratch.normalizer = qwen3_tokenizer.normalizer
    scratch.pre_tokenizer = qwen3_tokenizer.pre_tokenizer
    trainer = trainers.BpeTrainer(vocab_size=290, special_tokens=SPECIAL_TOKENS, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    scratch.train_from_iterator(CORPUS, trainer)
    trained = json.loads(scratch.to_str())
    tokenizer_json = dict(qwen3)
    tokenizer_json["model"] = trained["model"]
    tokenizer_json["added_tokens"] = trained["added_tokens"]
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "tokenizer.json").write_text(json.dumps(tokenizer_json, ensure_ascii=False, indent=1) + "\n")
    config = {"chat_template": chat_template, "eos_token": "<|im_end|>", "pad_token": "<|endoftext|>",
              "tokenizer_class": "Qwen2Tokenizer", "clean_up_tokenization_spaces": False,
              "split_special_tokens": False, "additional_special_tokens": SPECIAL_TOKENS[1:]}
    (out_dir / "tokenizer_config.json").write_text(json.dumps(config, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("qwen3_dir", type=pathlib.Path)
    parser.add_argument("out_dir", type=pathlib.Path)
    parser.add_argument("--chat-template", type=pathlib.Path)
    args = parser.parse_args()
    template = args.chat_template.read_text() if args.chat_template else CHATML_TEMPLATE
    write_tiny_tokenizer(args.qwen3_dir, args.out_dir, template)
