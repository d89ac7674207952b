#include "ui/form/parameter_fields.h"

#include "ui/form/form_parsing.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

namespace cosmos3::ui {
namespace {

// Wide ranges on purpose: a value the engine refuses is explained, not silently clamped.
QSpinBox* spin_box(QWidget* parent, const char* name, int maximum, int step) {
  auto* box = new QSpinBox(parent);
  box->setObjectName(QLatin1String(name));
  box->setRange(0, maximum);
  box->setSingleStep(step);
  return box;
}

QLineEdit* number_edit(QWidget* parent, const char* name) {
  auto* edit = new QLineEdit(parent);
  edit->setObjectName(QLatin1String(name));
  return edit;
}

}  // namespace

ParameterFields::ParameterFields(const CheckpointCapabilities& capabilities, QWidget* parent)
    : QWidget(parent),
      capabilities_(capabilities),
      num_steps_(spin_box(this, "steps", 10000, 1)),
      guidance_scale_(number_edit(this, "guidance_scale")),
      flow_shift_(number_edit(this, "flow_shift")),
      fps_(number_edit(this, "fps")),
      size_preset_(new QComboBox(this)),
      height_(spin_box(this, "height", 16384, 16)),
      width_(spin_box(this, "width", 16384, 16)),
      num_frames_(spin_box(this, "num_frames", 100000, 4)),
      use_system_prompt_(new QCheckBox(tr("Use the system prompt"), this)),
      sound_(new QCheckBox(tr("Sound"), this)) {
  size_preset_->setObjectName(QStringLiteral("size_preset"));
  use_system_prompt_->setObjectName(QStringLiteral("use_system_prompt"));
  sound_->setObjectName(QStringLiteral("sound"));

  auto* size = new QWidget(this);
  auto* size_layout = new QHBoxLayout(size);
  size_layout->setContentsMargins(0, 0, 0, 0);
  size_layout->addWidget(size_preset_, 1);
  size_layout->addWidget(height_);
  size_layout->addWidget(new QLabel(QStringLiteral("×"), size));
  size_layout->addWidget(width_);

  auto* layout = new QFormLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  messages_.insert(FormField::kSize, add_row(layout, tr("Size (height × width)"), size, "size"));
  messages_.insert(FormField::kNumFrames, add_row(layout, tr("Frames"), num_frames_, "num_frames"));
  messages_.insert(FormField::kFps, add_row(layout, tr("Frame rate"), fps_, "fps"));
  messages_.insert(FormField::kNumSteps, add_row(layout, tr("Steps"), num_steps_, "steps"));
  messages_.insert(FormField::kGuidanceScale,
                   add_row(layout, tr("Guidance scale"), guidance_scale_, "guidance_scale"));
  messages_.insert(FormField::kFlowShift,
                   add_row(layout, tr("Flow shift"), flow_shift_, "flow_shift"));
  layout->addRow(QString(), use_system_prompt_);
  layout->addRow(QString(), sound_);
  // Hidden, not disabled: a checkpoint without a usable sound tokenizer never makes sound, and
  // the form's note says why.
  sound_->setVisible(capabilities_.offers_sound());

  if (capabilities_.distilled()) {
    const QString fixed = tr("Fixed by this distilled checkpoint");
    for (QWidget* field :
         {static_cast<QWidget*>(num_steps_), static_cast<QWidget*>(guidance_scale_),
          static_cast<QWidget*>(flow_shift_)}) {
      field->setEnabled(false);
      field->setToolTip(fixed);
    }
    flow_shift_->setPlaceholderText(tr("fixed schedule"));
  }

  const auto changed_by_user = [this] {
    if (!syncing_) {
      Q_EMIT changed();
    }
  };
  for (QLineEdit* edit : {guidance_scale_, flow_shift_, fps_}) {
    connect(edit, &QLineEdit::textChanged, this, changed_by_user);
  }
  for (QSpinBox* box : {num_steps_, height_, width_, num_frames_}) {
    connect(box, &QSpinBox::valueChanged, this, [this, changed_by_user] {
      select_matching_preset();
      changed_by_user();
    });
  }
  connect(num_frames_, &QSpinBox::valueChanged, this, [this](int value) {
    if (makes_video(mode_)) {
      video_num_frames_ = value;
    }
  });
  connect(use_system_prompt_, &QCheckBox::toggled, this, changed_by_user);
  connect(sound_, &QCheckBox::toggled, this, changed_by_user);
  connect(size_preset_, &QComboBox::activated, this, [this, changed_by_user](int index) {
    apply_preset(index);
    changed_by_user();
  });
  resetToDefaults(mode_);
}

QLabel* ParameterFields::add_row(QFormLayout* layout, const QString& label, QWidget* field,
                                 const char* name) {
  auto* message = new QLabel(this);
  message->setObjectName(QLatin1String(name) + QLatin1String("_error"));
  message->setWordWrap(true);
  message->setStyleSheet(QStringLiteral("color: #c62828"));
  message->setVisible(false);
  auto* column = new QWidget(this);
  auto* column_layout = new QVBoxLayout(column);
  column_layout->setContentsMargins(0, 0, 0, 0);
  column_layout->addWidget(field);
  column_layout->addWidget(message);
  layout->addRow(label, column);
  return message;
}

void ParameterFields::setMode(GenerationMode mode) {
  syncing_ = true;
  mode_ = mode;
  num_frames_->setEnabled(makes_video(mode));
  num_frames_->setToolTip(makes_video(mode) ? QString() : tr("An image is one frame"));
  num_frames_->setValue(makes_video(mode) ? video_num_frames_ : 1);
  sound_->setEnabled(makes_video(mode));
  sound_->setToolTip(makes_video(mode)
                         ? tr("Also generate a stereo soundtrack: AAC in sample.mp4, and "
                              "sample.wav beside it")
                         : tr("A soundtrack goes with a video"));
  fill_presets();
  syncing_ = false;
}

void ParameterFields::resetToDefaults(GenerationMode mode) {
  const ModeDefaults defaults = capabilities_.defaults(mode);
  syncing_ = true;
  num_steps_->setValue(defaults.num_steps);
  guidance_scale_->setText(decimal_text(defaults.guidance_scale));
  flow_shift_->setText(defaults.flow_shift ? decimal_text(*defaults.flow_shift) : QString());
  fps_->setText(decimal_text(defaults.fps));
  height_->setValue(defaults.height);
  width_->setValue(defaults.width);
  if (makes_video(mode)) {
    video_num_frames_ = defaults.num_frames;
  }
  use_system_prompt_->setChecked(defaults.use_system_prompt);
  syncing_ = false;
  setMode(mode);
}

void ParameterFields::fill_presets() {
  presets_ = capabilities_.size_presets(mode_);
  size_preset_->clear();
  for (const SizePreset& preset : presets_) {
    size_preset_->addItem(preset.label);
  }
  size_preset_->addItem(tr("Custom"));
  select_matching_preset();
}

void ParameterFields::apply_preset(int index) {
  if (index < 0 || index >= presets_.size()) {
    return;  // "Custom": the fields stay as they are
  }
  const bool was_syncing = syncing_;
  syncing_ = true;
  height_->setValue(presets_[index].height);
  width_->setValue(presets_[index].width);
  num_frames_->setValue(presets_[index].num_frames);
  syncing_ = was_syncing;
  select_matching_preset();
}

void ParameterFields::select_matching_preset() {
  const SizePreset current{QString(), height_->value(), width_->value(), num_frames_->value()};
  qsizetype match = presets_.size();  // "Custom"
  for (qsizetype index = 0; index < presets_.size(); ++index) {
    const SizePreset& preset = presets_[index];
    if (preset.height == current.height && preset.width == current.width &&
        preset.num_frames == current.num_frames) {
      match = index;
      break;
    }
  }
  size_preset_->setCurrentIndex(static_cast<int>(match));
}

void ParameterFields::readInto(FormValues& values) const {
  values.num_steps = num_steps_->value();
  values.guidance_scale_text = guidance_scale_->text();
  values.flow_shift_text = flow_shift_->text();
  values.fps_text = fps_->text();
  values.height = height_->value();
  values.width = width_->value();
  values.num_frames = num_frames_->value();
  values.use_system_prompt = use_system_prompt_->isChecked();
  values.sound = capabilities_.offers_sound() && sound_->isChecked();
}

void ParameterFields::writeFrom(const FormValues& values) {
  syncing_ = true;
  num_steps_->setValue(values.num_steps);
  guidance_scale_->setText(values.guidance_scale_text);
  flow_shift_->setText(values.flow_shift_text);
  fps_->setText(values.fps_text);
  height_->setValue(values.height);
  width_->setValue(values.width);
  if (makes_video(values.mode)) {
    video_num_frames_ = values.num_frames;
  }
  use_system_prompt_->setChecked(values.use_system_prompt);
  sound_->setChecked(values.sound);
  mode_ = values.mode;
  syncing_ = false;
  setMode(values.mode);
  // In a video mode an out-of-rule count such as 1 is shown as given, so its message makes sense.
  num_frames_->setValue(values.num_frames);
}

void ParameterFields::setSizeRowsVisible(bool visible) {
  auto* form_layout = static_cast<QFormLayout*>(layout());
  for (const FormField field : {FormField::kSize, FormField::kNumFrames}) {
    // The row's field is the column holding the input and its message.
    form_layout->setRowVisible(messages_.value(field)->parentWidget(), visible);
  }
}

void ParameterFields::showMessages(const QMap<FormField, QString>& messages) {
  for (auto it = messages_.begin(); it != messages_.end(); ++it) {
    const QString message = messages.value(it.key());
    it.value()->setText(message);
    it.value()->setVisible(!message.isEmpty());
  }
}

}  // namespace cosmos3::ui
