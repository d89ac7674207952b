#include "ui/studio/main_window.h"

#include "ui/form/generation_form.h"
#include "ui/history/history_panel.h"
#include "ui/player/media_player_widget.h"
#include "ui/queue/job_queue_model.h"
#include "ui/studio/action_plot_panel.h"
#include "ui/studio/backend_controller.h"
#include "ui/studio/group_config_for.h"
#include "ui/studio/job_dispatcher.h"
#include "ui/studio/layout_measurement_recorder.h"
#include "ui/studio/output_drop_filter.h"
#include "ui/studio/output_restore.h"
#include "ui/studio/preset_menu.h"
#include "ui/studio/queue_panel.h"
#include "ui/studio/settings_dialog.h"
#ifdef COSMOS3_HAVE_HUB
#include "core/hub/model_store.h"
#include "ui/studio/models_dialog.h"
#endif
#include "ui/studio/tiny_checkpoint_maker.h"

#include <QAction>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QJsonArray>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <exception>

namespace cosmos3::ui {

MainWindow::MainWindow(StudioSettings settings, QWidget* parent)
    : QMainWindow(parent), settings_(std::move(settings)) {
  setWindowTitle(tr("Cosmos3 Studio"));
  const QString answer = qEnvironmentVariable("COSMOS3_STUDIO_CLOSE_ANSWER");
  if (answer == QLatin1String("cancel")) close_answer_ = CloseAnswer::CancelJob;
  if (answer == QLatin1String("wait")) close_answer_ = CloseAnswer::WaitForJob;

  store_ = std::make_unique<JobStore>(QDir(data_dir()).filePath(QStringLiteral("queue")));
  model_ = new JobQueueModel(*store_, this);
  backend_ = new BackendController(this);
  // Ahead of the dispatcher: a finished job is recorded under the group it ran on, before the
  // dispatcher's reaction may restart the group with other settings.
  recorder_ = new LayoutMeasurementRecorder(measurements_file(), this);
  connect(backend_, &BackendController::eventReceived, recorder_,
          &LayoutMeasurementRecorder::onEvent);
  dispatcher_ = new JobDispatcher(*model_, *backend_, this);
  // Jobs a killed session left running come back Interrupted; the user restarts them. The
  // queue also starts paused then: the crash may have come from that job (a kill for memory),
  // so the user looks before anything else runs.
  const QList<qint64> interrupted = dispatcher_->recoverAfterCrash();
  const bool crashed = store_->last_session_crashed();
  if (crashed) dispatcher_->setPaused(true);

  build_layout();
  build_menus();
  apply_light_settings();
  new OutputDropFilter(*this, [this](const QString& path) { restoreFromOutput(path); });
  connect(backend_, &BackendController::stateChanged, this, &MainWindow::update_status);
  connect(model_, &JobQueueModel::enqueue_failed, this, &MainWindow::show_error);
  connect(dispatcher_, &JobDispatcher::previewArrived, this,
          [this](qint64, const QString& path, int step, int num_steps) {
            player_->setPreviewCaption(tr("live preview, step %1/%2").arg(step).arg(num_steps));
            player_->showPreview(path);
          });
  connect(dispatcher_, &JobDispatcher::jobFinished, this, [this](qint64 id, const QString& output) {
    if (!output.isEmpty()) player_->open(output);
    show_action_plot(id);
  });
  connect(dispatcher_, &JobDispatcher::activeJobEnded, this, [this] {
    update_queue_actions();
    if (restart_after_job_) {
      const StudioSettings waiting = *restart_after_job_;
      restart_after_job_.reset();
      // Restarted first: the old group is no longer ready, so no pending job goes to it.
      restart_with(waiting);
      if (resume_after_restart_) dispatcher_->setPaused(false);
    }
    if (close_when_idle_) close();
  });
  connect(dispatcher_, &JobDispatcher::progressTextChanged, this,
          &MainWindow::update_queue_actions);
  connect(queue_panel_, &QueuePanel::jobSelected, this, &MainWindow::show_selected_output);
  connect(queue_panel_, &QueuePanel::actionFailed, this, &MainWindow::show_error);
  connect(queue_panel_, &QueuePanel::duplicateRequested, this, [this](const QJsonObject& job) {
    if (!form_) return;
    try {
      form_->setRequest(job);
    } catch (const std::exception& error) {
      show_error(QString::fromUtf8(error.what()));
    }
  });
  prepare_model();
  if (crashed) {
    show_error(
        tr("The last session ended unexpectedly; %n job(s) were interrupted. The queue is "
           "paused: untick \"Pause after current\" to go on.",
           nullptr, static_cast<int>(interrupted.size())));
  }
}

MainWindow::~MainWindow() {
  // The dispatcher and model use the store, and the group's last events reach the dispatcher:
  // end them in that order while the store still exists (it is a member, destroyed before the
  // QObject children would be).
  delete dispatcher_;
  delete backend_;  // shuts the group down: the one wait for ranks, at close
  delete queue_panel_;
  delete history_panel_;
  delete model_;
}

QString MainWindow::data_dir() {
  return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

QString MainWindow::measurements_file() {
  return QDir(data_dir()).filePath(QStringLiteral("layout-measurements.json"));
}

#ifdef COSMOS3_HAVE_HUB
ModelsDialog* MainWindow::openModels() {
  auto* dialog = new ModelsDialog(QString::fromStdString(hub::default_models_root().string()),
                                  settings_.hub_token, this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &ModelsDialog::hubTokenChanged, this, [this](const QString& token) {
    settings_.hub_token = token;
    settings_.save();
  });
  connect(dialog, &ModelsDialog::modelChosen, this, [this](const QString& folder) {
    settings_.model_dir = folder;
    settings_.save();
    use_model(folder);
  });
  dialog->show();
  return dialog;
}
#endif

SettingsDialog* MainWindow::openSettings() {
  // The editor's job when it is valid; otherwise its size, planned as a guided video job.
  PlannedJob job;
  if (form_) {
    const QJsonObject request = form_->jobRequests().value(0);
    if (!request.isEmpty()) {
      job = PlannedJob::of(request);
    } else {
      const FormValues values = form_->values();
      job.height = values.height;
      job.width = values.width;
      job.num_frames = values.num_frames;
    }
  }
  auto* dialog = new SettingsDialog(settings_, model_dir_, job, measurements_file(), this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &SettingsDialog::applied, this, &MainWindow::applySettings);
  dialog->show();
  return dialog;
}

bool MainWindow::restoreFromOutput(const QString& path) {
  if (!form_) {
    show_error(
        tr("The editor is not ready yet: drop %1 again once the model is loaded.").arg(path));
    return false;
  }
  try {
    // Both throw before the form changes: a refused file leaves the editor as it was.
    form_->setRequest(job_from_output(path));
  } catch (const std::exception& error) {
    show_error(tr("Not restored: %1").arg(QString::fromUtf8(error.what())));
    return false;
  }
  statusBar()->showMessage(tr("Restored the job of %1 in the editor.").arg(path), 10000);
  return true;
}

void MainWindow::applySettings(const StudioSettings& settings) {
  const bool restart = settings_.needsBackendRestart(settings) && !model_dir_.isEmpty();
  if (!restart) {
    settings_ = settings;
    settings_.save();
    apply_light_settings();
    statusBar()->showMessage(tr("Settings saved."), 5000);
    return;
  }
  if (dispatcher_->activeJobId() == 0) {
    restart_with(settings);
    return;
  }
  const CloseAnswer answer = ask_restart_answer();
  if (answer == CloseAnswer::Ask) {
    statusBar()->showMessage(
        tr("Settings not applied: job %1 is still running.").arg(dispatcher_->activeJobId()),
        10000);
    return;
  }
  // No new job starts on the old group; the restart follows the running job's end.
  restart_after_job_ = std::make_unique<StudioSettings>(settings);
  resume_after_restart_ = !dispatcher_->isPaused();  // a user's own pause stays
  dispatcher_->setPaused(true);
  if (answer == CloseAnswer::CancelJob) dispatcher_->cancelRunning();
  statusBar()->showMessage(answer == CloseAnswer::CancelJob
                               ? tr("Canceling the running job; the backend restarts then.")
                               : tr("The backend restarts when the running job ends."));
}

void MainWindow::restart_with(const StudioSettings& settings) {
  const bool new_model = settings.model_dir != settings_.model_dir;
  settings_ = settings;
  settings_.save();
  apply_light_settings();
  statusBar()->showMessage(
      tr("Restarting the backend: %1 on %2 (%3), layout cfg %4 × tp %5 × "
         "cp %6; queued jobs wait for it.")
          .arg(QDir(settings_.model_dir.isEmpty() ? model_dir_ : settings_.model_dir).dirName(),
               settings_.device, settings_.dtype)
          .arg(settings_.cfg)
          .arg(settings_.tp)
          .arg(settings_.cp),
      15000);
  if (new_model) {
    prepare_model();  // a new form and group for the new folder (or the tiny checkpoint)
    return;
  }
  try {
    backend_->restart(group_config_for(settings_, model_dir_));
  } catch (const std::exception& error) {
    show_error(QString::fromUtf8(error.what()));
    return;
  }
  recorder_->setGroup(settings_);
  update_status();
}

void MainWindow::apply_light_settings() {
  dispatcher_->setPreviewInterval(settings_.preview_interval);
  dispatcher_->setPrecision(settings_.jobPrecision());
  dispatcher_->setOutputRoot(settings_.output_dir);
  // The defaults also answer to the keypad's Enter; a user's own key is taken as given.
  const auto set_shortcut = [](QAction* action, const QString& text, const QString& fallback) {
    if (text == fallback) return;
    action->setShortcut(QKeySequence(text, QKeySequence::PortableText));
  };
  const StudioSettings defaults;
  set_shortcut(queue_back_, settings_.queue_shortcut, defaults.queue_shortcut);
  set_shortcut(queue_front_, settings_.queue_front_shortcut, defaults.queue_front_shortcut);
  set_shortcut(cancel_running_, settings_.cancel_shortcut, defaults.cancel_shortcut);
}

void MainWindow::build_layout() {
  form_area_ = new QScrollArea(this);
  form_area_->setWidgetResizable(true);
  form_area_->setWidget(new QLabel(tr("Preparing the model folder…"), form_area_));

  auto* left = new QWidget(this);
  auto* left_layout = new QVBoxLayout(left);
  left_layout->addWidget(form_area_, 1);
  queue_back_ = new QAction(tr("Queue"), this);
  queue_back_->setObjectName(QStringLiteral("queue_at_back"));
  queue_back_->setShortcuts(
      {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
  queue_front_ = new QAction(tr("Queue at front"), this);
  queue_front_->setObjectName(QStringLiteral("queue_at_front"));
  queue_front_->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Return),
                              QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Enter)});
  cancel_running_ = new QAction(tr("Cancel running job"), this);
  cancel_running_->setObjectName(QStringLiteral("cancel_running"));
  cancel_running_->setShortcuts({QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_Return),
                                 QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_Enter)});
  connect(queue_back_, &QAction::triggered, this, &MainWindow::queueAtBack);
  connect(queue_front_, &QAction::triggered, this, &MainWindow::queueAtFront);
  connect(cancel_running_, &QAction::triggered, this, &MainWindow::cancelRunningJob);
  auto* buttons = new QHBoxLayout;
  for (QAction* action : {queue_back_, queue_front_, cancel_running_}) {
    addAction(action);
    auto* button = new QPushButton(action->text(), left);
    button->setToolTip(action->shortcut().toString(QKeySequence::NativeText));
    connect(button, &QPushButton::clicked, action, &QAction::trigger);
    connect(action, &QAction::enabledChanged, button, &QPushButton::setEnabled);
    buttons->addWidget(button);
  }
  left_layout->addLayout(buttons);

  player_ = new MediaPlayerWidget(this);
  connect(player_, &MediaPlayerWidget::soundFailed, this, &MainWindow::show_error);
  action_plot_ = new ActionPlotPanel(this);
  action_plot_->setObjectName(QStringLiteral("action_plot_panel"));
  queue_panel_ = new QueuePanel(*model_, *dispatcher_, this);
  history_panel_ = new HistoryPanel(*model_, this);
  history_panel_->setObjectName(QStringLiteral("history_panel"));
  connect(history_panel_, &HistoryPanel::actionFailed, this, &MainWindow::show_error);
  connect(history_panel_, &HistoryPanel::useAsInputRequested, this, [this](const QString& path) {
    if (form_) form_->setConditioningMedia(path);
  });
  auto* tabs = new QTabWidget(this);
  tabs->setObjectName(QStringLiteral("queue_history_tabs"));
  tabs->addTab(queue_panel_, tr("Queue"));
  tabs->addTab(history_panel_, tr("History"));
  auto* right = new QSplitter(Qt::Vertical, this);
  right->addWidget(player_);
  right->addWidget(action_plot_);
  right->addWidget(tabs);
  right->setStretchFactor(0, 3);
  right->setStretchFactor(1, 1);
  right->setStretchFactor(2, 2);

  auto* split = new QSplitter(Qt::Horizontal, this);
  split->addWidget(left);
  split->addWidget(right);
  split->setStretchFactor(0, 2);
  split->setStretchFactor(1, 3);
  // The form's rows need about this much to show their fields unclipped.
  split->setSizes({700, 700});
  setCentralWidget(split);

  backend_status_ = new QLabel(backend_->statusText(), this);
  backend_status_->setObjectName(QStringLiteral("backend_status"));
  model_status_ = new QLabel(this);
  model_status_->setObjectName(QStringLiteral("model_status"));
  statusBar()->addWidget(backend_status_, 1);
  statusBar()->addPermanentWidget(model_status_);
  resize(1400, 900);
  update_queue_actions();
}

