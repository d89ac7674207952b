#include "parallel/backend/generation_engine.h"

#include "core/pipeline/conditioning.h"
#include "core/pipeline/generation_request.h"
#include "core/pipeline/step_precision.h"
#include "core/pipeline/text_to_vision.h"
#include "core/safetensors/writer.h"
#include "parallel/backend/action_job.h"
#include "parallel/backend/generation_seal.h"
#include "parallel/backend/job_staging.h"
#include "parallel/backend/live_preview.h"
#include "parallel/backend/memory_stats.h"
#include "parallel/backend/request_metadata.h"
#include "parallel/backend/sample_media.h"
#include "parallel/backend/transfer_job.h"
#include "parallel/engine/rank_agreement.h"
#include "parallel/vae/world_row_split.h"

#include <ATen/ops/tensor.h>

#include <chrono>

namespace cosmos3::backend {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

int64_t safetensors_bytes(const std::filesystem::path& dir) {
  int64_t total = 0;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (entry.path().extension() == ".safetensors") total += entry.file_size(error);
  }
  return total;
}

bool has_vae(const pipeline::PipelineFolder& folder) {
  return std::filesystem::exists(folder.vae_dir / "config.json");
}

// Thrown from the decode's progress callback to stop a canceled job mid-decode.
struct DecodeCanceled {};

void notify(const std::function<void(const std::string&)>& hook, const std::string& phase) {
  if (hook) hook(phase);
}

nlohmann::json job_metadata(const app::GenerateOptions& job,
                            const pipeline::ResolvedRequest& resolved,
                            const pipeline::VisionGeneration& generation,
                            const EngineSettings& settings) {
  nlohmann::json metadata = request_metadata(resolved, settings, generation.cond_input_ids.size(),
                                             generation.uncond_input_ids.size());
  if (resolved.num_sound_frames > 0) {
    metadata["sound"] = {{"sample_rate", resolved.sound_sampling_rate},
                         {"num_latent_frames", resolved.num_sound_frames},
                         {"num_channels", generation.sound_latents_CT.size(0)}};
  }
  if (job.vision_path) metadata["vision_path"] = job.vision_path->string();
  if (job.video_path) {
    metadata["video_path"] = job.video_path->string();
    metadata["condition_frame_indexes"] = job.condition_frame_indexes;
    metadata["condition_video_keep"] = job.keep_last_frames ? "last" : "first";
  }
  seal_parameters(metadata);  // lets the studio refuse edited metadata when restoring a job
  return metadata;
}

}  // namespace

JobInputs read_job_inputs(const app::GenerateOptions& job, const pipeline::PipelineFolder& folder) {
  const pipeline::GenerationRequest& request = job.request;
  if (job.transfer.active()) {
    return {std::nullopt, prepare_transfer_job(job, folder).videos};
  }
  if (job.action) {
    // The mode and domain are named before the input is decoded, the actions file after it.
    pipeline::check_action_request(*job.action);
    at::Tensor frames = read_action_frames(job);
    prepare_action_job(job, folder, frames);
    return {frames, std::nullopt};
  }
  if (!job.vision_path && !job.video_path) return {};
  if (request.num_frames == 1) {
    throw pipeline::RequestError(
        "--vision-path and --video-path condition a video: pass "
        "--num-frames > 1 (image-to-image is not supported)");
  }
  if (job.vision_path) return {read_frames(*job.vision_path, /*max_frames=*/1), std::nullopt};
  pipeline::check_condition_frame_indexes(job.condition_frame_indexes, request.num_frames,
                                          folder.vae_temporal_factor);
  return {read_frames(*job.video_path), std::nullopt};
}

