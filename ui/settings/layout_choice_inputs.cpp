#include "ui/settings/layout_choice_inputs.h"

#include "core/pipeline/generation_request.h"

#include <algorithm>

namespace cosmos3::ui {

QString LayoutChoiceInputs::deviceName() const {
  return device == QLatin1String("cuda") && !gpus.isEmpty() ? gpus.first().name
                                                            : QStringLiteral("cpu");
}

parallel::LayoutWorkload LayoutChoiceInputs::workload() const {
  pipeline::GenerationRequest request;
  request.height = height;
  request.width = width;
  request.num_frames = num_frames;
  const std::vector<int64_t> latent =
      pipeline::latent_shape_of(request, model.config.latent_channel, model.folder);
  parallel::LayoutWorkload workload;
  workload.num_generation_tokens =
      parallel::num_vision_tokens({latent[2], latent[3], latent[4]}, model.config);
  workload.dtype = dtype == QLatin1String("float32") ? at::kFloat : at::kBFloat16;
  workload.fp8 = fp8;
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
