#include "ui/form/transfer_form_checks.h"

#include "core/pipeline/transfer_chunks.h"
#include "core/pipeline/transfer_control_maps.h"
#include "core/pipeline/transfer_controls.h"
#include "core/pipeline/transfer_intervals_act.h"
#include "core/pipeline/transfer_request.h"
#include "core/pipeline/transfer_seed_video.h"
#include "ui/form/form_parsing.h"

#include <ATen/ops/empty.h>

#include <QCoreApplication>

#include <functional>

namespace cosmos3::ui {
namespace {

QString tr(const char* text) { return QCoreApplication::translate("GenerationForm", text); }

QString engine_problem(const std::function<void()>& check) {
  try {
    check();
    return {};
  } catch (const pipeline::RequestError& error) {
    return QString::fromUtf8(error.what());
  }
}

pipeline::TransferRequest transfer_request_of(const FormValues& values,
                                              const CheckpointCapabilities& capabilities) {
  const QStringList prompts = prompts_of(values);
  const pipeline::GenerationRequest common =
      engine_request_of(values, prompts.value(0), capabilities);
  const TransferValues& transfer = values.transfer;
  pipeline::TransferRequest request;
  request.prompt = common.prompt;
  request.negative_prompt = common.negative_prompt;
  request.height = common.height;
  request.width = common.width;
  request.num_frames = values.num_frames;  // the form always sends the cap
  request.frames_per_chunk = transfer.num_video_frames_per_chunk;
  request.num_conditional_frames = transfer.num_conditional_frames;
  request.fps = common.fps;
  request.num_steps = common.num_steps.value_or(35);
  request.guidance.guidance_scale = common.guidance_scale.value_or(1.0);
  request.guidance.control_guidance =
      parse_decimal(transfer.control_guidance_text).value_or(request.guidance.control_guidance);
  const auto timesteps = [](const std::optional<std::pair<int, int>>& interval) {
    return interval ? pipeline::GuidanceInterval(
                          std::pair<double, double>(interval->first, interval->second))
                    : std::nullopt;
  };
  request.guidance.guidance_interval = timesteps(transfer.guidance_interval);
  request.guidance.control_guidance_interval = timesteps(transfer.control_guidance_interval);
  request.num_first_chunk_conditional_frames =
      transfer.seed_video.isEmpty() ? 0 : transfer.num_first_chunk_conditional_frames;
  request.flow_shift = common.flow_shift;
  request.use_system_prompt = common.use_system_prompt.value_or(true);
  return request;
}

// Frames of the read video's shape without its pixels: the engine's checks read only sizes.
at::Tensor shaped_like(const ControlVideoInfo& info) {
  return at::empty({1, 1, 1, 3}, at::kByte)
      .expand({info.num_frames, info.frame_size.height(), info.frame_size.width(), 3});
}

// A one-pixel clip for the map settings' own checks, which come before any pixel is read.
at::Tensor settings_probe() { return at::empty({1, 1, 1, 3}, at::kByte).zero_(); }

class TransferChecks {
 public:
  TransferChecks(const FormValues& values, const CheckpointCapabilities& capabilities)
      : values_(values), transfer_(values.transfer), capabilities_(capabilities) {}

  TransferProblems run() {
    check_job_kind();
    check_controls();
    check_map_settings();
    if (problems_.settings.isEmpty()) {
      problems_.settings = number_problem(transfer_.control_guidance_text, "--control-guidance");
    }
    const pipeline::TransferRequest request = transfer_request_of(values_, capabilities_);
    if (problems_.settings.isEmpty()) {
      problems_.settings = engine_problem(
          [&] { pipeline::check_transfer_request(request, capabilities_.folder()); });
    }
    check_intervals(request.guidance);
    check_seed_video_read();
    if (problems_.controls.isEmpty() && problems_.control_source.isEmpty()) {
      check_read_controls(request);
    }
    return problems_;
  }

 private:
  void check_job_kind() {
    if (values_.mode != GenerationMode::kTextToVideo) {
      problems_.settings =
          tr("a transfer job generates its video from the control videos, so it takes no input "
             "image or video: choose 'Text to video' (or set every hint to 'None')");
    } else if (values_.sound) {
      problems_.settings =
          tr("sound cannot be made with a transfer job: untick 'Sound' (or set every hint to "
             "'None')");
    } else if (values_.action.enabled()) {
      problems_.settings =
          tr("an action job cannot be steered by control videos: set the action mode to 'None' "
             "(or every hint to 'None')");
    }
  }

  void check_controls() {
    for (auto it = transfer_.controls.begin(); it != transfer_.controls.end(); ++it) {
      const QString hint = hint_key(it.key());
      const ControlChoice& control = it.value();
      if (control.origin == ControlOrigin::kFile) {
        if (control.path.isEmpty()) {
          problems_.controls.insert(it.key(),
                                    tr("the %1 hint needs its control video: drop one here or use "
                                       "'Choose…' (or set the hint to 'None')")
                                        .arg(hint));
        } else if (!control.info.problem.isEmpty()) {
          problems_.controls.insert(it.key(), control.info.problem);
        }
      }
    }
    if (!transfer_.makes_any()) return;
    if (transfer_.control_source.isEmpty()) {
      problems_.control_source =
          tr("edge and blur controls made here are made from a video: drop the source video "
             "here or use 'Choose…'");
    } else {
      problems_.control_source = transfer_.control_source_info.problem;
    }
  }

