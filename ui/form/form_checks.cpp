#include "ui/form/form_checks.h"

#include "core/pipeline/conditioning.h"
#include "core/pipeline/generation_request.h"
#include "ui/form/action_form_checks.h"
#include "ui/form/form_parsing.h"
#include "ui/form/transfer_form_checks.h"

#include <QCoreApplication>

#include <functional>

namespace cosmos3::ui {
namespace {

QString tr(const char* text) { return QCoreApplication::translate("GenerationForm", text); }

using Mutation = std::function<void(pipeline::GenerationRequest&)>;

class FieldProbe {
 public:
  FieldProbe(const FormValues& values, const CheckpointCapabilities& capabilities)
      : folder_(capabilities.folder()) {
    const ModeDefaults defaults = capabilities.defaults(values.mode);
    baseline_.prompt = "field probe";
    baseline_.height = defaults.height;
    baseline_.width = defaults.width;
    baseline_.num_frames = defaults.num_frames;
    baseline_.fps = defaults.fps;
  }

  // The engine's complaint about the baseline request changed by `mutate`, if any.
  QString problem(const Mutation& mutate) const {
    pipeline::GenerationRequest request = baseline_;
    mutate(request);
    try {
      pipeline::resolve_request(request, folder_);
      return {};
    } catch (const pipeline::RequestError& error) {
      return QString::fromUtf8(error.what());
    }
  }

 private:
  const pipeline::PipelineFolder& folder_;
  pipeline::GenerationRequest baseline_;
};

class Checks {
 public:
  Checks(const FormValues& values, const CheckpointCapabilities& capabilities)
      : values_(values), capabilities_(capabilities), probe_(values, capabilities) {}

  void note(FormField field, const QString& problem) {
    if (!problem.isEmpty() && !problems_.contains(field)) {
      problems_.insert(field, problem);
    }
  }

  // A number typed as text: "not a number" here, the engine's range rule otherwise.
  void check_decimal(FormField field, const char* flag, const QString& text,
                     const std::function<void(pipeline::GenerationRequest&, double)>& apply) {
    const std::optional<double> value = parse_decimal(text);
    if (!value) {
      note(field, tr("%1 takes a number, got '%2'").arg(QLatin1String(flag), text));
      return;
    }
    note(field, probe_.problem([&](auto& request) { apply(request, *value); }));
  }

  void check_prompt() {
    const QStringList prompts = prompts_of(values_);
    const QString first = prompts.isEmpty() ? QString() : prompts.front();
    note(FormField::kPrompt,
         probe_.problem([&](auto& request) { request.prompt = first.toStdString(); }));
  }

  void check_parameters() {
    note(FormField::kNumSteps, probe_.problem([&](auto& r) { r.num_steps = values_.num_steps; }));
    check_decimal(FormField::kGuidanceScale, "--guidance-scale", values_.guidance_scale_text,
                  [](auto& r, double value) { r.guidance_scale = value; });
    if (!capabilities_.distilled()) {
      check_decimal(FormField::kFlowShift, "--flow-shift", values_.flow_shift_text,
                    [](auto& r, double value) { r.flow_shift = value; });
    }
    check_decimal(FormField::kFps, "--fps", values_.fps_text,
                  [](auto& r, double value) { r.fps = value; });
    if (values_.action.enabled()) {
      return;  // the chunk and the tier decide an action job's frames and size
    }
    note(FormField::kSize, probe_.problem([&](auto& r) {
      r.height = values_.height;
      r.width = values_.width;
    }));
  }

  // The mode's own frame rules come before the engine's general 1 + 4k rule.
  void check_num_frames() {
    // The chunk and tier decide an action job's frames; a transfer job's count is a cap on its
    // controls' length, checked by the transfer checks.
    if (values_.action.enabled() || values_.transfer.enabled()) {
      return;
    }
    const int num_frames = makes_video(values_.mode) ? values_.num_frames : 1;
    if (num_frames == 1 && values_.mode == GenerationMode::kTextToVideo) {
      note(FormField::kNumFrames, tr("a video needs more than one frame: choose 'Text to image' "
                                     "for a single frame, or 1 + 4k frames such as 93"));
    } else if (num_frames == 1 && needs_media(values_.mode)) {
      // cosmos3-generate's rule for --vision-path and --video-path.
      note(FormField::kNumFrames, tr("--vision-path and --video-path condition a video: pass "
                                     "--num-frames > 1 (image-to-image is not supported)"));
    }
    note(FormField::kNumFrames, probe_.problem([&](auto& r) { r.num_frames = num_frames; }));
  }