void MainWindow::build_menus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("Choose model folder…"), this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Cosmos3 pipeline folder"));
    if (dir.isEmpty()) return;
    settings_.model_dir = dir;
    settings_.save();
    use_model(dir);
  });
  file->addAction(tr("Use the embedded tiny checkpoint"), this, [this] {
    settings_.model_dir.clear();
    settings_.save();
    prepare_model();
  });
#ifdef COSMOS3_HAVE_HUB
  QAction* models = file->addAction(tr("Models…"), this, [this] { openModels(); });
  models->setObjectName(QStringLiteral("open_models"));
#endif
  file->addSeparator();
  QAction* settings = file->addAction(tr("Settings…"), this, [this] { openSettings(); });
  settings->setObjectName(QStringLiteral("open_settings"));
  settings->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
  file->addSeparator();
  file->addAction(tr("Quit"), QKeySequence::Quit, this, &QWidget::close);
  QMenu* queue = menuBar()->addMenu(tr("&Queue"));
  queue->addActions({queue_back_, queue_front_, cancel_running_});
  auto* presets = new PresetMenu([this] { return form_; }, this);
  connect(presets, &PresetMenu::actionFailed, this, &MainWindow::show_error);
  connect(presets, &PresetMenu::actionDone, this,
          [this](const QString& message) { statusBar()->showMessage(message, 5000); });
  menuBar()->addMenu(presets);
}

