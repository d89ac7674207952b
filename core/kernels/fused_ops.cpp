#include "core/kernels/fused_ops.h"

#include <ATen/ops/empty.h>
#include <ATen/ops/empty_like.h>
#include <c10/core/DeviceGuard.h>
#include <c10/core/impl/DeviceGuardImplInterface.h>
#include <c10/util/Exception.h>

#include <atomic>
#include <cstdlib>
#include <cstring>

namespace cosmos3::kernels {
namespace {

bool enabled_from_environment() {
  const char* value = std::getenv("COSMOS3_FUSED_KERNELS");
  return value == nullptr || std::strcmp(value, "0") != 0;
}

std::atomic<bool>& enabled_flag() {
  static std::atomic<bool> enabled{enabled_from_environment()};
  return enabled;
}

ElementType element_type(const at::Tensor& tensor) {
  return tensor.scalar_type() == at::kFloat ? ElementType::kFloat32 : ElementType::kBFloat16;
}

bool aligned(const at::Tensor& tensor, int64_t bytes) {
  return reinterpret_cast<std::uintptr_t>(tensor.data_ptr()) % static_cast<std::uintptr_t>(bytes) ==
         0;
}

// Same device and dtype as `like`, contiguous, aligned for `bytes`-wide accesses.
bool usable_like(const at::Tensor& tensor, const at::Tensor& like, int64_t bytes) {
  return tensor.defined() && tensor.device() == like.device() &&
         tensor.scalar_type() == like.scalar_type() && tensor.is_contiguous() &&
         aligned(tensor, bytes);
}

// The current torch stream of the tensor's device, read through libc10's device-guard
// registry (filled in by libc10_cuda at run time), so linking needs no libtorch_cuda.
void* current_stream(const at::Tensor& tensor) {
  return c10::impl::getDeviceGuardImpl(c10::DeviceType::CUDA)
      ->getStream(tensor.device())
      .native_handle();
}

void check_launch(int error, const char* kernel) {
  TORCH_CHECK(error == 0, kernel, " kernel failed: ", kernel_error_text(error));
}

}  // namespace

bool cuda_kernels_built() {
#ifdef COSMOS3_WITH_CUDA_KERNELS
  return true;
#else
  return false;
#endif
}

bool fused_path_enabled() { return enabled_flag().load(); }

void set_fused_path_enabled(bool enabled) { enabled_flag().store(enabled); }

bool fused_path_applies(const at::Tensor& tensor) {
  return cuda_kernels_built() && fused_path_enabled() && tensor.defined() && tensor.is_cuda() &&
         (tensor.scalar_type() == at::kFloat || tensor.scalar_type() == at::kBFloat16);
}

std::optional<SumAndNormed> try_add_rms_norm(const at::Tensor& residual_SC,
                                             const at::Tensor& delta_SC,
                                             const RmsNormParams& norm) {
  if (!fused_path_applies(residual_SC) || residual_SC.dim() != 2 ||
      !add_rms_norm_supported(element_type(residual_SC), residual_SC.size(1)) ||
      !usable_like(residual_SC, residual_SC, 16) || !usable_like(norm.weight, residual_SC, 16) ||
      norm.weight.numel() != residual_SC.size(1)) {
    return std::nullopt;
  }
  const bool has_delta = delta_SC.defined();
  if (has_delta &&
      (!usable_like(delta_SC, residual_SC, 16) || delta_SC.sizes() != residual_SC.sizes())) {
    return std::nullopt;
  }
  const c10::DeviceGuard device_guard(residual_SC.device());
  SumAndNormed result{has_delta ? at::empty_like(residual_SC) : residual_SC,
                      at::empty_like(residual_SC)};
  AddRmsNormArgs args;
  args.type = element_type(residual_SC);
  args.flavor = norm.flavor;
  args.residual_SC = residual_SC.data_ptr();
  args.delta_SC = has_delta ? delta_SC.data_ptr() : nullptr;
  args.sum_SC = has_delta ? result.sum_SC.data_ptr() : nullptr;
  args.normed_SC = result.normed_SC.data_ptr();
  args.weight_C = norm.weight.data_ptr();
  args.num_rows = residual_SC.size(0);
  args.num_channels = residual_SC.size(1);
  args.eps = static_cast<float>(norm.eps);
  check_launch(launch_add_rms_norm(args, current_stream(residual_SC)), "add_rms_norm");
  return result;
}

std::optional<at::Tensor> try_qk_norm_rope(const at::Tensor& qkv_SX, int64_t num_q_heads,
                                           int64_t num_kv_heads, int64_t head_dim,
                                           const RmsNormParams& q_norm, const RmsNormParams& k_norm,
                                           const at::Tensor& cos_SD, const at::Tensor& sin_SD,
                                           const at::Tensor& k_out_SHD,
                                           const at::Tensor& v_out_SHD) {
  if (!fused_path_applies(qkv_SX) || qkv_SX.dim() != 2 || qkv_SX.stride(1) != 1 ||
      !qk_norm_rope_supported(head_dim) ||
      qkv_SX.size(1) != (num_q_heads + 2 * num_kv_heads) * head_dim ||
      q_norm.flavor != k_norm.flavor) {
    return std::nullopt;
  }
  const int64_t num_rows = qkv_SX.size(0);
  // One lane holds head_dim / 32 elements: that many, in bytes, is the access width.
  const int64_t lane_bytes = head_dim / 32 * static_cast<int64_t>(qkv_SX.element_size());
  const bool layouts_fit =
      aligned(qkv_SX, lane_bytes) && qkv_SX.stride(0) % (head_dim / 32) == 0 &&
      usable_like(q_norm.weight, qkv_SX, lane_bytes) && q_norm.weight.numel() == head_dim &&
      usable_like(k_norm.weight, qkv_SX, lane_bytes) && k_norm.weight.numel() == head_dim &&
      usable_like(cos_SD, qkv_SX, lane_bytes) && usable_like(sin_SD, qkv_SX, lane_bytes) &&
      cos_SD.sizes() == at::IntArrayRef{num_rows, head_dim} && sin_SD.sizes() == cos_SD.sizes() &&
      usable_like(k_out_SHD, qkv_SX, lane_bytes) && usable_like(v_out_SHD, qkv_SX, lane_bytes) &&
      k_out_SHD.sizes() == at::IntArrayRef{num_rows, num_kv_heads, head_dim} &&
      v_out_SHD.sizes() == k_out_SHD.sizes();
  if (!layouts_fit) {
    return std::nullopt;
  }
  const c10::DeviceGuard device_guard(qkv_SX.device());
  at::Tensor q_SHD = at::empty({num_rows, num_q_heads, head_dim}, qkv_SX.options());
  QkNormRopeArgs args;
  args.type = element_type(qkv_SX);
  args.flavor = q_norm.flavor;
  args.qkv_SX = qkv_SX.data_ptr();
  args.qkv_row_stride = qkv_SX.stride(0);
  args.num_rows = num_rows;
  args.num_q_heads = num_q_heads;
  args.num_kv_heads = num_kv_heads;
  args.head_dim = head_dim;
  args.q_weight_D = q_norm.weight.data_ptr();
  args.k_weight_D = k_norm.weight.data_ptr();
  args.q_eps = static_cast<float>(q_norm.eps);
  args.k_eps = static_cast<float>(k_norm.eps);
  args.cos_SD = cos_SD.data_ptr();
  args.sin_SD = sin_SD.data_ptr();
  args.q_SHD = q_SHD.data_ptr();
  args.k_SHD = k_out_SHD.data_ptr();
  args.v_SHD = v_out_SHD.data_ptr();
  check_launch(launch_qk_norm_rope(args, current_stream(qkv_SX)), "qk_norm_rope");
  return q_SHD;
}

namespace {

std::optional<at::Tensor> try_activation(const at::Tensor& input_SX, int64_t inner,
                                         GatedActivation activation) {
  const int64_t num_parts = activation == GatedActivation::kSiluTimesUp ? 2 : 1;
  if (!fused_path_applies(input_SX) || input_SX.dim() != 2 || input_SX.stride(1) != 1 ||
      input_SX.size(1) != num_parts * inner ||
      !activation_supported(element_type(input_SX), inner) || !aligned(input_SX, 16) ||
      (input_SX.stride(0) * input_SX.element_size()) % 16 != 0) {
    return std::nullopt;
  }
  const c10::DeviceGuard device_guard(input_SX.device());
  at::Tensor output_SI = at::empty({input_SX.size(0), inner}, input_SX.options());
  ActivationArgs args;
  args.type = element_type(input_SX);
  args.activation = activation;
  args.input_SX = input_SX.data_ptr();
  args.input_row_stride = input_SX.stride(0);
  args.output_SI = output_SI.data_ptr();
  args.num_rows = input_SX.size(0);
  args.inner = inner;
  check_launch(launch_activation(args, current_stream(input_SX)), "activation");
  return output_SI;
}

}  // namespace

std::optional<at::Tensor> try_silu_times_up(const at::Tensor& gate_up_SX, int64_t inner) {
  return try_activation(gate_up_SX, inner, GatedActivation::kSiluTimesUp);
}

std::optional<at::Tensor> try_relu2(const at::Tensor& up_SI) {
  return up_SI.dim() == 2 ? try_activation(up_SI, up_SI.size(1), GatedActivation::kRelu2)
                          : std::nullopt;
}

std::optional<QuantizedRows> try_quantize_rows_e4m3(const at::Tensor& input_SC) {
  if (!fused_path_applies(input_SC) || input_SC.scalar_type() != at::kBFloat16 ||
      input_SC.dim() != 2 || !quantize_rows_supported(input_SC.size(1)) ||
      !usable_like(input_SC, input_SC, 16)) {
    return std::nullopt;
  }
  const c10::DeviceGuard device_guard(input_SC.device());
  QuantizedRows result{at::empty(input_SC.sizes(), input_SC.options().dtype(at::kFloat8_e4m3fn)),
                       at::empty({input_SC.size(0), 1}, input_SC.options().dtype(at::kFloat))};
  QuantizeRowsArgs args;
  args.input_SC = input_SC.data_ptr();
  args.values_SC = result.values_SC.data_ptr();
  args.scale_S = result.scale_S1.data_ptr<float>();
  args.num_rows = input_SC.size(0);
  args.num_channels = input_SC.size(1);
  check_launch(launch_quantize_rows_e4m3(args, current_stream(input_SC)), "quantize_rows_e4m3");
  return result;
}

}  // namespace cosmos3::kernels
