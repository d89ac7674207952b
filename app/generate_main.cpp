// cosmos3-generate: a prompt to an image or video with a Cosmos3 pipeline folder, headless.
// Everything about the request is validated before weights are loaded; Ctrl-C stops at the next
// step boundary and writes nothing.

#include "app/generate_media.h"
#include "app/generate_options.h"
#include "app/generate_ranks.h"
#include "core/model/transformer.h"
#include "core/pipeline/conditioning.h"
#include "core/pipeline/text_to_vision.h"
#include "core/safetensors/writer.h"
#include "core/vae/wan_vae.h"
#include "parallel/comm/parallel_error.h"

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

// The conditioning clip's frames, read (and so checked) before any weights are loaded.
std::optional<at::Tensor> read_conditioning_frames(const app::GenerateOptions& options,
                                                   const pipeline::PipelineFolder& folder) {
  const pipeline::GenerationRequest& request = options.request;
  if (!options.vision_path && !options.video_path) {
    return std::nullopt;
  }
  if (request.num_frames == 1) {
    throw pipeline::RequestError(
        "--vision-path and --video-path condition a video: pass "
        "--num-frames > 1 (image-to-image is not supported)");
  }
  if (options.vision_path) {
    return app::read_frames(*options.vision_path, /*max_frames=*/1);
  }
  pipeline::check_condition_frame_indexes(options.condition_frame_indexes, request.num_frames,
                                          folder.vae_temporal_factor);
  return app::read_frames(*options.video_path);
}

pipeline::ConditioningClip conditioning_clip(const app::GenerateOptions& options,
                                             const at::Tensor& frames_THW3,
                                             const pipeline::PipelineFolder& folder) {
  pipeline::ConditioningInput input;
  input.is_image = options.vision_path.has_value();
  input.frame_indexes = options.condition_frame_indexes;
  input.kept =
      options.keep_last_frames ? pipeline::KeptFrames::kLast : pipeline::KeptFrames::kFirst;
  const pipeline::GenerationRequest& request = options.request;
  return pipeline::conditioning_clip(frames_THW3, input, request.height, request.width,
                                     request.num_frames, folder.vae_temporal_factor);
}

void print_progress(const char* what, int64_t done, int64_t total, Clock::time_point start) {
  std::cerr << what << ' ' << done << '/' << total << " (" << seconds_since(start) << " s)\n";
}

int run(const app::GenerateOptions& parsed, int argc, char** argv) {
  app::GenerateOptions options = parsed;
  if (!options.seed_given) {
    options.request.seed = std::random_device{}();
  }
  // Everything a user can get wrong is checked before the weights are read.
  const pipeline::PipelineFolder folder = pipeline::read_pipeline_folder(options.model_dir);
  const pipeline::ResolvedRequest resolved = pipeline::resolve_request(options.request, folder);
  const std::optional<at::Tensor> conditioning_frames = read_conditioning_frames(options, folder);
  if (app::should_launch_ranks(options)) {
    prepare_output_dir(options.output_dir);
    return app::launch_ranks(options, argc, argv);
  }
  app::GenerationRanks ranks(options);
  if (ranks.writes_outputs()) {
    prepare_output_dir(options.output_dir);
  }
  // Every rank draws the same noise: rank 0's seed wins when none was given.
  options.request.seed = ranks.agree_on_seed(options.request.seed);
  options.device = ranks.device();
  const pipeline::PromptTokenizer tokenizer =
      pipeline::PromptTokenizer::load(folder.text_tokenizer_dir);

  const auto load_start = Clock::now();
  const model::Transformer transformer = ranks.load_transformer(options);
  // Without the media module there is nothing to decode into; the latents are the output. Only
  // the rank that writes outputs decodes.
  const bool decode = app::media_available() && ranks.writes_outputs();
  std::optional<vae::WanVae> vae;
  if (decode || conditioning_frames) {
    const vae::VaeParts parts = !conditioning_frames ? vae::VaeParts::kDecoderOnly
                                : decode             ? vae::VaeParts::kEncoderAndDecoder
                                                     : vae::VaeParts::kEncoderOnly;
    vae.emplace(vae::WanVae::load(folder.root, options.dtype, options.device, parts));
  }
  const double load_seconds = seconds_since(load_start);
  std::cerr << "loaded the models in " << load_seconds << " s as " << ranks.describe() << "; seed "
            << options.request.seed << '\n';

  std::optional<pipeline::VisionConditioning> conditioning;
  if (conditioning_frames) {
    const auto encode_start = Clock::now();
    pipeline::ConditioningClip clip = conditioning_clip(options, *conditioning_frames, folder);
    const at::Tensor clean = vae->encode(
        clip.pixels_B3THW.to(options.device, vae->dtype()),
        [&](auto done, auto total) { print_progress("encode frame", done, total, encode_start); });
    conditioning =
        pipeline::VisionConditioning{clean.to(at::kFloat), std::move(clip.frame_indexes)};
  }

  std::signal(SIGINT, request_cancel);
  const auto denoise_start = Clock::now();
  pipeline::DenoiseCallbacks callbacks;
  // Ranks stop together: one rank leaving the loop alone would leave the others waiting.
  callbacks.cancel_requested = [&] { return ranks.agree_on_cancel(g_cancel_requested.load()); };
  callbacks.on_step_done = [&](int64_t step, int64_t num_steps) {
    print_progress("step", step, num_steps, denoise_start);
  };
  const pipeline::VisionGeneration generation =
      pipeline::generate_vision_latents(folder, transformer, tokenizer, resolved, options.device,
                                        ranks.guidance(), callbacks, conditioning);
  if (generation.cancelled) {
    std::cerr << "cancelled after " << generation.num_steps_done << " steps; nothing written\n";
    return 130;
  }
  if (!ranks.writes_outputs()) {
    return 0;
  }
  const double denoise_seconds = seconds_since(denoise_start);

  nlohmann::json metadata = describe(options, resolved, generation);
  metadata["seconds"] = {{"load", load_seconds}, {"denoise", denoise_seconds}};
  metadata["parallel"] = {{"cfg", options.cfg_parallel},
                          {"tp", options.tensor_parallel},
                          {"cp", options.context_parallel}};
  if (options.output_latents) {
    safetensors::write_file(*options.output_latents,
                            {{"latents", generation.latents_BCTHW.to(c10::kCPU)}},
                            {{"generation", metadata.dump()}});
    std::cout << "wrote " << options.output_latents->string() << '\n';
  }
  if (decode) {
    const auto decode_start = Clock::now();
    const at::Tensor pixels = vae->decode(
        generation.latents_BCTHW.to(vae->dtype()),
        [&](auto d, auto t) { print_progress("decode latent frame", d, t, decode_start); });
    metadata["seconds"]["decode"] = seconds_since(decode_start);
    const std::filesystem::path sample =
        app::write_sample(options.output_dir, pixels, options.request.fps, metadata.dump());
    std::cout << "wrote " << sample.string() << '\n';
  } else {
    std::cerr << "this build has no media module: sample.jpg/sample.mp4 are not written\n";
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