GenerationEngine::GenerationEngine(const EngineSettings& settings, const LoadProgress& progress)
    : settings_(settings),
      folder_(pipeline::read_pipeline_folder(settings.model_dir)),
      session_(parallel::join_ranks(settings.model_dir, settings.degrees, settings.device)),
      guidance_(session_.mesh) {
  const auto start = Clock::now();
  settings_.device = session_.device;
  const bool vae_present = has_vae(folder_);
  const int64_t transformer_bytes = safetensors_bytes(folder_.transformer_dir);
  const int64_t vae_bytes = vae_present ? safetensors_bytes(folder_.vae_dir) : 0;
  const int64_t total = transformer_bytes + vae_bytes;
  if (progress) progress("tokenizer", 0, total);
  tokenizer_.emplace(pipeline::PromptTokenizer::load(folder_.text_tokenizer_dir));
  transformer_.emplace(
      parallel::load_session_transformer(settings.model_dir, session_, settings.dtype));
  if (progress) progress("transformer", transformer_bytes, total);
  // Every rank encodes conditioning clips; the writing rank also decodes (when it can write
  // media at all), and with the split every rank decodes its rows.
  if (vae_present) {
    const bool decodes = writes_outputs() || (settings.split_vae && session_.world != nullptr);
    vae_.emplace(vae::WanVae::load(
        folder_.root, settings.dtype, settings_.device,
        decodes ? vae::VaeParts::kEncoderAndDecoder : vae::VaeParts::kEncoderOnly));
    if (progress) progress("vae", total, total);
  }
  load_seconds_ = seconds_since(start);
}

uint64_t GenerationEngine::agree_on_seed(uint64_t seed) {
  return session_.world ? parallel::agree_on_seed(*session_.world, seed) : seed;
}

bool GenerationEngine::agree_on_cancel(bool cancel_requested) {
  return session_.world ? parallel::agree_on_cancel(*session_.world, cancel_requested)
                        : cancel_requested;
}

