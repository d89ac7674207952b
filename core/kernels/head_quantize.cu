// The e4m3 quantization of head_quantize_kernel.h: one pass, 16-byte loads of 8 bf16 values
// and 8-byte stores of their e4m3 codes; the group's scale is read once per vector.

#include "core/kernels/head_quantize_kernel.h"

#include <cuda_bf16.h>
#include <cuda_fp8.h>
#include <cuda_runtime.h>

namespace cosmos3::kernels {
namespace {

constexpr int kWidth = 8;
constexpr int kThreads = 256;
constexpr int64_t kMaxBlocks = 65535;

struct alignas(16) Bf16Vec {
  __nv_bfloat16 values[kWidth];
};

struct alignas(8) Fp8Vec {
  __nv_fp8_storage_t values[kWidth];
};

__global__ void quantize_head_groups_kernel(QuantizeHeadGroupsArgs args) {
  const int64_t vecs_per_head = args.head_dim / kWidth;
  const int64_t heads_per_group = args.num_heads / args.num_groups;
  const int64_t num_vecs = args.num_rows * args.num_heads * vecs_per_head;
  const auto* input = static_cast<const Bf16Vec*>(args.input_SHD);
  auto* output = static_cast<Fp8Vec*>(args.values_SHD);
  for (int64_t vec = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; vec < num_vecs;
       vec += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    const int64_t head = (vec / vecs_per_head) % args.num_heads;
    const float descale = args.descale_G[head / heads_per_group];
    const Bf16Vec in = input[vec];
    Fp8Vec out;
#pragma unroll
    for (int j = 0; j < kWidth; ++j) {
      const float scaled =
          fminf(fmaxf(__fdiv_rn(__bfloat162float(in.values[j]), descale), -448.f), 448.f);
      out.values[j] = __nv_cvt_float_to_fp8(scaled, __NV_SATFINITE, __NV_E4M3);
    }
    output[vec] = out;
  }
}

}  // namespace

int launch_quantize_head_groups_e4m3(const QuantizeHeadGroupsArgs& args, void* stream) {
  const int64_t num_vecs = args.num_rows * args.num_heads * (args.head_dim / kWidth);
  if (num_vecs == 0) {
    return 0;
  }
  const int64_t blocks = (num_vecs + kThreads - 1) / kThreads;
  quantize_head_groups_kernel<<<static_cast<unsigned>(blocks < kMaxBlocks ? blocks : kMaxBlocks),
                                kThreads, 0, static_cast<cudaStream_t>(stream)>>>(args);
  return static_cast<int>(cudaGetLastError());
}

}  // namespace cosmos3::kernels
