// cosmos3-generate: a prompt to an image or video with a Cosmos3 pipeline folder, headless.
// Everything about the request is validated before weights are loaded; Ctrl-C stops at the next
// step (or mid-decode) and writes nothing. The job runs on the same engine as the studio's
// resident backend group (parallel/backend/generation_engine.h).

#include "app/generate_ranks.h"
#include "core/pipeline/generation_request.h"
#include "parallel/backend/generation_engine.h"
#include "parallel/backend/sample_media.h"
#include "parallel/comm/parallel_error.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <random>

using namespace cosmos3;

namespace {

std::atomic<bool> g_cancel_requested{false};

extern "C" void request_cancel(int) { g_cancel_requested = true; }

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Fails now, not after loading the model, when the outputs cannot be written.
void check_output_dir(const std::filesystem::path& output_dir) {
  std::error_code error;
  std::filesystem::create_directories(output_dir, error);
  const std::filesystem::path probe = output_dir / ".cosmos3-write-test";
  if (error || !std::ofstream(probe)) {
    throw UserError("--output-dir " + output_dir.string() +
                    " cannot be created or written: choose a writable folder");
  }
  std::filesystem::remove(probe, error);
}

backend::EngineSettings engine_settings(const app::GenerateOptions& options) {
  return backend::EngineSettings{options.model_dir, options.device, options.dtype,
                                 app::requested_degrees(options)};
}

int run(const app::GenerateOptions& parsed, int argc, char** argv) {
  app::GenerateOptions options = parsed;
  if (!options.seed_given) {
    options.request.seed = std::random_device{}();
  }
  // Everything a user can get wrong is checked before the weights are read.
  const pipeline::PipelineFolder folder = pipeline::read_pipeline_folder(options.model_dir);
  // A transfer job's request is checked with its control videos, below.
  if (!options.transfer.active()) pipeline::resolve_request(options.request, folder);
  backend::JobInputs inputs = backend::read_job_inputs(options, folder);
  if (app::should_launch_ranks(options)) {
    check_output_dir(options.output_dir);
    return app::launch_ranks(options, argc, argv);
  }
  const auto load_start = Clock::now();
  backend::GenerationEngine engine(engine_settings(options));
  if (engine.writes_outputs()) check_output_dir(options.output_dir);
  // Every rank draws the same noise: rank 0's seed wins when none was given.
  options.request.seed = engine.agree_on_seed(options.request.seed);
  std::cerr << "loaded the models in " << seconds_since(load_start) << " s as " << engine.describe()
            << "; seed " << options.request.seed << '\n';

  std::signal(SIGINT, request_cancel);
  const auto job_start = Clock::now();
  backend::JobHooks hooks;
  hooks.on_phase = [&](const std::string& phase) {
    std::cerr << phase << " (" << seconds_since(job_start) << " s)\n";
  };
  hooks.on_step = [&](int64_t step, int64_t num_steps) {
    std::cerr << "step " << step << '/' << num_steps << " (" << seconds_since(job_start) << " s)\n";
  };
  hooks.cancel_requested = [] { return g_cancel_requested.load(); };
  const backend::JobOutcome outcome = engine.run(options, hooks, std::move(inputs));
  if (outcome.canceled) {
    std::cerr << "cancelled after " << outcome.num_steps_done << " steps; nothing written\n";
    return 130;
  }
  if (!engine.writes_outputs()) {
    return 0;
  }
  if (!backend::media_available()) {
    std::cerr << "this build has no media module: the frames are in sample_frames.safetensors\n";
  }
  for (const std::filesystem::path& output : outcome.outputs) {
    std::cout << "wrote " << output.string() << '\n';
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> arguments(argv + 1, argv + argc);
  app::GenerateOptions options;
  try {
    options = app::parse_generate_options(arguments);
  } catch (const app::UsageError& error) {
    std::cerr << "cosmos3-generate: " << error.what() << "\n\n" << app::generate_usage();
    return app::kUsageExitCode;
  }
  if (options.help) {
    std::cout << app::generate_usage();
    return 0;
  }
  try {
    return run(options, argc, argv);
  } catch (const pipeline::RequestError& error) {
    std::cerr << "cosmos3-generate: invalid request: " << error.what() << '\n';
    return app::kUsageExitCode;
  } catch (const parallel::LayoutError& error) {
    std::cerr << "cosmos3-generate: invalid parallel layout: " << error.what() << '\n';
    return app::kUsageExitCode;
  } catch (const app::UsageError& error) {
    std::cerr << "cosmos3-generate: " << error.what() << '\n';
    return app::kUsageExitCode;
  } catch (const UserError& error) {
    std::cerr << "cosmos3-generate: " << error.what() << '\n';
    return 1;
  }
}