JobOutcome GenerationEngine::run(const app::GenerateOptions& job, const JobHooks& hooks,
                                 JobInputs inputs) {
  if (job.action) return run_action(job, hooks, std::move(inputs.conditioning_frames_THW3));
  if (job.transfer.active()) return run_transfer(job, hooks, std::move(inputs.transfer_videos));
  const auto job_start = Clock::now();
  decoding_split_ = false;
  const pipeline::ResolvedRequest resolved = pipeline::resolve_request(job.request, folder_);
  if (job.request.precision == model::Precision::kFp8) {
    pipeline::check_precision_supported(job.request.precision, settings_.device, settings_.dtype);
    // At the first job that asks (later calls keep the weights): the e4m3 weights stay for the
    // group's later FP8 jobs, and bf16-only groups never pay their memory.
    prepare_fp8_on_every_rank();
  }
  const std::optional<at::Tensor> frames =
      inputs.conditioning_frames_THW3 ? std::move(inputs.conditioning_frames_THW3)
                                      : read_job_inputs(job, folder_).conditioning_frames_THW3;
  JobOutcome outcome;
  // Fails now, not after the generation, when the outputs cannot be written.
  std::optional<JobStaging> staging;
  open_staging_on_every_rank(job.output_dir, staging);

  std::optional<pipeline::VisionConditioning> conditioning;
  if (frames) {
    if (!vae_) throw ConfigError(folder_.vae_dir.string() + " has no VAE: conditioning needs one");
    notify(hooks.on_phase, "encoding_conditioning");
    const auto encode_start = Clock::now();
    pipeline::ConditioningInput input;
    input.is_image = job.vision_path.has_value();
    input.frame_indexes = job.condition_frame_indexes;
    input.kept = job.keep_last_frames ? pipeline::KeptFrames::kLast : pipeline::KeptFrames::kFirst;
    pipeline::ConditioningClip clip =
        pipeline::conditioning_clip(*frames, input, job.request.height, job.request.width,
                                    job.request.num_frames, folder_.vae_temporal_factor);
    const at::Tensor pixels = clip.pixels_B3THW.to(settings_.device, vae_->dtype());
    const auto split = parallel::world_row_split(
        session_.world.get(), pixels.size(3) / vae_->config().scale_factor_spatial,
        settings_.split_vae);
    const at::Tensor clean = split ? vae_->encode_split(pixels, *split) : vae_->encode(pixels);
    conditioning =
        pipeline::VisionConditioning{clean.to(at::kFloat), std::move(clip.frame_indexes)};
    outcome.seconds["encode_conditioning"] = seconds_since(encode_start);
  }

  notify(hooks.on_phase, "encoding_prompt");
  reset_peak_memory(settings_.device);
  auto denoise_start = Clock::now();
  double preview_seconds = 0;
  pipeline::DenoiseCallbacks callbacks =
      job_denoise_callbacks(hooks, outcome, job_start, denoise_start);
  callbacks.on_prediction = live_preview_callback(hooks, resolved.num_steps, preview_seconds);
  const bool previews = static_cast<bool>(callbacks.on_prediction);
  const pipeline::VisionGeneration generation =
      pipeline::generate_vision_latents(folder_, *transformer_, *tokenizer_, resolved,
                                        settings_.device, guidance_, callbacks, conditioning);
  outcome.num_steps_done = generation.num_steps_done;
  outcome.seconds["denoise"] = seconds_since(denoise_start);
  if (previews) outcome.seconds["preview"] = preview_seconds;
  // Every rank reaches this point (cancel is agreed on), so the gather cannot strand a rank.
  outcome.peak_memory_bytes = gather_peak_memory();
  if (generation.cancelled) {
    outcome.canceled = true;
    return outcome;
  }
  // Every rank has the final latents; with the split, every rank decodes its rows of them.
  const bool decodes = vae_ && vae_->has_decoder();
  const auto split =
      decodes ? parallel::world_row_split(session_.world.get(), generation.latents_BCTHW.size(3),
                                          settings_.split_vae)
              : nullptr;
  decoding_split_ = split != nullptr;
  if (!writes_outputs() && !split) return outcome;

  if (writes_outputs()) {
    outcome.metadata = job_metadata(job, resolved, generation, settings_);
    if (job.output_latents) {
      std::vector<std::pair<std::string, at::Tensor>> latents{
          {"latents", generation.latents_BCTHW.to(c10::kCPU)}};
      if (generation.sound_latents_CT.defined()) {
        latents.emplace_back("sound_latents", generation.sound_latents_CT.to(c10::kCPU));
      }
      safetensors::write_file(staging->stage(*job.output_latents), latents,
                              {{"generation", outcome.metadata.dump()}});
    }
  }
  if (decodes) {
    notify(hooks.on_phase, "decoding");
    const auto decode_start = Clock::now();
    at::Tensor pixels;
    try {
      // Split, the ranks stop together: one leaving the decode alone would strand the others.
      const auto stop_when_canceled = [&](int64_t, int64_t) {
        const bool cancel = hooks.cancel_requested && hooks.cancel_requested();
        if (split ? agree_on_cancel(cancel) : cancel) throw DecodeCanceled{};
      };
      at::Tensor latents = generation.latents_BCTHW.to(vae_->dtype());
      // Every rank decodes its rows of rank 0's latents, so the split gives rank 0's decode
      // even where the ranks' copies differ in the last bits.
      if (split) session_.world->communicator()->broadcast(latents, 0);
      // The clip is gathered on the host, where it is written from: a GPU then holds only the
      // chunk in flight (1 GB less at 720p/189 frames).
      pixels =
          split
              ? vae_->decode_split(latents, *split, 1, stop_when_canceled, vae::PixelsPlace::kHost)
              : vae_->decode_chunked(latents, 1, stop_when_canceled, vae::PixelsPlace::kHost);
    } catch (const DecodeCanceled&) {
      outcome.canceled = true;
      return outcome;
    }
    if (!writes_outputs()) return outcome;
    at::Tensor waveform_CN;
    if (generation.sound_latents_CT.defined()) {
      waveform_CN = decode_sound(generation.sound_latents_CT);
      outcome.metadata["sound"]["num_samples"] = waveform_CN.size(1);
    }
    outcome.seconds["decode"] = seconds_since(decode_start);
    notify(hooks.on_phase, "writing");
    const auto write_start = Clock::now();
    outcome.metadata["seconds"] = outcome.seconds;
    if (waveform_CN.defined()) {
      for (const std::filesystem::path& path : write_sample_with_sound(
               staging->staging_dir(), pixels, job.request.fps, waveform_CN,
               static_cast<int>(resolved.sound_sampling_rate), outcome.metadata.dump())) {
        staging->adopt(path);
      }
    } else {
      staging->adopt(
          write_sample(staging->staging_dir(), pixels, job.request.fps, outcome.metadata.dump()));
    }
    outcome.seconds["write"] = seconds_since(write_start);
  }
  outcome.metadata["seconds"] = outcome.seconds;
  staging->adopt(write_generation_json(staging->staging_dir(), outcome.metadata));
  outcome.outputs = staging->commit();
  return outcome;
}

