#include "ui/form/form_parsing.h"

#include <QLocale>

#include <cmath>
#include <limits>

namespace cosmos3::ui {

std::optional<double> parse_decimal(const QString& text) {
  bool ok = false;
  const double value = QLocale::c().toDouble(text.trimmed(), &ok);
  if (!ok || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<int64_t> parse_seed(const QString& text) {
  bool ok = false;
  const qlonglong value = text.trimmed().toLongLong(&ok);
  if (!ok || value < 0) {
    return std::nullopt;
  }
  return static_cast<int64_t>(value);
}

std::optional<std::vector<int64_t>> parse_index_list(const QString& text) {
  std::vector<int64_t> indexes;
  if (text.trimmed().isEmpty()) {
    return indexes;
  }
  for (const QString& item : text.split(QLatin1Char(','))) {
    bool ok = false;
    const qlonglong index = item.trimmed().toLongLong(&ok);
    if (!ok) {
      return std::nullopt;
    }
    indexes.push_back(static_cast<int64_t>(index));
  }
  return indexes;
}

QString decimal_text(double value) {
  return QLocale::c().toString(value, 'g', QLocale::FloatingPointShortest);
}

QString index_list_text(const std::vector<int64_t>& indexes) {
  QStringList items;
  for (const int64_t index : indexes) {
    items.push_back(QString::number(index));
  }
  return items.join(QLatin1Char(','));
}

QStringList prompts_of(const FormValues& values) {
  if (!values.one_job_per_line) {
    return {values.prompt};
  }
  QStringList prompts;
  for (QString line : values.prompt.split(QLatin1Char('\n'))) {
    if (line.endsWith(QLatin1Char('\r'))) {
      line.chop(1);
    }
    if (!line.trimmed().isEmpty()) {
      prompts.push_back(line);
    }
  }
  return prompts;
}

pipeline::GenerationRequest engine_request_of(const FormValues& values, const QString& prompt,
                                              const CheckpointCapabilities& capabilities) {
  const ModeDefaults defaults = capabilities.defaults(values.mode);
  pipeline::GenerationRequest request;
  request.prompt = prompt.toStdString();
  request.negative_prompt = values.negative_prompt.toStdString();
  request.num_frames = makes_video(values.mode) ? values.num_frames : 1;
  request.height = values.height;
  request.width = values.width;
  request.fps = parse_decimal(values.fps_text).value_or(defaults.fps);
  request.num_steps = values.num_steps;
  request.guidance_scale =
      parse_decimal(values.guidance_scale_text).value_or(defaults.guidance_scale);
  // Distilled checkpoints refuse any flow shift: their schedule is fixed.
  if (!capabilities.distilled()) {
    const std::optional<double> flow_shift = parse_decimal(values.flow_shift_text);
    request.flow_shift = flow_shift ? flow_shift : defaults.flow_shift;
  }
  request.seed = static_cast<uint64_t>(parse_seed(values.seed_text).value_or(0));
  request.use_system_prompt = values.use_system_prompt;
  // The switch stays ticked across a trip through text to image, which makes no sound.
  request.enable_sound = values.sound && makes_video(values.mode);
  return request;
}

}  // namespace cosmos3::ui
