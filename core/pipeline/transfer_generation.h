#pragma once
// One transfer run: the prompt's token ids under the transfer system prompt, the chunk plan,
// and per chunk the controls' and the seeded target's encodes, the three pass layouts, the
// seeded noise, the guided denoise loop and the decode whose tail seeds the next chunk; the
// decoded chunks stitched into one clip. Headless and rank-agnostic like action_generation.h;
// the VAE comes in as two functions so the caller picks where and how it runs.
//
// Shape legend: pixels_B3THW float32 in [-1, 1] at the request's height x width;
// latents_BCTHW [1, C, T, h, w].

#include "core/model/transformer.h"
#include "core/pipeline/denoise_loop.h"
#include "core/pipeline/guidance_runner.h"
#include "core/pipeline/pipeline_folder.h"
#include "core/pipeline/prompt_tokens.h"
#include "core/pipeline/transfer_chunks.h"
#include "core/pipeline/transfer_controls.h"
#include "core/pipeline/transfer_hint.h"
#include "core/pipeline/transfer_request.h"

#include <functional>
#include <vector>

namespace cosmos3::pipeline {

struct TransferInputs {
  std::vector<TransferControl> controls;  // any order; sequenced in canonical hint order
  at::Tensor input_video_B3THW;           // optional: seeds the first chunk
};

struct VaeCodec {
  // Pixels to the VAE's normalised latents (float32) and back (float32 in [-1, 1]).
  std::function<at::Tensor(const at::Tensor& pixels_B3THW)> encode;
  std::function<at::Tensor(const at::Tensor& latents_BCTHW)> decode;
};

struct TransferGeneration {
  at::Tensor video_B3THW;         // the stitched chunks, on the CPU; undefined when cancelled
  at::Tensor last_latents_BCTHW;  // the last chunk's final latents
  TransferChunkPlan plan;
  int64_t num_chunks_done = 0;
  int64_t num_steps_done = 0;  // over all chunks
  bool cancelled = false;
  std::vector<int64_t> cond_input_ids;
  std::vector<int64_t> uncond_input_ids;
};

// The controls in canonical hint order; throws RequestError when a hint is given twice or none is.
std::vector<TransferControl> controls_in_order(std::vector<TransferControl> controls);

// Progress counts steps over all chunks: on_start gets chunks x steps, and on_step_done and
// on_prediction (the target's latents and velocity) get the step counted over all chunks.
TransferGeneration generate_transfer(const PipelineFolder& folder,
                                     const model::Transformer& transformer,
                                     const PromptTokenizer& tokenizer,
                                     const TransferRequest& request, const TransferInputs& inputs,
                                     const VaeCodec& vae, c10::Device device,
                                     GuidanceRunner& guidance,
                                     const DenoiseCallbacks& callbacks = {});

}  // namespace cosmos3::pipeline
