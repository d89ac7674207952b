#include "core/kernels/flash_attention3.h"

#include "core/errors.h"
#include "core/kernels/fused_ops.h"
#include "core/kernels/head_quantize_kernel.h"

#include <ATen/TensorOperators.h>
#include <ATen/core/dispatch/Dispatcher.h>
#include <ATen/core/stack.h>
#include <ATen/ops/clamp_min.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/linalg_vector_norm.h>
#include <c10/core/DeviceGuard.h>
#include <c10/core/impl/DeviceGuardImplInterface.h>
#include <c10/util/Exception.h>
#include <dlfcn.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <sstream>
#include <vector>

namespace cosmos3::kernels {
namespace {

namespace fs = std::filesystem;

constexpr const char* kOperator = "fa3_fwd::fwd";
constexpr double kE4m3Max = 448.0;

struct LoadedLibrary {
  std::optional<c10::OperatorHandle> forward;
  std::string status;
};

// fa3_fwd/_C*.so in `folder`, if there is one.
std::optional<fs::path> library_in(const fs::path& folder) {
  std::error_code error;
  const fs::path package = folder / "fa3_fwd";
  if (!fs::is_directory(package, error)) {
    return std::nullopt;
  }
  for (const fs::directory_entry& entry : fs::directory_iterator(package, error)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("_C") && name.ends_with(".so")) {
      return entry.path();
    }
  }
  return std::nullopt;
}

// The folders a Python environment would import fa3_fwd from: the one that holds the torch
// package this process runs on (torch/lib/libtorch_cpu.so, three levels down), then
// $PYTHONPATH's.
std::vector<fs::path> package_folders() {
  std::vector<fs::path> folders;
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&c10::Dispatcher::realSingleton), &info) != 0 &&
      info.dli_fname != nullptr) {
    folders.push_back(fs::path(info.dli_fname).parent_path().parent_path().parent_path());
  }
  if (const char* python_path = std::getenv("PYTHONPATH")) {
    std::stringstream entries(python_path);
    std::string entry;
    while (std::getline(entries, entry, ':')) {
      if (!entry.empty()) folders.emplace_back(entry);
    }
  }
  return folders;
}

LoadedLibrary open_library(const fs::path& path, bool named_by_user) {
  // Lazy binding: the library is also a Python extension module, whose module-init functions
  // name libpython symbols this process does not have; they are never called here.
  if (dlopen(path.c_str(), RTLD_LAZY | RTLD_LOCAL) == nullptr) {
    const std::string problem = dlerror();
    if (named_by_user) {
      throw ConfigError("COSMOS3_FA3_LIBRARY=" + path.string() + " cannot be loaded: " + problem +
                        ". Point it at fa3_fwd/_C.abi3.so of the fa3-fwd wheel installed for "
                        "this torch, or unset it to use cuDNN attention.");
    }
    return {std::nullopt, "not used: " + path.string() + " does not load (" + problem + ")"};
  }
  auto forward = c10::Dispatcher::singleton().findSchema({kOperator, ""});
  if (!forward) {
    if (named_by_user) {
      throw ConfigError("COSMOS3_FA3_LIBRARY=" + path.string() + " registers no " + kOperator +
                        ": it is not the fa3-fwd wheel's library.");
    }
    return {std::nullopt, "not used: " + path.string() + " registers no " + kOperator};
  }
  return {forward, "found at " + path.string()};
}

LoadedLibrary find_library() {
  if (const char* named = std::getenv("COSMOS3_FA3_LIBRARY"); named != nullptr && *named) {
    return open_library(named, /*named_by_user=*/true);
  }
  for (const fs::path& folder : package_folders()) {
    if (auto path = library_in(folder)) {
      return open_library(*path, /*named_by_user=*/false);
    }
  }
  return {std::nullopt, "not found (pip install fa3-fwd beside torch, or set COSMOS3_FA3_LIBRARY)"};
}

// Loaded once per process; a first call the library refuses (e.g. not a Hopper GPU) turns it
// off for the rest of the process, with the library's reason as the status.
struct State {
  std::once_flag loaded;
  LoadedLibrary library;
  std::atomic<bool> proven{false};
  std::atomic<bool> refused{false};
  std::mutex status_mutex;
};

State& state() {
  static State instance;
  return instance;
}

const LoadedLibrary& library() {
  State& s = state();
  std::call_once(s.loaded, [&s] { s.library = find_library(); });
  return s.library;
}

bool enabled_from_environment() {
  const char* value = std::getenv("COSMOS3_ATTENTION");
  return value == nullptr || std::strcmp(value, "sdpa") != 0;
}

std::atomic<bool>& enabled_flag() {
  static std::atomic<bool> enabled{enabled_from_environment()};
  return enabled;
}

// Calls the operator with the named arguments given and every other one at its schema default,
// so the call does not depend on the order or number of the wheel's optional arguments.
at::Tensor call_forward(const c10::OperatorHandle& forward,
                        const std::map<std::string, c10::IValue>& given) {
  torch::jit::Stack stack;
  for (const c10::Argument& argument : forward.schema().arguments()) {
    if (auto value = given.find(argument.name()); value != given.end()) {
      stack.push_back(value->second);
    } else {
      TORCH_CHECK(argument.default_value().has_value(), kOperator, ": argument ", argument.name(),
                  " has no default and was not given");
      stack.push_back(*argument.default_value());
    }
  }
  forward.callBoxed(&stack);
  return stack.front().toTensor();
}

at::Tensor last_dim_contiguous(const at::Tensor& x) {
  return x.stride(-1) == 1 ? x : x.contiguous();
}

