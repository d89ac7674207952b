#include "parallel/backend/transfer_job.h"

#include "core/pipeline/conditioning.h"
#include "core/pipeline/transfer_control_maps.h"
#include "core/pipeline/transfer_generation.h"
#include "core/pipeline/transfer_intervals_act.h"
#include "core/pipeline/transfer_seed_video.h"
#include "core/safetensors/writer.h"
#include "parallel/backend/generation_engine.h"
#include "parallel/backend/generation_seal.h"
#include "parallel/backend/job_staging.h"
#include "parallel/backend/memory_stats.h"
#include "parallel/backend/request_metadata.h"
#include "parallel/backend/sample_media.h"

#include <chrono>

namespace cosmos3::backend {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void notify(const std::function<void(const std::string&)>& hook, const std::string& phase) {
  if (hook) hook(phase);
}

std::vector<pipeline::ControlHint> hints_of(const app::GenerateOptions& job) {
  std::vector<pipeline::ControlHint> hints;
  for (const app::ControlVideoPath& control : job.transfer.controls) {
    hints.push_back(control.hint);
  }
  return hints;
}

at::Tensor read_labelled_frames(const std::filesystem::path& path, const std::string& label) {
  try {
    return read_frames(path);
  } catch (const MediaError& error) {
    throw MediaError(label + ": " + error.what() +
                     " (give a video file the media module can decode)");
  }
}

// A control's record: its file, or how it was made and from what.
nlohmann::json control_record(const app::TransferFlags& flags,
                              const app::ControlVideoPath& control) {
  if (!control.made()) return control.path.string();
  nlohmann::json record{{"made_from", flags.control_source->string()}};
  if (control.hint == pipeline::ControlHint::kEdge) {
    const pipeline::EdgeMapSettings edge = flags.edge_map.value_or(pipeline::EdgeMapSettings{});
    record["low_threshold"] = edge.low_threshold;
    record["high_threshold"] = edge.high_threshold;
  } else {
    record["sigma"] = flags.blur_map.value_or(pipeline::BlurMapSettings{}).sigma;
  }
  return record;
}

// generation.json: the keys every job writes (as a request of the output's length), then what
// only transfer has.
nlohmann::json transfer_metadata(const app::GenerateOptions& job, const TransferJob& transfer_job,
                                 const pipeline::TransferGeneration& generation,
                                 const EngineSettings& settings) {
  const pipeline::TransferRequest& request = transfer_job.request;
  pipeline::ResolvedRequest resolved;
  resolved.request.prompt = request.prompt;
  resolved.request.negative_prompt = request.negative_prompt;
  resolved.request.num_frames = static_cast<int>(generation.plan.total_frames);
  resolved.request.height = static_cast<int>(request.height);
  resolved.request.width = static_cast<int>(request.width);
  resolved.request.fps = request.fps;
  resolved.request.flow_shift = request.flow_shift;
  resolved.request.seed = request.seed;
  resolved.num_steps = request.num_steps;
  resolved.guidance_scale = request.guidance.guidance_scale;
  resolved.use_system_prompt = request.use_system_prompt;
  nlohmann::json metadata = request_metadata(resolved, settings, generation.cond_input_ids.size(),
                                             generation.uncond_input_ids.size());
  nlohmann::json controls = nlohmann::json::object();
  for (const app::ControlVideoPath& control : job.transfer.controls) {
    controls[pipeline::control_hint_name(control.hint)] = control_record(job.transfer, control);
  }
  metadata.update({{"mode", "transfer"},
                   {"control", controls},
                   {"control_guidance", request.guidance.control_guidance},
                   {"num_video_frames_per_chunk", generation.plan.chunk_frames},
                   {"num_conditional_frames", request.num_conditional_frames},
                   {"num_chunks", generation.plan.num_chunks},
                   // Sealed beside the paths: a path alone would restore whatever the file
                   // holds by then.
                   {"control_digests", transfer_job.videos.control_digests}});
  // Intervals as the reference takes them: [low, high].
  if (const auto& interval = request.guidance.guidance_interval) {
    metadata["guidance_interval"] = {interval->first, interval->second};
  }
  if (const auto& interval = request.guidance.control_guidance_interval) {
    metadata["control_guidance_interval"] = {interval->first, interval->second};
  }
  if (job.video_path) {
    metadata["video_path"] = job.video_path->string();
    metadata["num_first_chunk_conditional_frames"] = request.num_first_chunk_conditional_frames;
  }
  seal_parameters(metadata);  // restore by drop refuses transfer metadata edited after this
  return metadata;
}

TransferVideos read_transfer_videos(const app::GenerateOptions& job) {
  const app::TransferFlags& flags = job.transfer;
  TransferVideos videos;
  at::Tensor source_frames;
  if (flags.control_source) {
    source_frames = read_labelled_frames(*flags.control_source, "the control source");
  }
  for (const app::ControlVideoPath& control : flags.controls) {
    const std::string hint = pipeline::control_hint_name(control.hint);
    if (!control.made()) {
      videos.controls.push_back({control.hint, control.path.string(),
                                 read_labelled_frames(control.path, "control video " + hint)});
      videos.control_digests[hint] = file_digest(control.path);
      continue;
    }
    videos.control_digests[hint] = file_digest(*flags.control_source);
    const std::string source = hint + " made from " + flags.control_source->string();
    videos.controls.push_back(
        {control.hint, source,
         control.hint == pipeline::ControlHint::kEdge
             ? pipeline::edge_control_frames(source_frames,
                                             flags.edge_map.value_or(pipeline::EdgeMapSettings{}))
             : pipeline::blur_control_frames(
                   source_frames, flags.blur_map.value_or(pipeline::BlurMapSettings{}))});
  }
  if (job.video_path) {
    videos.seed_video_THW3 =
        read_labelled_frames(*job.video_path, "the input video (--video-path)");
    // Beside the controls' digests, under a name no hint has: restore by drop checks it too.
    videos.control_digests["video"] = file_digest(*job.video_path);
  }
  return videos;
}

}  // namespace

