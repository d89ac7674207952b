#pragma once
// How cosmos3-generate spreads one generation over ranks. Asked for a layout of several ranks
// (--cfg-parallel, --tp, --cp), the command checks the layout against the model's head counts
// and the GPUs present, then starts itself once per rank through the local launcher; each rank
// joins the world, loads only its weight slices, draws the same noise (the seed is agreed on)
// and stops at the same step when cancelled. Only the rank that writes outputs writes files.

#include "app/generate_options.h"
#include "core/model/transformer.h"
#include "core/pipeline/denoise_loop.h"
#include "parallel/engine/cfg_parallel.h"
#include "parallel/engine/rank_session.h"

#include <functional>
#include <memory>

namespace cosmos3::app {

parallel::ParallelDegrees requested_degrees(const GenerateOptions& options);

// True when the layout has several ranks and this process is not one of them: the caller
// should launch the ranks instead of generating.
bool should_launch_ranks(const GenerateOptions& options);

// Checks the layout (LayoutError naming the valid choices) and the devices before any rank
// starts, then runs this program once per rank with the same arguments and returns the
// launcher's exit status. Ranks log to OUTPUT_DIR/rank-logs; rank 0 also to the terminal.
int launch_ranks(const GenerateOptions& options, int argc, char** argv);

// This process's part in the generation: alone, or one rank of a launched layout.
class GenerationRanks {
 public:
  // Checks the layout against the model's config before connecting; throws LayoutError.
  explicit GenerationRanks(const GenerateOptions& options);
  GenerationRanks(const GenerationRanks&) = delete;
  GenerationRanks& operator=(const GenerationRanks&) = delete;

  c10::Device device() const { return session_.device; }
  bool writes_outputs() const { return session_.mesh.writes_outputs(); }
  std::string describe() const { return session_.describe(); }

  // Rank 0's seed on every rank, so that all draw the same noise.
  uint64_t agree_on_seed(uint64_t seed);
  // True on every rank once any rank asked to cancel: ranks stop at the same step.
  bool agree_on_cancel(bool cancel_requested);

  // The whole transformer alone; this rank's tensor-parallel slices in a layout.
  model::Transformer load_transformer(const GenerateOptions& options) const;
  // Runs the CFG branches on this rank's group and caches the text stream's K/V per prompt.
  pipeline::GuidanceRunner& guidance() { return guidance_; }

 private:
  parallel::RankSession session_;
  parallel::ParallelGuidance guidance_;
};

}  // namespace cosmos3::app
