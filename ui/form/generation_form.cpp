#include "ui/form/generation_form.h"

#include "core/pipeline/action_request.h"
#include "core/pipeline/prompt_template.h"
#include "core/pipeline/transfer_hint.h"
#include "core/pipeline/transfer_prompt.h"
#include "ui/form/action_panel.h"
#include "ui/form/action_prompt.h"
#include "ui/form/conditioning_media_field.h"
#include "ui/form/dropped_file.h"
#include "ui/form/effective_prompt_view.h"
#include "ui/form/field_message.h"
#include "ui/form/form_checks.h"
#include "ui/form/form_parsing.h"
#include "ui/form/job_objects.h"
#include "ui/form/parameter_fields.h"
#include "ui/form/prompt_editor.h"
#include "ui/form/transfer_form_checks.h"
#include "ui/form/transfer_job_keys.h"
#include "ui/form/transfer_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QSpinBox>
#include <QUrl>
#include <QVBoxLayout>

namespace cosmos3::ui {
namespace {

QString capability_note(const CheckpointCapabilities& capabilities) {
  QStringList notes;
  if (capabilities.action_generation() && !capabilities.offers_actions()) {
    // The Actions panel is hidden; say why (the engine's plan_action refuses distilled
    // checkpoints, and the inputs need the VAE's encoder).
    notes.push_back(
        QObject::tr("This checkpoint's transformer can generate actions, but action jobs need a "
                    "checkpoint that is not distilled and a VAE that encodes the input image or "
                    "video."));
  }
  if (capabilities.sound_generation() && !capabilities.offers_sound()) {
    // The Sound switch is hidden; say why, so a folder missing its tokenizer can be fixed.
    notes.push_back(
        QObject::tr("This checkpoint's transformer can generate sound, but the folder cannot "
                    "make it: %1")
            .arg(capabilities.sound_problem()));
  }
  if (!capabilities.offers_transfer()) {
    // The Transfer panel is hidden; say why (run_transfer's needs).
    notes.push_back(QObject::tr("Transfer jobs (control videos) cannot run here: %1")
                        .arg(capabilities.transfer_problem()));
  }
  return notes.join(QLatin1Char(' '));
}

}  // namespace

GenerationForm::GenerationForm(CheckpointCapabilities capabilities, QWidget* parent)
    : QWidget(parent),
      capabilities_(std::move(capabilities)),
      mode_(new QComboBox(this)),
      prompt_(new PromptEditor(tr("Describe the image or video, as text or a JSON caption"), this)),
      one_job_per_line_(new QCheckBox(tr("One job per line"), this)),
      prompt_message_(message_label(this, "prompt_error")),
      negative_prompt_(new PromptEditor(tr("What to steer away from (optional)"), this)),
      media_(new ConditioningMediaField(this)),
      parameters_(new ParameterFields(capabilities_, this)),
      seed_mode_(new QComboBox(this)),
      seed_(new QLineEdit(QStringLiteral("0"), this)),
      seed_message_(message_label(this, "seed_error")),
      num_jobs_per_prompt_(new QSpinBox(this)),
      request_message_(message_label(this, "request_error")),
      effective_prompt_(new EffectivePromptView(this)) {
  setAcceptDrops(true);
  mode_->setObjectName(QStringLiteral("mode"));
  for (const GenerationMode mode : capabilities_.modes()) {
    mode_->addItem(display_name(mode), static_cast<int>(mode));
  }
  prompt_->setObjectName(QStringLiteral("prompt"));
  negative_prompt_->setObjectName(QStringLiteral("negative_prompt"));
  one_job_per_line_->setObjectName(QStringLiteral("one_job_per_line"));
  media_->setObjectName(QStringLiteral("media"));
  parameters_->setObjectName(QStringLiteral("parameters"));

  auto* effective_group = new QGroupBox(tr("What the model reads"), this);
  auto* effective_layout = new QVBoxLayout(effective_group);
  effective_layout->addWidget(effective_prompt_);

  auto* layout = new QFormLayout(this);
  layout->addRow(tr("Mode"), mode_);
  if (const QString note = capability_note(capabilities_); !note.isEmpty()) {
    auto* note_label = new QLabel(note, this);
    note_label->setObjectName(QStringLiteral("capability_note"));
    note_label->setWordWrap(true);
    layout->addRow(QString(), note_label);
  }
  layout->addRow(tr("Prompt"), build_prompt_section());
  layout->addRow(tr("Negative prompt"), negative_prompt_);
  layout->addRow(tr("Input"), media_);
  if (capabilities_.offers_actions()) {
    action_ = new ActionPanel(capabilities_, this);
    action_->setObjectName(QStringLiteral("action_panel"));
    auto* action_group = new QGroupBox(tr("Actions"), this);
    auto* action_layout = new QVBoxLayout(action_group);
    action_layout->addWidget(action_);
    layout->addRow(action_group);
  }
  if (capabilities_.offers_transfer()) {
    transfer_ = new TransferPanel(this);
    transfer_->setObjectName(QStringLiteral("transfer_panel"));
    auto* transfer_group = new QGroupBox(tr("Transfer (control videos)"), this);
    auto* transfer_layout = new QVBoxLayout(transfer_group);
    transfer_layout->addWidget(transfer_);
    layout->addRow(transfer_group);
  }
  layout->addRow(parameters_);
  layout->addRow(tr("Seed"), build_seed_section());
  layout->addRow(request_message_);
  layout->addRow(effective_group);

  effective_prompt_->setTokenizerDir(capabilities_.folder().text_tokenizer_dir);
  connect_fields();
  const GenerationMode initial = capabilities_.offers(GenerationMode::kTextToVideo)
                                     ? GenerationMode::kTextToVideo
                                     : capabilities_.modes().front();
  parameters_->resetToDefaults(initial);
  apply_mode(initial);
}

QWidget* GenerationForm::build_prompt_section() {
  auto* section = new QWidget(this);
  auto* layout = new QVBoxLayout(section);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(prompt_);
  layout->addWidget(prompt_message_);
  layout->addWidget(one_job_per_line_);
  return section;
}

QWidget* GenerationForm::build_seed_section() {
  seed_mode_->setObjectName(QStringLiteral("seed_mode"));
  seed_mode_->addItem(tr("Fixed"), static_cast<int>(SeedMode::kFixed));
  seed_mode_->addItem(tr("Random"), static_cast<int>(SeedMode::kRandom));
  seed_mode_->addItem(tr("Increment after queueing"), static_cast<int>(SeedMode::kIncrement));
  seed_->setObjectName(QStringLiteral("seed"));
  num_jobs_per_prompt_->setObjectName(QStringLiteral("batch_count"));
  num_jobs_per_prompt_->setRange(1, 1000);
  num_jobs_per_prompt_->setToolTip(tr("Jobs per prompt, with successive seeds"));

  auto* section = new QWidget(this);
  auto* layout = new QFormLayout(section);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addRow(seed_mode_, seed_);
  layout->addRow(QString(), seed_message_);
  layout->addRow(tr("Batch count"), num_jobs_per_prompt_);
  return section;
}

void GenerationForm::connect_fields() {
  const auto edited = [this] {
    if (!filling_) {
      recheck();
    }
  };
  connect(mode_, &QComboBox::activated, this, [this](int index) {
    apply_mode(static_cast<GenerationMode>(mode_->itemData(index).toInt()));
  });
  connect(prompt_, &PromptEditor::textChanged, this, edited);
  connect(negative_prompt_, &PromptEditor::textChanged, this, edited);
  connect(one_job_per_line_, &QCheckBox::toggled, this, [this, edited](bool on) {
    prompt_->setOneItemPerLine(on);
    edited();
  });
  connect(media_, &ConditioningMediaField::changed, this, edited);
  connect(media_, &ConditioningMediaField::fileChosen, this, &GenerationForm::setConditioningMedia);
  connect(parameters_, &ParameterFields::changed, this, edited);
  if (action_) {
    connect(action_, &ActionPanel::changed, this, edited);
    connect(action_, &ActionPanel::modeChosen, this, &GenerationForm::apply_action_mode);
  }
  if (transfer_) {
    connect(transfer_, &TransferPanel::changed, this, edited);
    connect(transfer_, &TransferPanel::hintsChosen, this, &GenerationForm::apply_transfer_preset);
  }
  connect(seed_mode_, &QComboBox::currentIndexChanged, this, [this, edited] {
    seed_->setEnabled(values().seed_mode != SeedMode::kRandom);
    edited();
  });
  connect(seed_, &QLineEdit::textChanged, this, edited);
  connect(num_jobs_per_prompt_, &QSpinBox::valueChanged, this, edited);
}

void GenerationForm::setMode(GenerationMode mode) {
  if (capabilities_.offers(mode)) {
    apply_mode(mode);
  }
}

void GenerationForm::apply_mode(GenerationMode mode) {
  const bool action_job = action_ && values().action.enabled();
  mode_->setCurrentIndex(mode_->findData(static_cast<int>(mode)));
  parameters_->setMode(mode);
  parameters_->setSizeRowsVisible(!action_job);
  media_->setVisible(needs_media(mode));
  media_->setVideoOptionsVisible(mode == GenerationMode::kVideoToVideo && !action_job);
  if (!filling_) {
    recheck();
  }
}

void GenerationForm::apply_action_mode(ActionModeChoice mode) {
  filling_ = true;
  FormValues current = values();
  if (mode == ActionModeChoice::kNone) {
    parameters_->resetToDefaults(current.mode);
  } else {
    // The action recipe's settings (docs/action_modes.md), as cosmos3-generate defaults them.
    current.num_steps = static_cast<int>(pipeline::kActionDefaultSteps);
    current.guidance_scale_text = decimal_text(pipeline::kActionDefaultGuidance);
    current.flow_shift_text = decimal_text(pipeline::kActionDefaultFlowShift);
    current.use_system_prompt = false;
    parameters_->writeFrom(current);
  }
  // An action job starts from an input: inverse dynamics from a video, the others from either.
  GenerationMode input_mode = current.mode;
  if (mode == ActionModeChoice::kInverseDynamics) {
    input_mode = GenerationMode::kVideoToVideo;
  } else if (mode != ActionModeChoice::kNone && !needs_media(current.mode)) {
    input_mode = GenerationMode::kImageToVideo;
  }
  if (input_mode != current.mode && capabilities_.offers(input_mode)) {
    apply_mode(input_mode);
    if (!media_->path().isEmpty() && ConditioningMediaField::isImageFile(media_->path()) !=
                                         (input_mode == GenerationMode::kImageToVideo)) {
      media_->setPath(QString());  // an image cannot be the video input, nor the reverse
    }
  } else {
    apply_mode(current.mode);
  }
  filling_ = false;
  recheck();
}

void GenerationForm::apply_transfer_preset() {
  filling_ = true;
  FormValues current = values();
  const std::vector<pipeline::ControlHint> hints = current.transfer.hints();
  if (hints.empty()) {
    parameters_->resetToDefaults(current.mode);
  } else {
    // The documented recipe of the first hint in sequence order (cosmos3-generate's defaults
    // for these controls).
    const pipeline::TransferPreset& preset = pipeline::transfer_preset_for(hints);
    current.guidance_scale_text = decimal_text(preset.guidance_scale);
    if (!capabilities_.distilled()) current.flow_shift_text = decimal_text(preset.flow_shift);
    current.num_frames = preset.num_frames;
    current.fps_text = decimal_text(preset.fps);
    parameters_->writeFrom(current);
    ui::apply_transfer_preset(hints, current.transfer);
    transfer_->writeFrom(current.transfer);
  }
  // The output follows the controls: no input image or video.
  apply_mode(hints.empty() || !capabilities_.offers(GenerationMode::kTextToVideo)
                 ? current.mode
                 : GenerationMode::kTextToVideo);
  filling_ = false;
  recheck();
}

void GenerationForm::setConditioningMedia(const QString& path) {
  const GenerationMode mode = ConditioningMediaField::isImageFile(path)
                                  ? GenerationMode::kImageToVideo
                                  : GenerationMode::kVideoToVideo;
  filling_ = true;
  if (capabilities_.offers(mode)) {
    apply_mode(mode);
  }
  media_->setPath(path);
  filling_ = false;
  recheck();
}

FormValues GenerationForm::values() const {
  FormValues values;
  values.mode = static_cast<GenerationMode>(mode_->currentData().toInt());
  values.prompt = prompt_->text();
  values.negative_prompt = negative_prompt_->text();
  values.one_job_per_line = one_job_per_line_->isChecked();
  parameters_->readInto(values);
  values.seed_mode = static_cast<SeedMode>(seed_mode_->currentData().toInt());
  values.seed_text = seed_->text();
  values.num_jobs_per_prompt = num_jobs_per_prompt_->value();
  values.media_path = media_->path();
  values.media_problem = media_->problem();
  values.media_size = media_->sourceSize();
  values.condition_frame_indexes_text = media_->conditionFrameIndexesText();
  values.keep_last_frames = media_->keepsLastFrames();
  if (action_) {
    action_->readInto(values);
  }
  if (transfer_) {
    transfer_->readInto(values);
  }
  return values;
}

QList<QJsonObject> GenerationForm::jobRequests() const {
  if (!valid_) {
    return {};
  }
  return make_job_objects(values(), capabilities_);
}

void GenerationForm::setRequest(const QJsonObject& job) {
  const FormValues values = form_values_from_job(job, capabilities_);
  filling_ = true;
  one_job_per_line_->setChecked(false);
  prompt_->setText(values.prompt);
  negative_prompt_->setText(values.negative_prompt);
  parameters_->writeFrom(values);
  if (action_) {
    action_->writeFrom(values.action);
  }
  if (transfer_) {
    transfer_->writeFrom(values.transfer);
  }
  apply_mode(values.mode);
  seed_mode_->setCurrentIndex(seed_mode_->findData(static_cast<int>(SeedMode::kFixed)));
  seed_->setText(values.seed_text);
  num_jobs_per_prompt_->setValue(1);
  media_->setConditionFrameIndexesText(values.condition_frame_indexes_text);
  media_->setKeepsLastFrames(values.keep_last_frames);
  if (values.media_path != media_->path()) {
    media_->setPath(values.media_path);
  }
  filling_ = false;
  recheck();
}

void GenerationForm::noteJobsQueued() {
  const FormValues current = values();
  const std::optional<int64_t> seed = parse_seed(current.seed_text);
  if (current.seed_mode == SeedMode::kIncrement && seed) {
    const int64_t next =
        (*seed + current.num_jobs_per_prompt) & std::numeric_limits<int64_t>::max();
    seed_->setText(QString::number(next));
  }
}

void GenerationForm::dragEnterEvent(QDragEnterEvent* event) {
  if (!first_local_file(event->mimeData()).isEmpty()) {
    event->acceptProposedAction();
  }
}

void GenerationForm::dropEvent(QDropEvent* event) {
  const QString path = first_local_file(event->mimeData());
  if (path.isEmpty()) {
    return;
  }
  event->acceptProposedAction();
  setConditioningMedia(path);
}

void GenerationForm::show_message(QLabel* label, FormField field) {
  const QString message = problems_.value(field);
  label->setText(message);
  label->setVisible(!message.isEmpty());
}

void GenerationForm::recheck() {
  const FormValues current = values();
  problems_ = check_form_values(current, capabilities_);
  show_message(prompt_message_, FormField::kPrompt);
  show_message(seed_message_, FormField::kSeed);
  show_message(request_message_, FormField::kRequest);
  parameters_->showMessages(problems_);
  if (action_) {
    action_->showMessages(problems_);
  }
  if (transfer_) {
    transfer_->showProblems(check_transfer_values(current, capabilities_));
  }
  media_->setMessage(problems_.value(FormField::kMedia));
  media_->setIndexesMessage(problems_.value(FormField::kConditionFrameIndexes));
  update_effective_prompt(current);

  const bool valid = problems_.isEmpty() && prompt_->isValid() && negative_prompt_->isValid();
  const bool changed = valid != valid_;
  valid_ = valid;
  Q_EMIT requestChanged();
  if (changed) {
    Q_EMIT validityChanged(valid_);
  }
}

void GenerationForm::update_effective_prompt(const FormValues& values) {
  const QStringList prompts = prompts_of(values);
  const QString prompt = prompts.isEmpty() ? QString() : prompts.front();
  if (values.action.enabled()) {
    if (const std::optional<ActionPrompt> action = action_prompt_of(values, prompt)) {
      effective_prompt_->setConversations(action->conditional, action->unconditional);
    }
    return;
  }
  if (values.transfer.enabled()) {
    // Transfer reads the caption verbatim under its own system prompt.
    effective_prompt_->setConversations(
        pipeline::transfer_conversation(prompt.toStdString(), values.use_system_prompt),
        pipeline::transfer_conversation(values.negative_prompt.toStdString(),
                                        values.use_system_prompt));
    return;
  }
  const pipeline::GenerationRequest request = engine_request_of(values, prompt, capabilities_);
  pipeline::PromptOptions options;
  options.num_frames = request.num_frames;
  options.height = request.height;
  options.width = request.width;
  options.fps = request.fps;
  options.use_system_prompt = values.use_system_prompt;
  effective_prompt_->setConversations(
      pipeline::conditional_conversation(request.prompt, options),
      pipeline::unconditional_conversation(values.negative_prompt.toStdString(), options));
}

}  // namespace cosmos3::ui
