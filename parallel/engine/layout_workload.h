#pragma once
// What one job asks of a parallel layout, as far as memory and step time care: the transformer
// passes one denoising step runs (each with its generation stream and text tokens) and the
// dtype the weights and activations use. Job kinds differ in their passes: a vision job runs
// cond and, when guided, uncond; a transfer job runs cond with its controls, cond without them
// when control guidance is on, and uncond with them when guidance is on (up to three, which is
// what a cfg axis of 3 is for).

#include "core/model/transformer_config.h"

#include <c10/core/ScalarType.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace cosmos3::parallel {

struct LayoutWorkload {
  int64_t num_generation_tokens = 0;  // the target's generation stream (vision patches, ...)
  int64_t num_text_tokens = 300;      // the cond prompt; the text stream is replicated
  int64_t num_uncond_text_tokens = 100;
  c10::ScalarType dtype = c10::ScalarType::BFloat16;
  bool fp8 = false;    // --precision fp8: e4m3 copies of the generation tower's GEMM weights too
  bool guided = true;  // guidance scale above 1: an uncond pass
  // Transfer jobs only (num_control_hints > 0): each hint puts a clean control item as long as
  // the target before it in the passes with controls; control guidance adds a pass without.
  int num_control_hints = 0;
  bool control_guided = false;
};

// One transformer forward of a step.
struct LayoutPass {
  int64_t num_generation_tokens = 0;  // the stream cp splits: controls' items and the target's
  int64_t num_text_tokens = 0;
};

// The step's passes in the guidance runner's order (pass b runs on cfg group b % cfg).
std::vector<LayoutPass> workload_passes(const LayoutWorkload& workload);

// The longest generation stream a pass runs: what activation memory scales with.
int64_t largest_generation_stream(const LayoutWorkload& workload);

// Empty for the default job kind (a guided vision job); otherwise "transfer 2 hints, 3 passes"
// or "1 pass": how measurements of other job kinds are told apart.
std::string describe_job_kind(const LayoutWorkload& workload);

// Vision patches of a latent grid [T, H, W]: the model patchifies H and W by its
// latent_patch_size (rounded up, as the transformer pads), T frame by frame.
int64_t num_vision_tokens(const std::array<int64_t, 3>& latent_thw,
                          const model::TransformerConfig& config);

}  // namespace cosmos3::parallel
