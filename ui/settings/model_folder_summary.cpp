#include "ui/settings/model_folder_summary.h"

#include "app/bench_models.h"
#include "parallel/engine/rank_weight_bytes.h"

#include <QObject>
#include <QStringList>

namespace cosmos3::ui {
namespace {

bool same_shape(const model::TransformerConfig& a, const model::TransformerConfig& b) {
  return a.hidden_size == b.hidden_size && a.num_hidden_layers == b.num_hidden_layers &&
         a.num_attention_heads == b.num_attention_heads &&
         a.num_key_value_heads == b.num_key_value_heads &&
         a.intermediate_size == b.intermediate_size;
}

// The published families' shapes are the benchmarks' full-size configs.
QString family_of(const model::TransformerConfig& config) {
  for (const char* family : {"nano", "super", "edge"}) {
    if (same_shape(config, bench::family_config(family))) {
      QString name = QString::fromLatin1(family);
      name[0] = name[0].toUpper();
      return name;
    }
  }
  return QStringLiteral("custom");
}

}  // namespace

ModelFolderSummary ModelFolderSummary::read(const std::filesystem::path& dir) {
  ModelFolderSummary summary;
  summary.folder = pipeline::read_pipeline_folder(dir);
  summary.config = model::load_transformer_config(summary.folder.transformer_dir / "config.json");
  summary.family = family_of(summary.config);
  summary.num_parameters = parallel::rank_weight_bytes(summary.config, 1, at::kFloat) / 4;
  summary.sound_generation = summary.config.sound_gen;
  summary.action_generation = summary.config.action_gen;
  return summary;
}

QString ModelFolderSummary::describe() const {
  const double count = static_cast<double>(num_parameters);
  const QString parameters = count >= 1e9   ? QStringLiteral("%1 B").arg(count / 1e9, 0, 'f', 1)
                             : count >= 1e6 ? QStringLiteral("%1 M").arg(count / 1e6, 0, 'f', 1)
                                            : QString::number(num_parameters);
  QStringList capabilities;
  if (sound_generation) capabilities << QObject::tr("sound");
  if (action_generation) capabilities << QObject::tr("action");
  return QObject::tr("%1 · %2 parameters · %3 layers, %4 heads · capabilities: %5")
      .arg(family, parameters)
      .arg(config.num_hidden_layers)
      .arg(config.num_attention_heads)
      .arg(capabilities.isEmpty() ? QObject::tr("video") : capabilities.join(QStringLiteral(", ")));
}

}  // namespace cosmos3::ui