void* current_stream(const at::Tensor& tensor) {
  return c10::impl::getDeviceGuardImpl(c10::DeviceType::CUDA)
      ->getStream(tensor.device())
      .native_handle();
}

}  // namespace

std::string flash_attention3_status() {
  const LoadedLibrary& loaded = library();
  State& s = state();
  const std::lock_guard<std::mutex> lock(s.status_mutex);
  if (!enabled_flag().load()) return "off (COSMOS3_ATTENTION=sdpa)";
  return loaded.status;
}

bool flash_attention3_enabled() { return enabled_flag().load(); }

void set_flash_attention3_enabled(bool enabled) { enabled_flag().store(enabled); }

QuantizedHeads quantize_head_groups_e4m3(const at::Tensor& x_SHD, int64_t num_groups) {
  TORCH_CHECK(x_SHD.dim() == 3 && x_SHD.size(1) % num_groups == 0,
              "quantize_head_groups_e4m3: [S, H, D] with H a multiple of the groups");
  const int64_t num_rows = x_SHD.size(0), num_heads = x_SHD.size(1), head_dim = x_SHD.size(2);
  const at::Tensor grouped = x_SHD.view({num_rows, num_groups, num_heads / num_groups, head_dim});
  const at::Tensor descale_G =
      at::clamp_min(at::linalg_vector_norm(grouped, INFINITY, at::IntArrayRef{0, 2, 3},
                                           /*keepdim=*/false, at::kFloat),
                    1e-12) /
      kE4m3Max;
  QuantizedHeads result;
  result.descale_1G = descale_G.unsqueeze(0);
  const at::Tensor input = x_SHD.contiguous();
  if (cuda_kernels_built() && input.is_cuda() && input.scalar_type() == at::kBFloat16 &&
      quantize_head_groups_supported(num_heads, head_dim, num_groups)) {
    const c10::DeviceGuard device_guard(input.device());
    result.values_SHD = at::empty(input.sizes(), input.options().dtype(at::kFloat8_e4m3fn));
    QuantizeHeadGroupsArgs args;
    args.input_SHD = input.data_ptr();
    args.values_SHD = result.values_SHD.data_ptr();
    args.descale_G = descale_G.data_ptr<float>();
    args.num_rows = num_rows;
    args.num_heads = num_heads;
    args.head_dim = head_dim;
    args.num_groups = num_groups;
    const int error = launch_quantize_head_groups_e4m3(args, current_stream(input));
    TORCH_CHECK(error == 0, "quantize_head_groups_e4m3 kernel failed: ", kernel_error_text(error));
    return result;
  }
  const at::Tensor scaled =
      (input.view(grouped.sizes()).to(at::kFloat) / descale_G.view({1, num_groups, 1, 1}))
          .clamp(-kE4m3Max, kE4m3Max);
  result.values_SHD = scaled.to(at::kFloat8_e4m3fn).view(input.sizes());
  return result;
}

std::optional<at::Tensor> try_flash_attention3(const at::Tensor& q_SHD, const at::Tensor& k_SHD,
                                               const at::Tensor& v_SHD,
                                               AttentionArithmetic arithmetic) {
  State& s = state();
  if (!enabled_flag().load() || s.refused.load() || !q_SHD.is_cuda() ||
      q_SHD.scalar_type() != at::kBFloat16 || q_SHD.dim() != 3 || q_SHD.size(2) % 8 != 0 ||
      q_SHD.size(2) > 256 || q_SHD.size(1) % k_SHD.size(1) != 0) {
    return std::nullopt;
  }
  const LoadedLibrary& loaded = library();
  if (!loaded.forward) {
    return std::nullopt;
  }
  const int64_t head_dim = q_SHD.size(2);
  std::map<std::string, c10::IValue> given{
      {"softmax_scale", 1.0 / std::sqrt(static_cast<double>(head_dim))}, {"is_causal", false}};
  if (arithmetic == AttentionArithmetic::kFp8) {
    const int64_t num_kv_heads = k_SHD.size(1);
    const QuantizedHeads q8 = quantize_head_groups_e4m3(q_SHD, num_kv_heads);
    const QuantizedHeads k8 = quantize_head_groups_e4m3(k_SHD, num_kv_heads);
    const QuantizedHeads v8 = quantize_head_groups_e4m3(v_SHD, num_kv_heads);
    given.insert({{"q", q8.values_SHD.unsqueeze(0)},
                  {"k", k8.values_SHD.unsqueeze(0)},
                  {"v", v8.values_SHD.unsqueeze(0)},
                  {"q_descale", q8.descale_1G},
                  {"k_descale", k8.descale_1G},
                  {"v_descale", v8.descale_1G}});
  } else {
    given.insert({{"q", last_dim_contiguous(q_SHD).unsqueeze(0)},
                  {"k", last_dim_contiguous(k_SHD).unsqueeze(0)},
                  {"v", last_dim_contiguous(v_SHD).unsqueeze(0)}});
  }
  if (s.proven.load()) {
    return call_forward(*loaded.forward, given).squeeze(0).to(q_SHD.scalar_type());
  }
  try {
    at::Tensor out = call_forward(*loaded.forward, given).squeeze(0).to(q_SHD.scalar_type());
    s.proven.store(true);
    return out;
  } catch (const c10::OutOfMemoryError&) {
    throw;
  } catch (const c10::Error& error) {
    const std::lock_guard<std::mutex> lock(s.status_mutex);
    s.library.status = "refused its first call, cuDNN SDPA used instead: " +
                       std::string(error.what_without_backtrace());
    s.refused.store(true);
    return std::nullopt;
  }
}

}  // namespace cosmos3::kernels