void MainWindow::prepare_model() {
  if (!settings_.model_dir.isEmpty()) {
    use_model(settings_.model_dir);
    return;
  }
  // The embedded tiny checkpoint runs on the CPU whatever the settings say.
  settings_.device = QStringLiteral("cpu");
  settings_.dtype = QStringLiteral("float32");
  backend_status_->setText(tr("making the embedded tiny checkpoint…"));
  if (!tiny_maker_) {
    tiny_maker_ = new TinyCheckpointMaker(this);
    connect(tiny_maker_, &TinyCheckpointMaker::made, this, &MainWindow::use_model);
    connect(tiny_maker_, &TinyCheckpointMaker::failed, this, &MainWindow::show_error);
  }
  tiny_maker_->make(QDir(data_dir()).filePath(QStringLiteral("tiny-checkpoint")));
}

void MainWindow::use_model(const QString& dir) {
  backend::GroupConfig config;
  try {
    CheckpointCapabilities capabilities = CheckpointCapabilities::load(dir.toStdString());
    config = group_config_for(settings_, dir);
    form_ = new GenerationForm(std::move(capabilities));
  } catch (const std::exception& error) {
    show_error(QString::fromUtf8(error.what()));
    return;
  }
  form_->setObjectName(QStringLiteral("generation_form"));
  form_area_->setWidget(form_);  // deletes the previous form
  connect(form_, &GenerationForm::validityChanged, this, &MainWindow::update_queue_actions);
  recorder_->setGroup(settings_);
  const bool was_started = !model_dir_.isEmpty();
  model_dir_ = dir;
  if (was_started) {
    backend_->restart(config);
  } else {
    backend_->start(config);
  }
  update_status();
  update_queue_actions();
  Q_EMIT modelReady(dir);
}

