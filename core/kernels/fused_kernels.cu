// The fused kernels of fused_kernels.h. Memory-bound: each reads its inputs once with 16-byte
// (or head-row-wide) vector accesses and writes each output once. Values are carried in fp32;
// __fmul_rn/__fadd_rn keep the compiler from contracting a multiply and an add into one FMA,
// which the ATen path (one kernel per op, a rounding in between) never does.

#include "core/kernels/fused_kernels.h"

#include <cuda_bf16.h>
#include <cuda_fp8.h>
#include <cuda_runtime.h>

namespace cosmos3::kernels {
namespace {

constexpr unsigned kFullMask = 0xffffffffu;

template <typename T>
struct Element;

template <>
struct Element<float> {
  static __device__ __forceinline__ float load(float value) { return value; }
  static __device__ __forceinline__ float store(float value) { return value; }
};

template <>
struct Element<__nv_bfloat16> {
  static __device__ __forceinline__ float load(__nv_bfloat16 value) {
    return __bfloat162float(value);
  }
  static __device__ __forceinline__ __nv_bfloat16 store(float value) {
    return __float2bfloat16_rn(value);
  }
};

// The value the ATen path would see after storing `value` in a tensor of type T.
template <typename T>
__device__ __forceinline__ float round_like(float value) {
  return Element<T>::load(Element<T>::store(value));
}

template <typename T, int kCount>
struct alignas(sizeof(T) * kCount) Pack {
  T values[kCount];
};

__device__ __forceinline__ float warp_sum(float value) {
#pragma unroll
  for (int offset = 16; offset > 0; offset /= 2) {
    value += __shfl_xor_sync(kFullMask, value, offset);
  }
  return value;
}

__device__ __forceinline__ float warp_max(float value) {
#pragma unroll
  for (int offset = 16; offset > 0; offset /= 2) {
    value = fmaxf(value, __shfl_xor_sync(kFullMask, value, offset));
  }
  return value;
}

// Every thread of the block gets the block's total.
__device__ float block_sum(float value) {
  __shared__ float partials[32];
  const int lane = threadIdx.x % 32;
  const int warp = threadIdx.x / 32;
  value = warp_sum(value);
  if (lane == 0) {
    partials[warp] = value;
  }
  __syncthreads();
  const int num_warps = (blockDim.x + 31) / 32;
  value = lane < num_warps ? partials[lane] : 0.f;
  return warp_sum(value);
}

// Every thread of the block gets the block's maximum (of non-negative values).
__device__ float block_max(float value) {
  __shared__ float partials[32];
  const int lane = threadIdx.x % 32;
  const int warp = threadIdx.x / 32;
  value = warp_max(value);
  if (lane == 0) {
    partials[warp] = value;
  }
  __syncthreads();
  const int num_warps = (blockDim.x + 31) / 32;
  value = lane < num_warps ? partials[lane] : 0.f;
  return warp_max(value);
}

// One block per bf16 row: its absolute maximum, then every element divided by the row's scale
// and rounded to e4m3 (saturating at 448, the format's largest finite value).
template <int kVecs>
__global__ void quantize_rows_e4m3_kernel(QuantizeRowsArgs args) {
  constexpr int kWidth = 8;
  using Vec = Pack<__nv_bfloat16, kWidth>;
  using Out = Pack<__nv_fp8_storage_t, kWidth>;
  const int num_vecs = static_cast<int>(args.num_channels / kWidth);
  const int64_t row_offset = static_cast<int64_t>(blockIdx.x) * num_vecs;
  const Vec* input = static_cast<const Vec*>(args.input_SC) + row_offset;
  Out* values_out = static_cast<Out*>(args.values_SC) + row_offset;
  float values[kVecs][kWidth];
  float amax = 0.f;
#pragma unroll
  for (int i = 0; i < kVecs; ++i) {
    const int vec = threadIdx.x + i * blockDim.x;
    if (vec < num_vecs) {
      const Vec input_vec = input[vec];
#pragma unroll
      for (int j = 0; j < kWidth; ++j) {
        values[i][j] = __bfloat162float(input_vec.values[j]);
        amax = fmaxf(amax, fabsf(values[i][j]));
      }
    }
  }
  const float scale = __fdiv_rn(fmaxf(block_max(amax), 1e-12f), 448.f);
  if (threadIdx.x == 0) {
    args.scale_S[blockIdx.x] = scale;
  }
#pragma unroll
  for (int i = 0; i < kVecs; ++i) {
    const int vec = threadIdx.x + i * blockDim.x;
    if (vec < num_vecs) {
      Out out_vec;
#pragma unroll
      for (int j = 0; j < kWidth; ++j) {
        const float scaled = fminf(fmaxf(__fdiv_rn(values[i][j], scale), -448.f), 448.f);
        out_vec.values[j] = __nv_cvt_float_to_fp8(scaled, __NV_SATFINITE, __NV_E4M3);
      }
      values_out[vec] = out_vec;
    }
  }
}

// The normalized value times the weight, rounded as the reference's norm of this flavor does.
template <typename T, RmsFlavor kFlavor>
__device__ __forceinline__ float scaled_norm(float value, float inverse_rms, float weight) {
  const float normalized = __fmul_rn(value, inverse_rms);
  if constexpr (kFlavor == RmsFlavor::kDiffusers) {
    return __fmul_rn(round_like<T>(normalized), weight);
  } else {
    return __fmul_rn(weight, normalized);
  }
}

// One block per row; each thread keeps kVecs 16-byte vectors of the row in registers.
template <typename T, int kVecs, bool kHasDelta, RmsFlavor kFlavor>
__global__ void add_rms_norm_kernel(AddRmsNormArgs args) {
  constexpr int kWidth = 16 / sizeof(T);
  using Vec = Pack<T, kWidth>;
  const int num_vecs = static_cast<int>(args.num_channels / kWidth);
  const int64_t row_offset = static_cast<int64_t>(blockIdx.x) * num_vecs;
  const Vec* residual = static_cast<const Vec*>(args.residual_SC) + row_offset;
  const Vec* delta = static_cast<const Vec*>(args.delta_SC) + row_offset;
  Vec* sum_out = static_cast<Vec*>(args.sum_SC) + row_offset;
  Vec* normed_out = static_cast<Vec*>(args.normed_SC) + row_offset;
  const Vec* weight = static_cast<const Vec*>(args.weight_C);

  float values[kVecs][kWidth];
  float sum_of_squares = 0.f;
#pragma unroll
  for (int i = 0; i < kVecs; ++i) {
    const int vec = threadIdx.x + i * blockDim.x;
    if (vec < num_vecs) {
      const Vec residual_vec = residual[vec];
      Vec delta_vec;
      if constexpr (kHasDelta) {
        delta_vec = delta[vec];
      }
      Vec sum_vec;
#pragma unroll
      for (int j = 0; j < kWidth; ++j) {
        float value = Element<T>::load(residual_vec.values[j]);
        if constexpr (kHasDelta) {
          value = round_like<T>(__fadd_rn(value, Element<T>::load(delta_vec.values[j])));
          sum_vec.values[j] = Element<T>::store(value);
        }
        values[i][j] = value;
        sum_of_squares += value * value;
      }
      if constexpr (kHasDelta) {
        sum_out[vec] = sum_vec;
      }
    }
  }
  const float mean_square =
      __fmul_rn(block_sum(sum_of_squares), 1.f / static_cast<float>(args.num_channels));
  const float inverse_rms = rsqrtf(__fadd_rn(mean_square, args.eps));
#pragma unroll
  for (int i = 0; i < kVecs; ++i) {
    const int vec = threadIdx.x + i * blockDim.x;
    if (vec < num_vecs) {
      const Vec weight_vec = weight[vec];
      Vec out_vec;
#pragma unroll
      for (int j = 0; j < kWidth; ++j) {
        out_vec.values[j] = Element<T>::store(scaled_norm<T, kFlavor>(
            values[i][j], inverse_rms, Element<T>::load(weight_vec.values[j])));
      }
      normed_out[vec] = out_vec;
    }
  }
}

// One warp per (token, head): q and k heads are normalized over D, rotated (rotate_half pairs
// element d with d +- D/2, which sits 16 lanes away) and written to their own tensors; v heads
// are copied, so the attention reads three contiguous tensors.
template <typename T, int kPerLane, RmsFlavor kFlavor>
__global__ void qk_norm_rope_kernel(QkNormRopeArgs args) {
  using Vec = Pack<T, kPerLane>;
  const int lane = threadIdx.x % 32;
  const int64_t item = static_cast<int64_t>(blockIdx.x) * (blockDim.x / 32) + threadIdx.x / 32;
  const int64_t num_heads = args.num_q_heads + 2 * args.num_kv_heads;
  if (item >= args.num_rows * num_heads) {
    return;
  }
  const int64_t row = item / num_heads;
  const int64_t head = item % num_heads;
  const int64_t head_dim = args.head_dim;
  const int64_t lane_offset = lane * kPerLane;
  const Vec input =
      *reinterpret_cast<const Vec*>(static_cast<const T*>(args.qkv_SX) + row * args.qkv_row_stride +
                                    head * head_dim + lane_offset);
  const int64_t kv_head_begin = args.num_q_heads + args.num_kv_heads;
  if (head >= kv_head_begin) {
    T* v_out = static_cast<T*>(args.v_SHD) +
               (row * args.num_kv_heads + head - kv_head_begin) * head_dim + lane_offset;
    *reinterpret_cast<Vec*>(v_out) = input;
    return;
  }
  const bool is_query = head < args.num_q_heads;
  const T* weight = static_cast<const T*>(is_query ? args.q_weight_D : args.k_weight_D);
  const Vec weight_vec = *reinterpret_cast<const Vec*>(weight + lane_offset);

  float values[kPerLane];
  float sum_of_squares = 0.f;
#pragma unroll
  for (int j = 0; j < kPerLane; ++j) {
    values[j] = Element<T>::load(input.values[j]);
    sum_of_squares += values[j] * values[j];
  }
  const float mean_square = __fmul_rn(warp_sum(sum_of_squares), 1.f / static_cast<float>(head_dim));
  const float inverse_rms = rsqrtf(__fadd_rn(mean_square, is_query ? args.q_eps : args.k_eps));
  float normed[kPerLane];
#pragma unroll
  for (int j = 0; j < kPerLane; ++j) {
    normed[j] = round_like<T>(
        scaled_norm<T, kFlavor>(values[j], inverse_rms, Element<T>::load(weight_vec.values[j])));
  }
  const int64_t table_offset = row * head_dim + lane_offset;
  const Vec cos_vec =
      *reinterpret_cast<const Vec*>(static_cast<const T*>(args.cos_SD) + table_offset);
  const Vec sin_vec =
      *reinterpret_cast<const Vec*>(static_cast<const T*>(args.sin_SD) + table_offset);
  Vec out_vec;
#pragma unroll
  for (int j = 0; j < kPerLane; ++j) {
    const float partner = __shfl_xor_sync(kFullMask, normed[j], 16);
    const float rotated = lane < 16 ? -partner : partner;
    const float cos_term = round_like<T>(__fmul_rn(normed[j], Element<T>::load(cos_vec.values[j])));
    const float sin_term = round_like<T>(__fmul_rn(rotated, Element<T>::load(sin_vec.values[j])));
    out_vec.values[j] = Element<T>::store(__fadd_rn(cos_term, sin_term));
  }
  T* out = is_query ? static_cast<T*>(args.q_SHD) + (row * args.num_q_heads + head) * head_dim
                    : static_cast<T*>(args.k_SHD) +
                          (row * args.num_kv_heads + head - args.num_q_heads) * head_dim;
  *reinterpret_cast<Vec*>(out + lane_offset) = out_vec;
}

// silu(gate) is rounded before the multiply, as at::silu stores it; relu(up)^2 rounds once.
template <typename T, GatedActivation kActivation>
__global__ void activation_kernel(ActivationArgs args) {
  constexpr int kWidth = 16 / sizeof(T);
  using Vec = Pack<T, kWidth>;
  const int64_t vecs_per_row = args.inner / kWidth;
  const int64_t num_vecs = args.num_rows * vecs_per_row;
  Vec* output = static_cast<Vec*>(args.output_SI);
  for (int64_t index = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
       index < num_vecs; index += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    const int64_t row = index / vecs_per_row;
    const int64_t column = index % vecs_per_row;
    const Vec* input_row = reinterpret_cast<const Vec*>(static_cast<const T*>(args.input_SX) +
                                                        row * args.input_row_stride);
    Vec out_vec;
    if constexpr (kActivation == GatedActivation::kSiluTimesUp) {
      const Vec gate = input_row[column];
      const Vec up = input_row[vecs_per_row + column];
#pragma unroll
      for (int j = 0; j < kWidth; ++j) {
        const float gate_value = Element<T>::load(gate.values[j]);
        const float silu = round_like<T>(__fdiv_rn(gate_value, __fadd_rn(1.f, expf(-gate_value))));
        out_vec.values[j] = Element<T>::store(__fmul_rn(silu, Element<T>::load(up.values[j])));
      }
    } else {
      const Vec up = input_row[column];
#pragma unroll
      for (int j = 0; j < kWidth; ++j) {
        const float value = Element<T>::load(up.values[j]);
        const float relu = value < 0.f ? 0.f : value;  // NaN stays NaN, as in at::relu
        out_vec.values[j] = Element<T>::store(__fmul_rn(relu, relu));
      }
    }
    output[index] = out_vec;
  }
}

template <typename T, int kVecs, bool kHasDelta>
void launch_add_rms_norm_typed(const AddRmsNormArgs& args, int threads, cudaStream_t stream) {
  const dim3 grid(static_cast<unsigned>(args.num_rows));
  if (args.flavor == RmsFlavor::kDiffusers) {
    add_rms_norm_kernel<T, kVecs, kHasDelta, RmsFlavor::kDiffusers>
        <<<grid, threads, 0, stream>>>(args);
  } else {
    add_rms_norm_kernel<T, kVecs, kHasDelta, RmsFlavor::kNemotron>
        <<<grid, threads, 0, stream>>>(args);
  }
}

template <typename T, int kVecs>
void launch_add_rms_norm_vecs(const AddRmsNormArgs& args, int threads, cudaStream_t stream) {
  if (args.delta_SC != nullptr) {
    launch_add_rms_norm_typed<T, kVecs, true>(args, threads, stream);
  } else {
    launch_add_rms_norm_typed<T, kVecs, false>(args, threads, stream);
  }
}

template <typename T>
void launch_add_rms_norm_for(const AddRmsNormArgs& args, cudaStream_t stream) {
  // At most 512 threads a row keeps several blocks resident per multiprocessor.
  constexpr int kMaxThreads = 512;
  const int num_vecs = static_cast<int>(args.num_channels * sizeof(T) / 16);
  const auto threads_for = [num_vecs](int vecs_per_thread) {
    return ((num_vecs + vecs_per_thread - 1) / vecs_per_thread + 31) / 32 * 32;
  };
  if (threads_for(1) <= kMaxThreads) {
    launch_add_rms_norm_vecs<T, 1>(args, threads_for(1), stream);
  } else if (threads_for(2) <= kMaxThreads) {
    launch_add_rms_norm_vecs<T, 2>(args, threads_for(2), stream);
  } else if (threads_for(4) <= kMaxThreads) {
    launch_add_rms_norm_vecs<T, 4>(args, threads_for(4), stream);
  } else {
    launch_add_rms_norm_vecs<T, 8>(args, threads_for(8), stream);
  }
}

template <typename T, int kPerLane>
void launch_qk_norm_rope_typed(const QkNormRopeArgs& args, cudaStream_t stream) {
  constexpr int kThreads = 256;
  const int64_t num_items = args.num_rows * (args.num_q_heads + 2 * args.num_kv_heads);
  const dim3 grid(static_cast<unsigned>((num_items + kThreads / 32 - 1) / (kThreads / 32)));
  if (args.flavor == RmsFlavor::kDiffusers) {
    qk_norm_rope_kernel<T, kPerLane, RmsFlavor::kDiffusers><<<grid, kThreads, 0, stream>>>(args);
  } else {
    qk_norm_rope_kernel<T, kPerLane, RmsFlavor::kNemotron><<<grid, kThreads, 0, stream>>>(args);
  }
}

template <typename T>
void launch_qk_norm_rope_for(const QkNormRopeArgs& args, cudaStream_t stream) {
  switch (args.head_dim) {
    case 64:
      launch_qk_norm_rope_typed<T, 2>(args, stream);
      break;
    case 128:
      launch_qk_norm_rope_typed<T, 4>(args, stream);
      break;
    default:
      launch_qk_norm_rope_typed<T, 8>(args, stream);
      break;
  }
}

template <typename T>
void launch_activation_for(const ActivationArgs& args, cudaStream_t stream) {
  constexpr int kThreads = 256;
  constexpr int64_t kMaxBlocks = 1 << 20;
  const int64_t num_vecs = args.num_rows * args.inner * static_cast<int64_t>(sizeof(T)) / 16;
  const int64_t blocks = (num_vecs + kThreads - 1) / kThreads;
  const dim3 grid(static_cast<unsigned>(blocks < kMaxBlocks ? blocks : kMaxBlocks));
  if (args.activation == GatedActivation::kSiluTimesUp) {
    activation_kernel<T, GatedActivation::kSiluTimesUp><<<grid, kThreads, 0, stream>>>(args);
  } else {
    activation_kernel<T, GatedActivation::kRelu2><<<grid, kThreads, 0, stream>>>(args);
  }
}

void launch_quantize_rows(const QuantizeRowsArgs& args, cudaStream_t stream) {
  constexpr int kMaxThreads = 512;
  const int num_vecs = static_cast<int>(args.num_channels / 8);
  const auto threads_for = [num_vecs](int vecs_per_thread) {
    return ((num_vecs + vecs_per_thread - 1) / vecs_per_thread + 31) / 32 * 32;
  };
  const dim3 grid(static_cast<unsigned>(args.num_rows));
  if (threads_for(1) <= kMaxThreads) {
    quantize_rows_e4m3_kernel<1><<<grid, threads_for(1), 0, stream>>>(args);
  } else if (threads_for(2) <= kMaxThreads) {
    quantize_rows_e4m3_kernel<2><<<grid, threads_for(2), 0, stream>>>(args);
  } else if (threads_for(4) <= kMaxThreads) {
    quantize_rows_e4m3_kernel<4><<<grid, threads_for(4), 0, stream>>>(args);
  } else {
    quantize_rows_e4m3_kernel<8><<<grid, threads_for(8), 0, stream>>>(args);
  }
}

}  // namespace

int launch_quantize_rows_e4m3(const QuantizeRowsArgs& args, void* stream) {
  if (args.num_rows == 0) {
    return 0;
  }
  launch_quantize_rows(args, static_cast<cudaStream_t>(stream));
  return static_cast<int>(cudaGetLastError());
}

int launch_add_rms_norm(const AddRmsNormArgs& args, void* stream) {
  if (args.num_rows == 0) {
    return 0;
  }
  const auto cuda_stream = static_cast<cudaStream_t>(stream);
  if (args.type == ElementType::kBFloat16) {
    launch_add_rms_norm_for<__nv_bfloat16>(args, cuda_stream);
  } else {
    launch_add_rms_norm_for<float>(args, cuda_stream);
  }
  return static_cast<int>(cudaGetLastError());
}

int launch_qk_norm_rope(const QkNormRopeArgs& args, void* stream) {
  if (args.num_rows == 0) {
    return 0;
  }
  const auto cuda_stream = static_cast<cudaStream_t>(stream);
  if (args.type == ElementType::kBFloat16) {
    launch_qk_norm_rope_for<__nv_bfloat16>(args, cuda_stream);
  } else {
    launch_qk_norm_rope_for<float>(args, cuda_stream);
  }
  return static_cast<int>(cudaGetLastError());
}

int launch_activation(const ActivationArgs& args, void* stream) {
  if (args.num_rows == 0) {
    return 0;
  }
  const auto cuda_stream = static_cast<cudaStream_t>(stream);
  if (args.type == ElementType::kBFloat16) {
    launch_activation_for<__nv_bfloat16>(args, cuda_stream);
  } else {
    launch_activation_for<float>(args, cuda_stream);
  }
  return static_cast<int>(cudaGetLastError());
}

const char* kernel_error_text(int error) {
  return cudaGetErrorString(static_cast<cudaError_t>(error));
}

}  // namespace cosmos3::kernels
