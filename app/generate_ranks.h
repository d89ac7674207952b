#pragma once
// How cosmos3-generate spreads one generation over ranks. Asked for a layout of several ranks
// (--cfg-parallel, --tp, --cp), the command checks the layout against the model's head counts
// and the GPUs present, then starts itself once per rank through the local launcher; each rank
// then runs the generation engine (parallel/backend/generation_engine.h), which joins the
// world, loads only its weight slices, agrees on the seed and on cancelling.

#include "parallel/backend/generate_options.h"
#include "parallel/engine/parallel_layout.h"

namespace cosmos3::app {

parallel::ParallelDegrees requested_degrees(const GenerateOptions& options);

// True when the layout has several ranks and this process is not one of them: the caller
// should launch the ranks instead of generating.
bool should_launch_ranks(const GenerateOptions& options);

// Checks the layout (LayoutError naming the valid choices) and the devices before any rank
// starts, then runs this program once per rank with the same arguments and returns the
// launcher's exit status. Ranks log to OUTPUT_DIR/rank-logs; rank 0 also to the terminal.
int launch_ranks(const GenerateOptions& options, int argc, char** argv);

}  // namespace cosmos3::app
