#pragma once
// Named parameter sets per mode (steps, guidance, shift, size, frames, fps, negative prompt,
// system prompt): one JSON file each under the studio's config folder
// (QStandardPaths::AppConfigLocation/presets/<mode>/<name>.json), in the same format a preset
// is exported and imported in:
//   {"cosmos3_preset": 1, "mode": "text_to_video", "name": "...", "parameters": {...}}
// where "parameters" holds job-object keys (the backend protocol's). The prompt, the seed and
// the input files are the job's own and never part of a preset.

#include "ui/form/generation_mode.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace cosmos3::ui {

class PresetStore {
 public:
  explicit PresetStore(QString root = default_root());
  static QString default_root();
  // "text_to_video", ...: the folder and file name of a mode.
  static QString mode_key(GenerationMode mode);
  // The keys of `job` a preset keeps.
  static QJsonObject parameters_of(const QJsonObject& job);
  // `job` with a preset's `parameters` applied: the preset's keys replace the job's, its
  // guidance intervals replace a transfer job's (none in the preset: none in the job), and a
  // job without controls takes none of the transfer keys.
  static QJsonObject applied_to(const QJsonObject& parameters, QJsonObject job);

  // Sorted names.
  QStringList names(GenerationMode mode) const;
  bool contains(GenerationMode mode, const QString& name) const;
  // Each throws UserError naming the preset, the file and the fix: a name that cannot be a
  // file name, an unknown preset, a file that is not a preset of this mode, a disk error.
  void save(GenerationMode mode, const QString& name, const QJsonObject& job);
  QJsonObject load(GenerationMode mode, const QString& name) const;  // the parameters
  void rename(GenerationMode mode, const QString& from, const QString& to);
  void remove(GenerationMode mode, const QString& name);
  void exportTo(GenerationMode mode, const QString& name, const QString& file) const;
  // Stores the file's preset under its own name (replacing one of that name); returns it.
  QString importFrom(GenerationMode mode, const QString& file);

 private:
  QString path_of(GenerationMode mode, const QString& name) const;
  static QJsonObject read_preset(const QString& file, GenerationMode mode);
  static void write_preset(const QString& file, GenerationMode mode, const QString& name,
                           const QJsonObject& parameters);

  QString root_;
};

}  // namespace cosmos3::ui
