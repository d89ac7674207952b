#pragma once
// The studio's window: the request editor on the left, the player above the queue on the right,
// a progress line and the backend's state in the status bar. It owns the queue (a JobStore in
// QStandardPaths::AppDataLocation), the backend group and the dispatcher between them. With
// no model folder configured it makes the embedded tiny checkpoint and runs on the CPU.

#include "ui/queue/job_store.h"
#include "ui/studio/studio_settings.h"

#include <QMainWindow>
#include <QString>

#include <memory>

class QAction;
class QLabel;
class QScrollArea;

namespace cosmos3::ui {

class ActionPlotPanel;
class BackendController;
class GenerationForm;
class HistoryPanel;
class LayoutMeasurementRecorder;
class SettingsDialog;
class ModelsDialog;
class JobDispatcher;
class JobQueueModel;
class MediaPlayerWidget;
class QueuePanel;
class TinyCheckpointMaker;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  // How a close with a running job is answered without asking (tests, scripts).
  enum class CloseAnswer { Ask, CancelJob, WaitForJob };

  explicit MainWindow(StudioSettings settings, QWidget* parent = nullptr);
  ~MainWindow() override;

  static QString data_dir();

  JobQueueModel& queueModel() { return *model_; }
  JobDispatcher& dispatcher() { return *dispatcher_; }
  BackendController& backend() { return *backend_; }
  MediaPlayerWidget& player() { return *player_; }
  // The predicted actions of the job in the player, hidden for jobs without them.
  ActionPlotPanel& actionPlot() { return *action_plot_; }
  QueuePanel& queuePanel() { return *queue_panel_; }
  HistoryPanel& historyPanel() { return *history_panel_; }
  // Null until the model folder is known (the tiny checkpoint may still be in the making).
  GenerationForm* form() const { return form_; }
  QString modelDir() const { return model_dir_; }

  // COSMOS3_STUDIO_CLOSE_ANSWER=cancel|wait sets it from the environment.
  void setCloseAnswer(CloseAnswer answer) { close_answer_ = answer; }
  // How settings that restart the backend are applied while a job runs, without asking.
  void setRestartAnswer(CloseAnswer answer) { restart_answer_ = answer; }

  const StudioSettings& settings() const { return settings_; }
  // Step times and peaks measured on this machine, per layout (the settings dialog reads it).
  static QString measurements_file();
  // The settings dialog, opened non-modal; it deletes itself when closed.
  SettingsDialog* openSettings();
#ifdef COSMOS3_HAVE_HUB
  // File > Models…: the model page, opened non-modal; "use this model" switches to the folder.
  ModelsDialog* openModels();
#endif
  // Restores the job that made `path` (an MP4 or generation.json of ours) in the editor, as a
  // drop on the window does; refuses anything else with a message and changes nothing.
  bool restoreFromOutput(const QString& path);

 Q_SIGNALS:
  // The form exists and the group is starting for `model_dir`.
  void modelReady(const QString& model_dir);

 public Q_SLOTS:
  void queueAtBack();
  void queueAtFront();
  void cancelRunningJob();
  // Saves `settings`; a new model, device, dtype, GPU set or layout restarts the backend group
  // with a notice, after asking what to do with a running job (cancel it, or wait for it).
  void applySettings(const cosmos3::ui::StudioSettings& settings);

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void build_layout();
  void build_menus();
  void prepare_model();
  void use_model(const QString& dir);
  void queue_requests(QueueEnd end);
  void update_queue_actions();
  void update_status();
  void show_selected_output(qint64 id);
  void show_action_plot(qint64 id);
  void show_error(const QString& message);
  CloseAnswer ask_close_answer();
  CloseAnswer ask_restart_answer();
  void restart_with(const StudioSettings& settings);
  void apply_light_settings();

  StudioSettings settings_;
  QString model_dir_;
  std::unique_ptr<JobStore> store_;
  JobQueueModel* model_ = nullptr;
  BackendController* backend_ = nullptr;
  JobDispatcher* dispatcher_ = nullptr;
  TinyCheckpointMaker* tiny_maker_ = nullptr;
  GenerationForm* form_ = nullptr;
  QScrollArea* form_area_ = nullptr;
  MediaPlayerWidget* player_ = nullptr;
  ActionPlotPanel* action_plot_ = nullptr;
  QueuePanel* queue_panel_ = nullptr;
  HistoryPanel* history_panel_ = nullptr;
  QLabel* backend_status_ = nullptr;
  QLabel* model_status_ = nullptr;
  QAction* queue_back_ = nullptr;
  QAction* queue_front_ = nullptr;
  QAction* cancel_running_ = nullptr;
  LayoutMeasurementRecorder* recorder_ = nullptr;
  std::unique_ptr<StudioSettings> restart_after_job_;  // settings waiting for the job's end
  bool resume_after_restart_ = false;
  CloseAnswer close_answer_ = CloseAnswer::Ask;
  CloseAnswer restart_answer_ = CloseAnswer::Ask;
  bool close_when_idle_ = false;
};

}  // namespace cosmos3::ui
