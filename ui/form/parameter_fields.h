#pragma once
// The generation parameters of the form: steps, guidance, flow shift, fps, size (a preset the
// checkpoint accepts, or custom) and frame count, and the system prompt switch, each with the
// message that explains it when it breaks a rule, and the sound switch where the checkpoint
// offers sound (video modes only: a soundtrack goes with a video). Distilled checkpoints fix steps,
// guidance and the schedule, so those fields show the fixed values and cannot be edited.

#include "ui/form/checkpoint_capabilities.h"
#include "ui/form/form_field.h"
#include "ui/form/form_values.h"

#include <QMap>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace cosmos3::ui {

class ParameterFields : public QWidget {
  Q_OBJECT

 public:
  // `capabilities` must outlive the widget.
  explicit ParameterFields(const CheckpointCapabilities& capabilities, QWidget* parent = nullptr);

  // Offers `mode`'s size presets; text to image pins the frame count to 1, and leaving it brings
  // back the frame count the video modes had.
  void setMode(GenerationMode mode);
  // Every field from the mode's defaults.
  void resetToDefaults(GenerationMode mode);

  void readInto(FormValues& values) const;
  void writeFrom(const FormValues& values);
  void showMessages(const QMap<FormField, QString>& messages);
  // Hides the size and frame rows: an action job takes them from its chunk and tier.
  void setSizeRowsVisible(bool visible);

 Q_SIGNALS:
  void changed();

 private:
  QLabel* add_row(QFormLayout* layout, const QString& label, QWidget* field, const char* name);
  void fill_presets();
  void apply_preset(int index);
  void select_matching_preset();

  const CheckpointCapabilities& capabilities_;
  GenerationMode mode_ = GenerationMode::kTextToVideo;
  QList<SizePreset> presets_;
  int video_num_frames_ = 189;
  bool syncing_ = false;

  QSpinBox* num_steps_;
  QLineEdit* guidance_scale_;
  QLineEdit* flow_shift_;
  QLineEdit* fps_;
  QComboBox* size_preset_;
  QSpinBox* height_;
  QSpinBox* width_;
  QSpinBox* num_frames_;
  QCheckBox* use_system_prompt_;
  QCheckBox* sound_;
  QMap<FormField, QLabel*> messages_;
};

}  // namespace cosmos3::ui