  // Each interval alone, so that its message sits beside its own field.
  void check_intervals(const pipeline::TransferGuidance& guidance) {
    pipeline::TransferGuidance text_only = guidance;
    text_only.control_guidance_interval.reset();
    problems_.guidance_interval = engine_problem([&] { pipeline::check_intervals_act(text_only); });
    pipeline::TransferGuidance control_only = guidance;
    control_only.guidance_interval.reset();
    problems_.control_guidance_interval =
        engine_problem([&] { pipeline::check_intervals_act(control_only); });
  }

  void check_seed_video_read() {
    if (!transfer_.seed_video.isEmpty()) problems_.seed_video = transfer_.seed_video_info.problem;
  }

  QString number_problem(const QString& text, const char* flag) const {
    return parse_decimal(text) ? QString()
                               : tr("%1 takes a number, got '%2'").arg(QLatin1String(flag), text);
  }

  void check_map_settings() {
    QString problem;
    if (transfer_.makes(pipeline::ControlHint::kEdge)) {
      problem = number_problem(transfer_.edge_low_threshold_text, "--edge-thresholds");
      if (problem.isEmpty()) {
        problem = number_problem(transfer_.edge_high_threshold_text, "--edge-thresholds");
      }
      if (problem.isEmpty()) {
        const pipeline::EdgeMapSettings edge{*parse_decimal(transfer_.edge_low_threshold_text),
                                             *parse_decimal(transfer_.edge_high_threshold_text)};
        problem = engine_problem([&] { pipeline::edge_control_frames(settings_probe(), edge); });
      }
      if (!problem.isEmpty()) problems_.controls.insert(pipeline::ControlHint::kEdge, problem);
    }
    if (transfer_.makes(pipeline::ControlHint::kBlur)) {
      problem = number_problem(transfer_.blur_sigma_text, "--blur-sigma");
      if (problem.isEmpty()) {
        const pipeline::BlurMapSettings blur{*parse_decimal(transfer_.blur_sigma_text)};
        problem = engine_problem([&] { pipeline::blur_control_frames(settings_probe(), blur); });
      }
      if (!problem.isEmpty()) problems_.controls.insert(pipeline::ControlHint::kBlur, problem);
    }
  }

  // Each control's size and length, then (when the settings pass) the controls together and the
  // chunks they make; only once every video has been read.
  void check_read_controls(const pipeline::TransferRequest& request) {
    std::vector<pipeline::ControlFrames> controls;
    for (const pipeline::ControlHint hint : transfer_.hints()) {
      const ControlChoice& control = transfer_.controls.value(hint);
      const ControlVideoInfo& info = control.origin == ControlOrigin::kMadeFromSource
                                         ? transfer_.control_source_info
                                         : control.info;
      if (!info.known()) {
        if (problems_.settings.isEmpty())
          problems_.settings = tr("still reading the control videos");
        return;
      }
      const std::string source = control.origin == ControlOrigin::kMadeFromSource
                                     ? pipeline::control_hint_name(hint) + " made from " +
                                           transfer_.control_source.toStdString()
                                     : control.path.toStdString();
      controls.push_back({hint, source, shaped_like(info)});
      const QString alone =
          engine_problem([&] { pipeline::check_control_frames({controls.back()}, request); });
      if (!alone.isEmpty()) problems_.controls.insert(hint, alone);
    }
    if (!problems_.controls.isEmpty() || !problems_.settings.isEmpty()) return;
    pipeline::TransferChunkPlan plan;
    problems_.settings = engine_problem([&] {
      pipeline::check_control_frames(controls, request);
      plan = pipeline::plan_transfer_chunks(
          pipeline::transfer_output_frames(controls, request.num_frames), request.num_frames,
          request.frames_per_chunk, request.num_conditional_frames,
          capabilities_.folder().vae_temporal_factor);
    });
    if (problems_.settings.isEmpty() && !transfer_.seed_video.isEmpty() &&
        problems_.seed_video.isEmpty()) {
      // The first chunk's length is the plan's, as the worker checks it (prepare_transfer_job).
      problems_.seed_video = engine_problem([&] {
        pipeline::check_seed_video(shaped_like(transfer_.seed_video_info),
                                   transfer_.seed_video.toStdString(), request, plan.chunk_frames);
      });
    }
  }

  const FormValues& values_;
  const TransferValues& transfer_;
  const CheckpointCapabilities& capabilities_;
  TransferProblems problems_;
};

}  // namespace

QString TransferProblems::first() const {
  if (!controls.isEmpty()) return controls.first();
  for (const QString* problem :
       {&control_source, &guidance_interval, &control_guidance_interval, &seed_video}) {
    if (!problem->isEmpty()) return *problem;
  }
  return settings;
}

TransferProblems check_transfer_values(const FormValues& values,
                                       const CheckpointCapabilities& capabilities) {
  if (!values.transfer.enabled()) return {};
  return TransferChecks(values, capabilities).run();
}

}  // namespace cosmos3::ui
