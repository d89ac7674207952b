// cosmos3-generate: a prompt to an image or video with a Cosmos3 pipeline folder, headless.
// Everything about the request is validated before weights are loaded; Ctrl-C stops at the next
// step boundary and writes nothing.

#include "app/generate_options.h"
#include "core/model/transformer.h"
#include "core/pipeline/text_to_vision.h"
#include "core/safetensors/writer.h"

#include <nlohmann/json.hpp>

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

// Fails now, not after the generation, when the outputs cannot be written.
void prepare_output_dir(const std::filesystem::path& output_dir) {
  std::error_code error;
  std::filesystem::create_directories(output_dir, error);
  const std::filesystem::path probe = output_dir / ".cosmos3-write-test";
  if (error || !std::ofstream(probe)) {
    throw UserError("--output-dir " + output_dir.string() +
                    " cannot be created or written: choose a writable folder");
  }
  std::filesystem::remove(probe, error);
}

nlohmann::json describe(const app::GenerateOptions& options,
                        const pipeline::ResolvedRequest& resolved,
                        const pipeline::VisionGeneration& generation) {
  const pipeline::GenerationRequest& request = resolved.request;
  return {
      {"prompt", request.prompt},
      {"negative_prompt", request.negative_prompt.value_or("")},
      {"seed", request.seed},
      {"num_frames", request.num_frames},
      {"height", request.height},
      {"width", request.width},
      {"fps", request.fps},
      {"num_steps", resolved.num_steps},
      {"guidance_scale", resolved.guidance_scale},
      {"flow_shift", request.flow_shift ? nlohmann::json(*request.flow_shift) : nlohmann::json()},
      {"use_system_prompt", resolved.use_system_prompt},
      {"model", options.model_dir.string()},
      {"num_cond_tokens", generation.cond_input_ids.size()},
      {"num_uncond_tokens", generation.uncond_input_ids.size()}};
}

void write_json_atomically(const std::filesystem::path& path, const nlohmann::json& json) {
  const std::filesystem::path partial = path.string() + ".partial";
  {
    std::ofstream stream(partial);
    stream << json.dump(2) << '\n';
    if (!stream) {
      throw UserError("cannot write " + partial.string());
    }
  }
  std::filesystem::rename(partial, path);
}

int run(const app::GenerateOptions& parsed) {
  app::GenerateOptions options = parsed;
  if (!options.seed_given) {
    options.request.seed = std::random_device{}();
  }
  // Everything a user can get wrong is checked before the weights are read.
  const pipeline::PipelineFolder folder = pipeline::read_pipeline_folder(options.model_dir);
  const pipeline::ResolvedRequest resolved = pipeline::resolve_request(options.request, folder);
  prepare_output_dir(options.output_dir);
  const pipeline::PromptTokenizer tokenizer =
      pipeline::PromptTokenizer::load(folder.text_tokenizer_dir);

  const auto load_start = Clock::now();
  const model::Transformer transformer =
      model::Transformer::load(folder.transformer_dir, options.dtype, options.device);
  const double load_seconds = seconds_since(load_start);
  std::cerr << "loaded the transformer in " << load_seconds << " s; seed " << options.request.seed
            << '\n';

  std::signal(SIGINT, request_cancel);
  const auto denoise_start = Clock::now();
  pipeline::DenoiseCallbacks callbacks;
  callbacks.cancel_requested = [] { return g_cancel_requested.load(); };
  callbacks.on_step_done = [&](int64_t step, int64_t num_steps) {
    std::cerr << "step " << step << '/' << num_steps << " (" << seconds_since(denoise_start)
              << " s)\n";
  };
  model::ModelSeams single_rank;
  const pipeline::VisionGeneration generation = pipeline::generate_vision_latents(
      folder, transformer, tokenizer, resolved, options.device, single_rank, callbacks);
  if (generation.cancelled) {
    std::cerr << "cancelled after " << generation.num_steps_done << " steps; nothing written\n";
    return 130;
  }

  nlohmann::json metadata = describe(options, resolved, generation);
  metadata["seconds"] = {{"load", load_seconds}, {"denoise", seconds_since(denoise_start)}};
  if (options.output_latents) {
    safetensors::write_file(*options.output_latents,
                            {{"latents", generation.latents_BCTHW.to(c10::kCPU)}},
                            {{"generation", metadata.dump()}});
    std::cout << "wrote " << options.output_latents->string() << '\n';
  }
  const std::filesystem::path metadata_path = options.output_dir / "generation.json";
  write_json_atomically(metadata_path, metadata);
  std::cout << "wrote " << metadata_path.string() << '\n';
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
    return run(options);
  } catch (const pipeline::RequestError& error) {
    std::cerr << "cosmos3-generate: invalid request: " << error.what() << '\n';
    return app::kUsageExitCode;
  } catch (const UserError& error) {
    std::cerr << "cosmos3-generate: " << error.what() << '\n';
    return 1;
  }
}