pipeline::TransferRequest transfer_request_of(const app::GenerateOptions& job,
                                              const pipeline::PipelineFolder& folder) {
  const pipeline::GenerationRequest& given = job.request;
  const app::TransferFlags& flags = job.transfer;
  // Named, not a temporary: the preset is a reference into the preset table, and newer GCCs
  // cannot see that it outlives the hint list.
  const std::vector<pipeline::ControlHint> hints = hints_of(job);
  const pipeline::TransferPreset& preset = pipeline::transfer_preset_for(hints);
  pipeline::TransferRequest request;
  request.prompt = given.prompt;
  request.negative_prompt = given.negative_prompt;
  request.height = given.height;
  request.width = given.width;
  if (flags.num_frames_given) request.num_frames = given.num_frames;
  request.frames_per_chunk = flags.frames_per_chunk.value_or(preset.num_frames);
  request.num_conditional_frames = flags.num_conditional_frames.value_or(1);
  request.num_first_chunk_conditional_frames =
      job.video_path ? flags.num_first_chunk_conditional_frames.value_or(1) : 0;
  request.fps = flags.fps_given ? given.fps : preset.fps;
  request.num_steps = given.num_steps.value_or(35);
  request.guidance.guidance_scale = given.guidance_scale.value_or(preset.guidance_scale);
  request.guidance.control_guidance = flags.control_guidance.value_or(preset.control_guidance);
  request.guidance.guidance_interval = flags.guidance_interval;
  request.guidance.control_guidance_interval = flags.control_guidance_interval;
  pipeline::check_intervals_act(request.guidance);
  request.flow_shift = given.flow_shift.value_or(preset.flow_shift);
  request.seed = given.seed;
  request.use_system_prompt = given.use_system_prompt.value_or(true);
  pipeline::check_transfer_request(request, folder);
  return request;
}