void MainWindow::queueAtBack() { queue_requests(QueueEnd::Back); }
void MainWindow::queueAtFront() { queue_requests(QueueEnd::Front); }

void MainWindow::queue_requests(QueueEnd end) {
  if (!form_ || !form_->isValid()) return;
  QList<QJsonObject> requests = form_->jobRequests();
  // Jobs added at the front one by one keep their order when added last first.
  if (end == QueueEnd::Front) std::reverse(requests.begin(), requests.end());
  for (const QJsonObject& request : requests) model_->enqueue_in_background(request, end);
  form_->noteJobsQueued();
}

void MainWindow::cancelRunningJob() { dispatcher_->cancelRunning(); }

void MainWindow::update_queue_actions() {
  const bool valid = form_ && form_->isValid();
  queue_back_->setEnabled(valid);
  queue_front_->setEnabled(valid);
  cancel_running_->setEnabled(dispatcher_->activeJobId() != 0);
}

void MainWindow::update_status() {
  backend_status_->setText(backend_->statusText());
  // Also on stderr: the session log a user copies into a report, and what scripts wait for.
  qInfo("cosmos3-studio: %s", qUtf8Printable(backend_->statusText()));
  if (settings_.model_dir.isEmpty()) {
    model_status_->setText(tr("embedded tiny checkpoint on the CPU"));
  } else {
    model_status_->setText(tr("%1 on %2 (%3), layout cfg %4 × tp %5 × cp %6")
                               .arg(QDir(model_dir_).dirName(), settings_.device, settings_.dtype)
                               .arg(settings_.cfg)
                               .arg(settings_.tp)
                               .arg(settings_.cp));
  }
}