void GenerationEngine::open_staging_on_every_rank(const std::filesystem::path& output_dir,
                                                  std::optional<JobStaging>& staging) {
  std::string output_problem;
  if (writes_outputs()) {
    try {
      staging.emplace(output_dir);
    } catch (const UserError& error) {
      output_problem = error.what();
    }
  }
  if (agree_on_cancel(!output_problem.empty())) {
    throw JobAbandoned(output_problem.empty() ? "the writing rank cannot write the outputs"
                                              : output_problem);
  }
}

void GenerationEngine::prepare_fp8_on_every_rank() {
  std::string out_of_memory;
  try {
    transformer_->prepare_fp8();
  } catch (const c10::OutOfMemoryError& error) {
    out_of_memory = error.what_without_backtrace();
  }
  if (agree_on_cancel(!out_of_memory.empty())) {
    // No rank keeps copies no FP8 job can use, and the memory goes back to the driver: after
    // the failed copies the allocator's cache held it, and the next bf16 job's first kernels
    // could not load (measured: tools/check_fp8_out_of_memory.sh).
    transformer_->release_fp8();
    release_cached_memory(settings_.device);
    throw Fp8WeightsDoNotFit(out_of_memory.empty()
                                 ? "another rank's FP8 weight copies do not fit its GPU"
                                 : "this rank's FP8 weight copies do not fit its GPU: " +
                                       out_of_memory);
  }
}

at::Tensor GenerationEngine::decode_sound(const at::Tensor& sound_latents_CT) {
  if (!sound_decoder_) {
    sound_decoder_.emplace(
        sound::SoundDecoder::load(folder_.sound_tokenizer_dir, settings_.dtype, settings_.device));
  }
  return sound_decoder_->decode(sound_latents_CT).to(at::kCPU, at::kFloat);
}

pipeline::DenoiseCallbacks GenerationEngine::job_denoise_callbacks(
    const JobHooks& hooks, JobOutcome& outcome, Clock::time_point job_start,
    Clock::time_point& denoise_start) {
  pipeline::DenoiseCallbacks callbacks;
  callbacks.on_start = [&hooks, &outcome, &denoise_start, job_start](int64_t) {
    outcome.seconds["prompt"] = seconds_since(job_start);
    denoise_start = Clock::now();
    notify(hooks.on_phase, "denoising");
  };
  // Ranks stop together: one rank leaving the loop alone would leave the others waiting.
  callbacks.cancel_requested = [this, &hooks] {
    return agree_on_cancel(hooks.cancel_requested && hooks.cancel_requested());
  };
  callbacks.on_step_done = hooks.on_step;
  return callbacks;
}

PredictionCallback GenerationEngine::live_preview_callback(const JobHooks& hooks, int64_t num_steps,
                                                           double& seconds) {
  if (hooks.preview_interval <= 0 || !writes_outputs() || !vae_ || !vae_->has_decoder()) {
    return nullptr;
  }
  return [this, &hooks, num_steps, &seconds](int64_t step, const at::Tensor& latents,
                                             const at::Tensor& velocity, double sigma) {
    if (step % hooks.preview_interval != 0 || step >= num_steps) return;
    const auto preview_start = Clock::now();
    const std::filesystem::path image =
        hooks.preview_dir / ("preview-step-" + std::to_string(step) + preview_image_extension());
    write_live_preview(*vae_, latents, velocity, sigma, image);
    seconds += seconds_since(preview_start);
    if (hooks.on_preview) hooks.on_preview(step, image);
  };
}

std::vector<int64_t> GenerationEngine::gather_peak_memory() {
  const int64_t peak = peak_memory_bytes(settings_.device);
  if (!session_.world) return {peak};
  const at::Tensor mine =
      at::tensor({peak}, at::TensorOptions(at::kLong)).to(session_.world->device());
  const auto num_ranks = static_cast<size_t>(session_.world->environment().world_size);
  // One value per rank, in rank order: [1] -> [world_size].
  const at::Tensor all = session_.world->communicator()
                             ->all_gather(mine, std::vector<int64_t>(num_ranks, 1))
                             .to(at::kCPU);
  std::vector<int64_t> peaks(num_ranks);
  for (size_t rank = 0; rank < num_ranks; ++rank) {
    peaks[rank] = all[static_cast<int64_t>(rank)].item<int64_t>();
  }
  return peaks;
}

}  // namespace cosmos3::backend