TransferJob prepare_transfer_job(const app::GenerateOptions& job,
                                 const pipeline::PipelineFolder& folder,
                                 std::optional<TransferVideos> decoded) {
  // The request first: a bad setting is named before any file is decoded.
  TransferJob transfer_job{transfer_request_of(job, folder),
                           decoded ? std::move(*decoded) : read_transfer_videos(job),
                           {}};
  const TransferVideos& videos = transfer_job.videos;
  pipeline::check_control_frames(videos.controls, transfer_job.request);
  const int64_t num_output_frames =
      pipeline::transfer_output_frames(videos.controls, transfer_job.request.num_frames);
  // The preset's chunk length is for long videos: an output shorter than it runs as one chunk
  // of its own length, as the reference runs without a chunk length, rather than denoising a
  // padded preset-length chunk (121 frames for a 9-frame output).
  if (!job.transfer.frames_per_chunk &&
      transfer_job.request.frames_per_chunk.value_or(0) > num_output_frames) {
    transfer_job.request.frames_per_chunk = std::nullopt;
  }
  const pipeline::TransferRequest& request = transfer_job.request;
  // The chunk settings are checked against the output's length now, not at the first chunk.
  transfer_job.plan = pipeline::plan_transfer_chunks(
      num_output_frames, request.num_frames, request.frames_per_chunk,
      request.num_conditional_frames, folder.vae_temporal_factor);
  const pipeline::TransferChunkPlan& plan = transfer_job.plan;
  if (job.video_path) {
    pipeline::check_seed_video(videos.seed_video_THW3, job.video_path->string(), request,
                               plan.chunk_frames);
  }
  return transfer_job;
}

JobOutcome GenerationEngine::run_transfer(const app::GenerateOptions& job, const JobHooks& hooks,
                                          std::optional<TransferVideos> videos) {
  const auto job_start = Clock::now();
  decoding_split_ = false;
  const TransferJob transfer_job = prepare_transfer_job(job, folder_, std::move(videos));
  const pipeline::TransferRequest& request = transfer_job.request;
  JobOutcome outcome;
  std::optional<JobStaging> staging;
  open_staging_on_every_rank(job.output_dir, staging);
  if (!vae_ || !vae_->has_decoder()) {
    throw ConfigError(folder_.vae_dir.string() +
                      ": a transfer job needs the VAE's encoder and decoder on every rank (each "
                      "chunk's decoded tail seeds the next)");
  }
  const TransferVideos& decoded = transfer_job.videos;
  pipeline::TransferInputs inputs{pipeline::preprocess_controls(decoded.controls, request), {}};
  if (decoded.seed_video_THW3.defined()) {
    inputs.input_video_B3THW = pipeline::preprocess_conditioning_video(
        decoded.seed_video_THW3, request.height, request.width);
  }
  const pipeline::VaeCodec codec{
      [&](const at::Tensor& pixels) {
        return vae_->encode(pixels.to(settings_.device, vae_->dtype())).to(at::kFloat);
      },
      [&](const at::Tensor& latents) {
        return vae_->decode(latents.to(vae_->dtype())).to(at::kFloat);
      }};

  notify(hooks.on_phase, "encoding_prompt");
  reset_peak_memory(settings_.device);
  auto denoise_start = Clock::now();
  pipeline::DenoiseCallbacks callbacks =
      job_denoise_callbacks(hooks, outcome, job_start, denoise_start);
  // The target's estimate only: the controls' items are clean and predict nothing. Steps count
  // over all chunks, as the progress does.
  double preview_seconds = 0;
  callbacks.on_prediction = live_preview_callback(
      hooks, transfer_job.plan.num_chunks * request.num_steps, preview_seconds);
  const pipeline::TransferGeneration generation =
      pipeline::generate_transfer(folder_, *transformer_, *tokenizer_, request, inputs, codec,
                                  settings_.device, guidance_, callbacks);
  outcome.num_steps_done = generation.num_steps_done;
  // The chunks' encodes and decodes run between their denoise loops.
  outcome.seconds["denoise_encode_decode"] = seconds_since(denoise_start);
  if (callbacks.on_prediction) outcome.seconds["preview"] = preview_seconds;
  outcome.peak_memory_bytes = gather_peak_memory();
  if (generation.cancelled) {
    outcome.canceled = true;
    return outcome;
  }
  if (!writes_outputs()) return outcome;

  outcome.metadata = transfer_metadata(job, transfer_job, generation, settings_);
  if (job.output_latents) {
    safetensors::write_file(staging->stage(*job.output_latents),
                            {{"latents", generation.last_latents_BCTHW.to(c10::kCPU)}},
                            {{"generation", outcome.metadata.dump()}});
  }
  notify(hooks.on_phase, "writing");
  outcome.metadata["seconds"] = outcome.seconds;
  staging->adopt(write_sample(staging->staging_dir(), generation.video_B3THW, request.fps,
                              outcome.metadata.dump()));
  staging->adopt(write_generation_json(staging->staging_dir(), outcome.metadata));
  outcome.outputs = staging->commit();
  return outcome;
}

}  // namespace cosmos3::backend
