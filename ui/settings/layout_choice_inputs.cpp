#include "ui/settings/layout_choice_inputs.h"

#include "core/pipeline/generation_request.h"

#include <QCoreApplication>

#include <algorithm>

namespace cosmos3::ui {
namespace {

// The planner's workload fields that make up the job's kind (its passes).
void set_job_kind(const PlannedJob& job, parallel::LayoutWorkload& workload) {
  workload.guided = job.guided;
  workload.num_control_hints = job.num_control_hints;
  workload.control_guided = job.num_control_hints > 0 && job.control_guided;
}

}  // namespace

QString LayoutChoiceInputs::deviceName() const {
  return device == QLatin1String("cuda") && !gpus.isEmpty() ? gpus.first().name
                                                            : QStringLiteral("cpu");
}

PlannedJob PlannedJob::of(const QJsonObject& job) {
  PlannedJob planned;
  planned.height = job.value(QStringLiteral("height")).toInt(planned.height);
  planned.width = job.value(QStringLiteral("width")).toInt(planned.width);
  planned.num_frames = job.value(QStringLiteral("num_frames")).toInt(planned.num_frames);
  const bool transfer = job.contains(QStringLiteral("control"));
  if (job.contains(QStringLiteral("guidance_scale"))) {
    // As the pipelines decide: vision jobs guide at any scale but 1, transfer above 1.
    const double scale = job.value(QStringLiteral("guidance_scale")).toDouble();
    planned.guided = transfer ? scale > 1.0 : scale != 1.0;
  }
  if (transfer) {
    // A transfer job denoises one chunk at a time; an output shorter than a chunk is one chunk.
    planned.num_frames =
        std::min(planned.num_frames,
                 job.value(QStringLiteral("num_video_frames_per_chunk")).toInt(planned.num_frames));
    planned.num_control_hints =
        static_cast<int>(job.value(QStringLiteral("control")).toObject().size());
    planned.control_guided = job.value(QStringLiteral("control_guidance")).toDouble(1.0) != 1.0;
  }
  return planned;
}

int PlannedJob::num_passes() const {
  // The planner's own rule, so the count and the pricing cannot disagree.
  parallel::LayoutWorkload kind;
  set_job_kind(*this, kind);
  return static_cast<int>(parallel::workload_passes(kind).size());
}

QString PlannedJob::describe() const {
  const auto tr = [](const char* text) { return QCoreApplication::translate("PlannedJob", text); };
  const QString size = tr("%1×%2, %3 frames").arg(width).arg(height).arg(num_frames);
  const QString passes =
      num_passes() == 1 ? tr("1 pass a step") : tr("%1 passes a step").arg(num_passes());
  if (num_control_hints > 0) {
    const QString controls =
        num_control_hints == 1 ? tr("1 control") : tr("%1 controls").arg(num_control_hints);
    return tr("%1; transfer, %2: %3").arg(size, controls, passes);
  }
  return tr("%1; %2: %3").arg(size, guided ? tr("guided") : tr("unguided"), passes);
}

parallel::LayoutWorkload LayoutChoiceInputs::workload() const {
  pipeline::GenerationRequest request;
  request.height = job.height;
  request.width = job.width;
  request.num_frames = job.num_frames;
  const std::vector<int64_t> latent =
      pipeline::latent_shape_of(request, model.config.latent_channel, model.folder);
  parallel::LayoutWorkload workload;
  workload.num_generation_tokens =
      parallel::num_vision_tokens({latent[2], latent[3], latent[4]}, model.config);
  workload.dtype = dtype == QLatin1String("float32") ? at::kFloat : at::kBFloat16;
  workload.fp8 = fp8;
  set_job_kind(job, workload);
  return workload;
}

std::vector<parallel::LayoutOption> plan_layout_choices(const LayoutChoiceInputs& inputs) {
  const bool on_gpus = inputs.device == QLatin1String("cuda");
  parallel::LayoutPlanRequest request;
  request.config = inputs.model.config;
  request.workload = inputs.workload();
  request.num_ranks = on_gpus ? static_cast<int>(inputs.gpus.size()) : inputs.num_cpu_ranks;
  request.device_name = inputs.deviceName().toStdString();
  if (on_gpus && !inputs.gpus.isEmpty()) {
    request.memory_per_rank_bytes =
        std::min_element(inputs.gpus.begin(), inputs.gpus.end(), [](const auto& a, const auto& b) {
          return a.free_memory_bytes < b.free_memory_bytes;
        })->free_memory_bytes;
  }
  if (!on_gpus) request.step_coefficients = parallel::StepCostCoefficients::cpu();
  const parallel::LayoutMeasurements measurements =
      inputs.measurements_file.isEmpty()
          ? parallel::LayoutMeasurements()
          : parallel::LayoutMeasurements::load(inputs.measurements_file.toStdString());
  request.measurements = &measurements;
  return parallel::plan_layouts(request);
}

}  // namespace cosmos3::ui
