#pragma once
// The studio's request editor: mode, prompts, parameters, seeds, batch and conditioning input,
// producing the protocol's job objects. Every value is checked with the engine's own rules as
// it is edited and each problem is shown next to its field, so nothing invalid can be queued.
// The form reads configs and media headers only; it never runs the model.

#include "ui/form/checkpoint_capabilities.h"
#include "ui/form/form_field.h"
#include "ui/form/form_values.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace cosmos3::ui {

class ActionPanel;
class ConditioningMediaField;
class EffectivePromptView;
class ParameterFields;
class PromptEditor;
class TransferPanel;

class GenerationForm : public QWidget {
  Q_OBJECT

 public:
  explicit GenerationForm(CheckpointCapabilities capabilities, QWidget* parent = nullptr);

  const CheckpointCapabilities& capabilities() const { return capabilities_; }

  // True when every field passes and the conditioning input (if any) has been read.
  bool isValid() const { return valid_; }

  // The jobs one queue action makes: each prompt (one per line when that switch is on) times
  // the batch count, every job with a concrete seed. No output_dir: the window adds it. Empty
  // while the form is not valid.
  QList<QJsonObject> jobRequests() const;

  // Fills the form from a job object (duplicate, restore): batch 1, fixed seed, one prompt.
  // Throws pipeline::RequestError naming a key the form cannot take.
  void setRequest(const QJsonObject& job);

  GenerationMode mode() const { return values().mode; }
  // Ignored when the checkpoint does not offer `mode`.
  void setMode(GenerationMode mode);

  // The action panel, null when the checkpoint has no action heads.
  ActionPanel* actionPanel() const { return action_; }
  // The transfer panel, null when the checkpoint cannot run transfer jobs.
  TransferPanel* transferPanel() const { return transfer_; }

  // Uses an image (image to video) or video (video to video) as the input, as a drop does.
  void setConditioningMedia(const QString& path);

  // The message next to `field`, empty when it passes. JSON prompt problems are shown (and
  // reported) by the prompt editors themselves.
  QString fieldMessage(FormField field) const { return problems_.value(field); }

  FormValues values() const;

 public Q_SLOTS:
  // Increment mode: moves the seed past the seeds just queued. The window calls it after it
  // queued jobRequests().
  void noteJobsQueued();

 Q_SIGNALS:
  void validityChanged(bool valid);
  // Any edit; the effective prompt and messages are already up to date.
  void requestChanged();

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  QWidget* build_prompt_section();
  QWidget* build_seed_section();
  void connect_fields();
  void apply_mode(GenerationMode mode);
  void apply_action_mode(ActionModeChoice mode);
  void apply_transfer_preset();
  void recheck();
  void update_effective_prompt(const FormValues& values);
  void show_message(QLabel* label, FormField field);

  CheckpointCapabilities capabilities_;
  QComboBox* mode_;
  PromptEditor* prompt_;
  QCheckBox* one_job_per_line_;
  QLabel* prompt_message_;
  PromptEditor* negative_prompt_;
  ConditioningMediaField* media_;
  ActionPanel* action_ = nullptr;      // checkpoints with action heads only
  TransferPanel* transfer_ = nullptr;  // checkpoints that can run transfer only
  ParameterFields* parameters_;
  QComboBox* seed_mode_;
  QLineEdit* seed_;
  QLabel* seed_message_;
  QSpinBox* num_jobs_per_prompt_;
  QLabel* request_message_;
  EffectivePromptView* effective_prompt_;

  QMap<FormField, QString> problems_;
  bool valid_ = false;
  bool filling_ = false;
};

}  // namespace cosmos3::ui
