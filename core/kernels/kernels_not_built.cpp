// The launchers of a build without nvcc. fused_path_applies() is false there, so the dispatch
// layer never calls them; they exist so fused_ops.cpp links the same way in every build.

#include "core/kernels/fused_kernels.h"
#include "core/kernels/head_quantize_kernel.h"

#include <c10/util/Exception.h>

namespace cosmos3::kernels {
namespace {

[[noreturn]] void not_built(const char* kernel) {
  TORCH_CHECK(false, kernel, ": this build has no CUDA kernels (configured without nvcc)");
}

}  // namespace

int launch_add_rms_norm(const AddRmsNormArgs&, void*) { not_built("add_rms_norm"); }
int launch_qk_norm_rope(const QkNormRopeArgs&, void*) { not_built("qk_norm_rope"); }
int launch_activation(const ActivationArgs&, void*) { not_built("activation"); }
int launch_quantize_rows_e4m3(const QuantizeRowsArgs&, void*) { not_built("quantize_rows_e4m3"); }
int launch_quantize_head_groups_e4m3(const QuantizeHeadGroupsArgs&, void*) {
  not_built("quantize_head_groups_e4m3");
}
const char* kernel_error_text(int) { return "no CUDA kernels in this build"; }

}  // namespace cosmos3::kernels
