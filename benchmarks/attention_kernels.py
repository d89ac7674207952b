"""The generation attention of one Nano layer at 480p/93 and 720p/189 on one GPU, through each
kernel we can call: cuDNN SDPA (what torch's SDPA picks today), torch's FlashAttention-2 SDPA,
FlashAttention-3 in bf16 and FlashAttention-3 in FP8 (e4m3 with one scale per key/value head,
computed on the fly from the tensors' maxima). Prints a table: milliseconds per call, TFLOP/s,
and the relative L2 error and cosine of each against an fp32 reference on 512 query rows.

  python3 benchmarks/attention_kernels.py [--fa3-library PATH]

FlashAttention-3 comes from the fa3-fwd wheel (its _C.abi3.so registers torch.ops.fa3_fwd);
rows it cannot run say so.
"""
import argparse
import glob
import os

import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel

NUM_Q_HEADS, NUM_KV_HEADS, HEAD_DIM, TEXT_TOKENS = 32, 8, 128, 300
SHAPES = {"480p/93": 390 * 24, "720p/189": 920 * 48}
E4M3_MAX = 448.0


def find_fa3(explicit):
    if explicit:
        return explicit
    for root in [os.environ.get("PYTHONPATH", ""), *__import__("sys").path]:
        for path in glob.glob(os.path.join(root, "fa3_fwd", "_C*.so")) if root else []:
            return path
    return None


def timed(fn, warmup=3, iterations=10):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(iterations):
        fn()
    end.record()
    torch.cuda.synchronize()
    return start.elapsed_time(end) / iterations


def sdpa(q, k, v, backend):
    with sdpa_kernel(backend):
        return F.scaled_dot_product_attention(
            q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2), enable_gqa=True
        ).transpose(1, 2)


def fa3(q, k, v, **extra):
    return torch.ops.fa3_fwd.fwd(q, k, v, softmax_scale=HEAD_DIM ** -0.5, **extra)[0]


def quantize_per_kv_head(x_BSHD):
    """e4m3 copy of x and its descale [B, Hkv]: query heads share their key/value head's scale."""
    batch, seq, heads, dim = x_BSHD.shape
    grouped = x_BSHD.view(batch, seq, NUM_KV_HEADS, heads // NUM_KV_HEADS, dim)
    amax = torch.linalg.vector_norm(grouped.float(), float("inf"), dim=(1, 3, 4)).clamp_min(1e-12)
    scale = E4M3_MAX / amax
    view = scale.view(batch, 1, NUM_KV_HEADS, 1, 1)
    quantized = (grouped.float() * view).to(torch.float8_e4m3fn).view(batch, seq, heads, dim)
    return quantized, (1.0 / scale).contiguous()


def fa3_fp8(q, k, v):
    q8, q_descale = quantize_per_kv_head(q)
    k8, k_descale = quantize_per_kv_head(k)
    v8, v_descale = quantize_per_kv_head(v)
    return fa3(q8, k8, v8, q_descale=q_descale, k_descale=k_descale, v_descale=v_descale)


def reference_rows(q, k, v, rows=512):
    qf = q[:, :rows].float().transpose(1, 2)
    kf = k.float().transpose(1, 2).repeat_interleave(NUM_Q_HEADS // NUM_KV_HEADS, dim=1)
    vf = v.float().transpose(1, 2).repeat_interleave(NUM_Q_HEADS // NUM_KV_HEADS, dim=1)
    weights = torch.softmax(qf @ kf.transpose(-1, -2) * HEAD_DIM ** -0.5, dim=-1)
    return (weights @ vf).transpose(1, 2)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fa3-library")
    args = parser.parse_args()
    library = find_fa3(args.fa3_library)
    fa3_note = "not found"
    if library:
        try:
            torch.ops.load_library(library)
            fa3_note = library
        except Exception as error:  # reported in the table, not hidden
            fa3_note = f"failed to load: {error}"
            library = None
    print(f"torch {torch.__version__}, cuDNN {torch.backends.cudnn.version()}, "
          f"{torch.cuda.get_device_name()}, FlashAttention-3: {fa3_note}")
    print("| shape | kernel | ms / call | TFLOP/s | rel. L2 error vs fp32 | cosine |")
    print("| --- | --- | --- | --- | --- | --- |")
    torch.manual_seed(0)
    for name, gen_tokens in SHAPES.items():
        keys = gen_tokens + TEXT_TOKENS
        q = torch.randn(1, gen_tokens, NUM_Q_HEADS, HEAD_DIM, device="cuda", dtype=torch.bfloat16)
        k = torch.randn(1, keys, NUM_KV_HEADS, HEAD_DIM, device="cuda", dtype=torch.bfloat16)
        v = torch.randn(1, keys, NUM_KV_HEADS, HEAD_DIM, device="cuda", dtype=torch.bfloat16)
        expected = reference_rows(q, k, v)
        flops = 4.0 * gen_tokens * keys * HEAD_DIM * NUM_Q_HEADS
        kernels = {
            "cuDNN SDPA (bf16)": lambda: sdpa(q, k, v, SDPBackend.CUDNN_ATTENTION),
            "FlashAttention-2 SDPA (bf16)": lambda: sdpa(q, k, v, SDPBackend.FLASH_ATTENTION),
        }
        if library:
            kernels["FlashAttention-3 (bf16)"] = lambda: fa3(q, k, v)
            kernels["FlashAttention-3 (bf16, pack_gqa)"] = lambda: fa3(q, k, v, pack_gqa=True)
            kernels["FlashAttention-3 FP8 (quantize + attention)"] = lambda: fa3_fp8(q, k, v)
            q8, qd = quantize_per_kv_head(q)
            k8, kd = quantize_per_kv_head(k)
            v8, vd = quantize_per_kv_head(v)
            kernels["FlashAttention-3 FP8 (attention only)"] = lambda: fa3(
                q8, k8, v8, q_descale=qd, k_descale=kd, v_descale=vd)
        for label, fn in kernels.items():
            try:
                out = fn()
                got = out[:, :512].float()
                error = ((got - expected).norm() / expected.norm()).item()
                cosine = F.cosine_similarity(got.flatten(), expected.flatten(), dim=0).item()
                ms = timed(fn)
                print(f"| {name} | {label} | {ms:.2f} | {flops / ms / 1e9:.0f} | {error:.2e} | "
                      f"{cosine:.6f} |", flush=True)
            except Exception as error:
                print(f"| {name} | {label} | failed: {str(error).splitlines()[0][:120]} | | | |",
                      flush=True)


if __name__ == "__main__":
    main()
