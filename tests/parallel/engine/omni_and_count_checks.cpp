// The rank program's checks of a whole omni generation (vision, sound and action tokens
// denoised together with CFG) and of the collectives a forward issues.

#include "core/pipeline/guidance_runner.h"
#include "parallel/comm/counting_communicator.h"
#include "parallel/engine/cfg_parallel.h"
#include "tests/parallel/engine/check_support.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/cat.h>

#include <iostream>
#include <map>

namespace cosmos3::parallel::check {
namespace {

constexpr int64_t kNumSteps = 2;
constexpr double kGuidanceScale = 3.0;

std::vector<at::Tensor*> generated_tokens(model::TransformerInputs& inputs) {
  std::vector<at::Tensor*> tokens{&inputs.vision.tokens[0]};
  if (inputs.sound) tokens.push_back(&inputs.sound->tokens[0]);
  if (inputs.action) tokens.push_back(&inputs.action->tokens[0]);
  return tokens;
}

// One Euler-like step on every generated modality of every branch: the branches share their
// generation tokens and differ only in the prompt, as in CFG.
void step_tokens(std::vector<model::TransformerInputs>& branches, const at::Tensor& velocity) {
  for (model::TransformerInputs& inputs : branches) {
    int64_t start = 0;
    for (at::Tensor* tokens : generated_tokens(inputs)) {
      const int64_t count = tokens->numel();
      *tokens = *tokens - 0.4 * velocity.slice(0, start, start + count).view(tokens->sizes());
      start += count;
    }
    TORCH_CHECK(start == velocity.size(0), "predictions and tokens differ in size");
    for (model::ModalityInputs* modality : {&inputs.vision, inputs.sound ? &*inputs.sound : nullptr,
                                            inputs.action ? &*inputs.action : nullptr}) {
      if (modality) modality->timesteps = modality->timesteps * 0.6;
    }
  }
}

at::Tensor run_omni(const model::Transformer& transformer, pipeline::GuidanceRunner& guidance,
                    std::vector<model::TransformerInputs> branches) {
  for (int64_t step = 0; step < kNumSteps; ++step) {
    const std::vector<at::Tensor> predictions =
        guidance.predict_branches(2, [&](int64_t branch, model::ModelSeams& seams) {
          return flat_outputs(transformer.forward(branches[branch], seams));
        });
    step_tokens(branches, predictions[1] + kGuidanceScale * (predictions[0] - predictions[1]));
  }
  std::vector<at::Tensor> flat;
  for (at::Tensor* tokens : generated_tokens(branches[0])) flat.push_back(tokens->flatten());
  return at::cat(flat, 0);
}

// Wraps every distinct group of the mesh in a counter (the cp group may be the Ulysses or the
// ring group itself).
std::map<Communicator*, std::shared_ptr<CountingCommunicator>> count_collectives(RankMesh& mesh) {
  std::map<Communicator*, std::shared_ptr<CountingCommunicator>> counters;
  for (std::shared_ptr<Communicator>* group :
       {&mesh.cfg, &mesh.tp, &mesh.cp, &mesh.ulysses, &mesh.ring}) {
    auto& counter = counters[group->get()];
    if (!counter) counter = std::make_shared<CountingCommunicator>(*group);
    *group = counter;
  }
  return counters;
}

int64_t calls(const std::shared_ptr<Communicator>& group, CollectiveKind kind) {
  return static_cast<const CountingCommunicator&>(*group).num_calls(kind);
}

}  // namespace

int check_omni(const CheckContext& context) {
  const model::Transformer reference = load_reference(context);
  const model::Transformer parallel = load_parallel(context);
  const std::vector<model::TransformerInputs> branches = branch_inputs(context, reference.config());
  model::ModelSeams single_rank;
  pipeline::SequentialGuidance sequential(single_rank);
  const at::Tensor expected = run_omni(reference, sequential, branches);
  ParallelGuidance guidance(context.mesh);
  const at::Tensor actual = run_omni(parallel, guidance, branches);
  const double error = relative_error(actual, expected);
  report(context, "2-step omni generation (vision+sound+action, CFG)", error);
  return error <= context.options.tolerance() ? 0 : 1;
}

// Per forward on the generation stream: 2 all-to-alls per layer (Ulysses q/k/v in, output
// out), ring-1 send_recvs per layer on the ring, one all-gather of the stream at the end; the
// text stream none. TP: 2 all-reduces per layer per computed stream, so 4 in the first forward
// and 2 once the text stream is cached.
int check_count(const CheckContext& context) {
  CheckContext counted{context.options, nullptr, context.mesh};
  const auto counters = count_collectives(counted.mesh);
  const model::Transformer parallel = load_parallel(context);
  const int64_t num_layers = static_cast<int64_t>(parallel.config().num_hidden_layers);
  const model::TransformerInputs inputs = branch_inputs(context, parallel.config())[0];
  ParallelSeams seams(counted.mesh);
  const RankMesh& mesh = counted.mesh;
  const int64_t num_ulysses = mesh.ulysses->size();
  const int64_t num_ring = mesh.ring->size();
  const int64_t tp = mesh.tp->size();
  int failures = 0;
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& [group, counter] : counters) counter->reset();
    parallel.forward(inputs, seams);
    const int64_t all_to_alls = calls(mesh.ulysses, CollectiveKind::all_to_all);
    const int64_t send_recvs = calls(mesh.ring, CollectiveKind::send_recv);
    const int64_t gathers = calls(mesh.cp, CollectiveKind::all_gather);
    const int64_t all_reduces = calls(mesh.tp, CollectiveKind::all_reduce_sum);
    const int64_t expected_all_to_alls = num_ulysses > 1 ? 2 * num_layers : 0;
    const int64_t expected_send_recvs = (num_ring - 1) * num_layers;
    const int64_t expected_gathers = mesh.cp->size() > 1 ? 1 : 0;
    const int64_t expected_all_reduces = tp > 1 ? (pass == 0 ? 4 : 2) * num_layers : 0;
    std::cout << "pass " << pass << " (" << num_layers << " layers): all_to_all " << all_to_alls
              << " (expect " << expected_all_to_alls << "), send_recv " << send_recvs << " (expect "
              << expected_send_recvs << "), all_gather " << gathers << " (expect "
              << expected_gathers << "), tp all_reduce " << all_reduces << " (expect "
              << expected_all_reduces << ")\n";
    failures += all_to_alls != expected_all_to_alls || send_recvs != expected_send_recvs ||
                gathers != expected_gathers || all_reduces != expected_all_reduces;
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace cosmos3::parallel::check
