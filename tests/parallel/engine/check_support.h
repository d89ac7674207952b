#pragma once
// Shared parts of the parallel engine's rank program: options, this rank's mesh, the reference
// (single-rank) and parallel models, the golden inputs, and result reporting.

#include "core/model/transformer.h"
#include "parallel/comm/world.h"
#include "parallel/engine/rank_mesh.h"

#include <ATen/core/Tensor.h>

#include <memory>
#include <string>
#include <vector>

namespace cosmos3::parallel::check {

inline constexpr const char* kUniPCConfig =
    R"({"_class_name": "UniPCMultistepScheduler", "use_flow_sigmas": true,
        "prediction_type": "flow_prediction", "flow_shift": 5.0})";

struct CheckOptions {
  std::string family = "nano";
  std::string check = "forward";
  ParallelDegrees degrees;
  bool drop_und_k_norm = false;
  c10::ScalarType dtype = at::kFloat;

  // fp32: 1e-5 (see parallel_engine_check.cpp). bf16: 2e-2, a few bf16 epsilons (7.8e-3):
  // row-parallel partial sums and ring merges round to bf16 at other points than one rank does.
  double tolerance() const { return dtype == at::kFloat ? 1e-5 : 2e-2; }
};

struct CheckContext {
  CheckOptions options;
  std::unique_ptr<World> world;
  RankMesh mesh;
};

CheckOptions parse_options(int argc, char** argv);
// Plans the layout (refused before any weight is read) and forms the mesh.
CheckContext connect(const CheckOptions& options);

std::string family_dir(const std::string& family);
model::Transformer load_reference(const CheckContext& context);
// This rank's slices; without Edge's k_norm_und_for_gen under --drop-und-k-norm.
model::Transformer load_parallel(const CheckContext& context);

// The golden video inputs (vision, sound, action) as the cond branch and the same sequence
// with other prompt tokens as the uncond branch.
std::vector<model::TransformerInputs> branch_inputs(const CheckContext& context,
                                                    const model::TransformerConfig& config);
std::vector<int64_t> prompt_ids(int64_t length, int64_t seed,
                                const model::TransformerConfig& config);

// Every prediction of a forward, flattened into one vector (one tensor to trade and compare).
at::Tensor flat_outputs(const model::TransformerOutputs& outputs);
double relative_error(const at::Tensor& actual, const at::Tensor& expected);
// Prints the result with this rank's place and its peak host memory.
void report(const CheckContext& context, const std::string& what, double error);

int check_layout_error(const CheckOptions& options);
int check_omni(const CheckContext& context);
int check_sound(const CheckContext& context);
int check_count(const CheckContext& context);
int make_memory_model();
int check_memory(const CheckContext& context);

}  // namespace cosmos3::parallel::check