void MainWindow::show_selected_output(qint64 id) {
  const int row = model_->row_of(id);
  if (row < 0) return;
  const QueuedJob& job = model_->jobs().at(row);
  const QJsonArray outputs = job.result.value(QStringLiteral("outputs")).toArray();
  if (job.state == JobState::Done && !outputs.isEmpty()) player_->open(outputs.first().toString());
  action_plot_->showJob(job);
}

void MainWindow::show_action_plot(qint64 id) {
  const int row = model_->row_of(id);
  if (row >= 0) action_plot_->showJob(model_->jobs().at(row));
}

void MainWindow::show_error(const QString& message) {
  statusBar()->showMessage(message, 15000);
  backend_status_->setToolTip(message);
  qWarning("cosmos3-studio: %s", qUtf8Printable(message));
}

MainWindow::CloseAnswer MainWindow::ask_close_answer() {
  if (close_answer_ != CloseAnswer::Ask) return close_answer_;
  QMessageBox box(QMessageBox::Question, tr("A job is running"),
                  tr("Job %1 is still running. Cancel it, or wait until it ends and then close?")
                      .arg(dispatcher_->activeJobId()),
                  QMessageBox::NoButton, this);
  QPushButton* cancel_job = box.addButton(tr("Cancel the job"), QMessageBox::DestructiveRole);
  QPushButton* wait = box.addButton(tr("Wait for it"), QMessageBox::AcceptRole);
  box.addButton(tr("Keep the window open"), QMessageBox::RejectRole);
  box.exec();
  if (box.clickedButton() == cancel_job) return CloseAnswer::CancelJob;
  if (box.clickedButton() == wait) return CloseAnswer::WaitForJob;
  return CloseAnswer::Ask;
}

MainWindow::CloseAnswer MainWindow::ask_restart_answer() {
  if (restart_answer_ != CloseAnswer::Ask) return restart_answer_;
  QMessageBox box(QMessageBox::Question, tr("A job is running"),
                  tr("These settings restart the backend, and job %1 is still running. Cancel "
                     "it and restart now, or restart when it ends?")
                      .arg(dispatcher_->activeJobId()),
                  QMessageBox::NoButton, this);
  QPushButton* cancel_job = box.addButton(tr("Cancel the job"), QMessageBox::DestructiveRole);
  QPushButton* wait = box.addButton(tr("Restart after it"), QMessageBox::AcceptRole);
  box.addButton(tr("Don't apply"), QMessageBox::RejectRole);
  box.exec();
  if (box.clickedButton() == cancel_job) return CloseAnswer::CancelJob;
  if (box.clickedButton() == wait) return CloseAnswer::WaitForJob;
  return CloseAnswer::Ask;
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (dispatcher_->activeJobId() == 0) {
    event->accept();
    return;
  }
  event->ignore();
  if (close_when_idle_) return;  // already waiting for the job's end
  const CloseAnswer answer = ask_close_answer();
  if (answer == CloseAnswer::Ask) return;  // the user kept the window open
  close_when_idle_ = true;
  dispatcher_->setPaused(true);
  if (answer == CloseAnswer::CancelJob) dispatcher_->cancelRunning();
  statusBar()->showMessage(answer == CloseAnswer::CancelJob
                               ? tr("Canceling the running job; the window closes then.")
                               : tr("Waiting for the running job; the window closes then."));
}

}  // namespace cosmos3::ui
