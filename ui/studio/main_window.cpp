#include "ui/studio/main_window.h"

#include "parallel/backend/worker_program.h"
#include "ui/form/generation_form.h"
#include "ui/player/media_player_widget.h"
#include "ui/queue/job_queue_model.h"
#include "ui/studio/backend_controller.h"
#include "ui/studio/job_dispatcher.h"
#include "ui/studio/queue_panel.h"
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
  dispatcher_ = new JobDispatcher(*model_, *backend_, this);
  dispatcher_->setPreviewInterval(settings_.preview_interval);
  // Jobs a killed session left running come back Interrupted; the user restarts them. The
  // queue also starts paused then: the crash may have come from that job (a kill for memory),
  // so the user looks before anything else runs.
  const QList<qint64> interrupted = dispatcher_->recoverAfterCrash();
  const bool crashed = store_->last_session_crashed();
  if (crashed) dispatcher_->setPaused(true);

  build_layout();
  build_menus();
  connect(backend_, &BackendController::stateChanged, this, &MainWindow::update_status);
  connect(model_, &JobQueueModel::enqueue_failed, this, &MainWindow::show_error);
  connect(dispatcher_, &JobDispatcher::previewArrived, this,
          [this](qint64, const QString& path, int step, int num_steps) {
            player_->setPreviewCaption(tr("live preview, step %1/%2").arg(step).arg(num_steps));
            player_->showPreview(path);
          });
  connect(dispatcher_, &JobDispatcher::jobFinished, this, [this](qint64, const QString& output) {
    if (!output.isEmpty()) player_->open(output);
  });
  connect(dispatcher_, &JobDispatcher::activeJobEnded, this, [this] {
    update_queue_actions();
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
  delete model_;
}

QString MainWindow::data_dir() {
  return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
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
  queue_panel_ = new QueuePanel(*model_, *dispatcher_, this);
  auto* right = new QSplitter(Qt::Vertical, this);
  right->addWidget(player_);
  right->addWidget(queue_panel_);
  right->setStretchFactor(0, 3);
  right->setStretchFactor(1, 2);

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
  file->addSeparator();
  file->addAction(tr("Quit"), QKeySequence::Quit, this, &QWidget::close);
  QMenu* queue = menuBar()->addMenu(tr("&Queue"));
  queue->addActions({queue_back_, queue_front_, cancel_running_});
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
    config.worker_program = backend::find_worker_program();
    form_ = new GenerationForm(std::move(capabilities));
  } catch (const std::exception& error) {
    show_error(QString::fromUtf8(error.what()));
    return;
  }
  form_->setObjectName(QStringLiteral("generation_form"));
  form_area_->setWidget(form_);  // deletes the previous form
  connect(form_, &GenerationForm::validityChanged, this, &MainWindow::update_queue_actions);
  config.model_dir = dir.toStdString();
  config.device = settings_.device.toStdString();
  config.dtype = settings_.dtype.toStdString();
  config.cfg = settings_.cfg;
  config.tp = settings_.tp;
  config.cp = settings_.cp;
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
