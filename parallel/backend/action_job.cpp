#include "parallel/backend/action_job.h"

#include "core/model/transformer_config.h"
#include "core/pipeline/action_canvas.h"
#include "core/pipeline/action_file.h"
#include "core/pipeline/action_generation.h"
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

constexpr const char* kActionFileName = "sample_action.json";

nlohmann::json action_metadata(const app::GenerateOptions& job, const ActionJob& action_job,
                               const pipeline::ActionGeneration& generation,
                               const EngineSettings& settings) {
  const pipeline::ActionPlan& plan = action_job.plan;
  const pipeline::ResolvedRequest& resolved = plan.resolved;
  nlohmann::json metadata = request_metadata(resolved, settings, generation.cond_input_ids.size(),
                                             generation.uncond_input_ids.size());
  metadata.update({{"caption", generation.caption},
                   {"action_mode", std::string(pipeline::action_mode_name(plan.action.mode))},
                   {"domain", plan.domain.name},
                   {"domain_id", plan.domain.domain_id},
                   {"raw_action_width", plan.raw_action_width},
                   {"chunk_size", plan.action.chunk_size},
                   {"resolution_tier", plan.action.resolution_tier},
                   {"view_point", plan.action.view_point},
                   {"content_height", plan.canvas.content_height},
                   {"content_width", plan.canvas.content_width}});
  if (job.vision_path) metadata["vision_path"] = job.vision_path->string();
  if (job.video_path) metadata["video_path"] = job.video_path->string();
  if (job.actions_path) {
    metadata["actions_path"] = job.actions_path->string();
    metadata["actions_digest"] = file_digest(*job.actions_path);
  }
  if (generation.actions_TD.defined()) metadata["actions_file"] = kActionFileName;
  seal_parameters(metadata);  // restore by drop refuses action metadata edited after this
  return metadata;
}

}  // namespace

at::Tensor read_action_frames(const app::GenerateOptions& job) {
  if (job.vision_path) return read_frames(*job.vision_path, /*max_frames=*/1);
  TORCH_CHECK(job.video_path && job.action, "an action job has an image or a video");
  return read_frames(*job.video_path, static_cast<int>(job.action->chunk_size + 1));
}

ActionJob prepare_action_job(const app::GenerateOptions& job,
                             const pipeline::PipelineFolder& folder,
                             const at::Tensor& frames_THW3) {
  TORCH_CHECK(job.action.has_value(), "prepare_action_job needs an action job");
  // Cheap checks first: a bad mode or domain is named before any file is opened.
  pipeline::check_action_request(*job.action);
  const model::TransformerConfig config =
      model::load_transformer_config(folder.transformer_dir / "config.json");
  ActionJob action_job{pipeline::plan_action(job.request, *job.action, folder, config,
                                             frames_THW3.size(1), frames_THW3.size(2)),
                       std::nullopt};
  if (job.actions_path) {
    action_job.raw_actions_TD = pipeline::read_action_file(
        *job.actions_path, action_job.plan.raw_action_width, action_job.plan.domain.name);
  }
  return action_job;
}

JobOutcome GenerationEngine::run_action(const app::GenerateOptions& job, const JobHooks& hooks,
                                        std::optional<at::Tensor> frames) {
  const auto job_start = Clock::now();
  const at::Tensor frames_THW3 = frames ? std::move(*frames) : read_action_frames(job);
  const ActionJob action_job = prepare_action_job(job, folder_, frames_THW3);
  const pipeline::ActionPlan& plan = action_job.plan;
  JobOutcome outcome;
  std::optional<JobStaging> staging;
  open_staging_on_every_rank(job.output_dir, staging);
  if (!vae_) throw ConfigError(folder_.vae_dir.string() + " has no VAE: an action job needs one");

  notify(hooks.on_phase, "encoding_conditioning");
  const auto encode_start = Clock::now();
  const at::Tensor pixels =
      pipeline::action_canvas_pixels(frames_THW3, plan.canvas, plan.resolved.request.num_frames);
  const at::Tensor canvas_latents =
      vae_->encode(pipeline::frames_the_vae_reads(pixels, folder_.vae_temporal_factor)
                       .to(settings_.device, vae_->dtype()));
  pipeline::ActionJobInputs inputs{
      pipeline::crop_latents_to_content(canvas_latents.to(at::kFloat), plan.canvas,
                                        folder_.vae_spatial_factor),
      action_job.raw_actions_TD};
  outcome.seconds["encode_conditioning"] = seconds_since(encode_start);

  notify(hooks.on_phase, "encoding_prompt");
  reset_peak_memory(settings_.device);
  auto denoise_start = Clock::now();
  pipeline::DenoiseCallbacks callbacks =
      job_denoise_callbacks(hooks, outcome, job_start, denoise_start);
  const pipeline::ActionGeneration generation = pipeline::generate_action(
      folder_, *transformer_, *tokenizer_, plan, inputs, settings_.device, guidance_, callbacks);
  outcome.num_steps_done = generation.num_steps_done;
  outcome.seconds["denoise"] = seconds_since(denoise_start);
  outcome.peak_memory_bytes = gather_peak_memory();
  if (generation.cancelled) {
    outcome.canceled = true;
    return outcome;
  }
  if (!writes_outputs()) return outcome;

  outcome.metadata = action_metadata(job, action_job, generation, settings_);
  if (job.output_latents) {
    safetensors::write_file(staging->stage(*job.output_latents),
                            {{"latents", generation.latents_BCTHW.to(c10::kCPU)}},
                            {{"generation", outcome.metadata.dump()}});
  }
  if (vae_->has_decoder()) {
    notify(hooks.on_phase, "decoding");
    const auto decode_start = Clock::now();
    const at::Tensor decoded = vae_->decode(generation.latents_BCTHW.to(vae_->dtype()));
    outcome.seconds["decode"] = seconds_since(decode_start);
    notify(hooks.on_phase, "writing");
    outcome.metadata["seconds"] = outcome.seconds;
    staging->adopt(
        write_sample(staging->staging_dir(), decoded, job.request.fps, outcome.metadata.dump()));
  }
  // After the video: clients show a job's first output (the studio's player, its history).
  if (generation.actions_TD.defined()) {
    const std::filesystem::path actions_path = staging->staging_dir() / kActionFileName;
    pipeline::write_action_file(actions_path, generation.actions_TD);
    staging->adopt(actions_path);
  }
  outcome.metadata["seconds"] = outcome.seconds;
  staging->adopt(write_generation_json(staging->staging_dir(), outcome.metadata));
  outcome.outputs = staging->commit();
  return outcome;
}

}  // namespace cosmos3::backend