  void check_seed() {
    if (values_.seed_mode != SeedMode::kRandom && !parse_seed(values_.seed_text)) {
      note(FormField::kSeed, tr("the seed must be a whole number from 0 to %1, got '%2'")
                                 .arg(std::numeric_limits<int64_t>::max())
                                 .arg(values_.seed_text));
    }
  }

  void check_media() {
    if (!needs_media(values_.mode)) {
      return;
    }
    const bool image = values_.mode == GenerationMode::kImageToVideo;
    if (values_.media_path.isEmpty()) {
      note(FormField::kMedia, image ? tr("image to video needs an image: drop one on the form or "
                                         "use 'Choose…'")
                                    : tr("video to video needs a video: drop one on the form or "
                                         "use 'Choose…'"));
    }
    note(FormField::kMedia, values_.media_problem);
    if (!image && !values_.action.enabled()) {
      check_condition_frame_indexes();
    }
  }

  void check_condition_frame_indexes() {
    const std::optional<std::vector<int64_t>> indexes =
        parse_index_list(values_.condition_frame_indexes_text);
    if (!indexes) {
      note(FormField::kConditionFrameIndexes,
           tr("--condition-frame-indexes takes latent frame indexes separated by commas, e.g. "
              "0,1; got '%1'")
               .arg(values_.condition_frame_indexes_text));
      return;
    }
    try {
      pipeline::check_condition_frame_indexes(*indexes, values_.num_frames,
                                              capabilities_.folder().vae_temporal_factor);
    } catch (const pipeline::RequestError& error) {
      note(FormField::kConditionFrameIndexes, QString::fromUtf8(error.what()));
    }
  }

  // The whole request of every job, in case a rule spans fields that the probes kept apart.
  void check_whole_requests() {
    // plan_action checks action jobs, the transfer checks transfer jobs.
    if (!problems_.isEmpty() || values_.action.enabled() || values_.transfer.enabled()) {
      return;
    }
    for (const QString& prompt : prompts_of(values_)) {
      try {
        pipeline::resolve_request(engine_request_of(values_, prompt, capabilities_),
                                  capabilities_.folder());
      } catch (const pipeline::RequestError& error) {
        note(FormField::kRequest, QString::fromUtf8(error.what()));
        return;
      }
    }
  }

  QMap<FormField, QString> problems() const { return problems_; }

 private:
  const FormValues& values_;
  const CheckpointCapabilities& capabilities_;
  FieldProbe probe_;
  QMap<FormField, QString> problems_;
};

}  // namespace

QMap<FormField, QString> check_form_values(const FormValues& values,
                                           const CheckpointCapabilities& capabilities) {
  Checks checks(values, capabilities);
  if (!capabilities.offers(values.mode)) {
    checks.note(FormField::kRequest, tr("this checkpoint (or this build) cannot do %1")
                                         .arg(display_name(values.mode).toLower()));
  }
  checks.check_prompt();
  checks.check_parameters();
  checks.check_num_frames();
  checks.check_seed();
  checks.check_media();
  checks.check_whole_requests();
  QMap<FormField, QString> problems = checks.problems();
  const QMap<FormField, QString> action_problems =
      check_action_values(values, capabilities, problems.isEmpty());
  for (auto it = action_problems.begin(); it != action_problems.end(); ++it) {
    problems.insert(it.key(), it.value());
  }
  const TransferProblems transfer_problems = check_transfer_values(values, capabilities);
  if (!transfer_problems.empty()) problems.insert(FormField::kTransfer, transfer_problems.first());
  return problems;
}

}  // namespace cosmos3::ui
