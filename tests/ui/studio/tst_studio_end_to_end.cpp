// The real MainWindow on the tiny checkpoint with a 2-rank CPU group (cp 2), driven through its
// widgets and shortcuts: a job queued with Ctrl+Enter runs to a playable video; Ctrl+Shift+Enter
// queues at the front while paused; Ctrl+Alt+Enter cancels a running job.

#include "media/media_reader.h"
#include "tests/ui/studio/studio_test_home.h"
#include "tests/ui/studio/studio_window_driver.h"
#include "ui/form/generation_form.h"
#include "ui/player/media_player_widget.h"
#include "ui/queue/job_queue_model.h"
#include "ui/studio/backend_controller.h"
#include "ui/studio/job_dispatcher.h"
#include "ui/studio/main_window.h"
#include "ui/studio/queue_panel.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QListView>
#include <QPlainTextEdit>
#include <QProcess>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace cosmos3::ui;

class StudioEndToEndTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase();
  void cleanupTestCase();
  void ctrlEnterRunsAJobToAPlayableVideo();
  void ctrlShiftEnterQueuesAtTheFrontWhilePaused();
  void ctrlAltEnterCancelsTheRunningJob();
  void retryQueuesACanceledJobAgainAtTheBack();
  void closingWhileAJobRunsCancelsItThenCloses();

 private:
  QPlainTextEdit* prompt_edit() const;
  QSpinBox* spin_box(const char* name) const;
  void fill_form(const QString& prompt, int num_steps);
  JobState state_of(qint64 id) const;
  qint64 last_job_id() const { return window_->queueModel().jobs().last().id; }

  QTemporaryDir home_;
  QString checkpoint_dir_;
  std::unique_ptr<MainWindow> window_;
};

void StudioEndToEndTest::initTestCase() {
  QVERIFY(home_.isValid());
  // Settings, the queue and the group's socket all go to this test's own folder.
  const QDir home(home_.path());
  QVERIFY(cosmos3::test::use_private_studio_home(home, QStringLiteral("cosmos3-studio-test")));

  checkpoint_dir_ = home.filePath("tiny-checkpoint");
  QVERIFY(!cosmos3::test::make_tiny_checkpoint(checkpoint_dir_).isEmpty());

  StudioSettings settings;
  settings.model_dir = checkpoint_dir_;
  settings.cp = 2;
  settings.preview_interval = 1;
  window_ = cosmos3::test::open_studio_window(settings);
  QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
  window_->activateWindow();
  QVERIFY(window_->form() != nullptr);
  QTRY_VERIFY_WITH_TIMEOUT(window_->backend().isReady(), 180000);
}

void StudioEndToEndTest::cleanupTestCase() { window_.reset(); }

QPlainTextEdit* StudioEndToEndTest::prompt_edit() const {
  QWidget* prompt = window_->form()->findChild<QWidget*>(QStringLiteral("prompt"));
  return prompt ? prompt->findChild<QPlainTextEdit*>(QStringLiteral("text")) : nullptr;
}

QSpinBox* StudioEndToEndTest::spin_box(const char* name) const {
  return window_->form()->findChild<QSpinBox*>(QLatin1String(name));
}

void StudioEndToEndTest::fill_form(const QString& prompt, int num_steps) {
  QPlainTextEdit* edit = prompt_edit();
  QVERIFY(edit);
  edit->setFocus();
  edit->selectAll();
  QTest::keyClick(edit, Qt::Key_Delete);
  QTest::keyClicks(edit, prompt);
  for (const auto& [name, value] : {std::pair{"height", 128}, std::pair{"width", 192},
                                    std::pair{"num_frames", 5}, std::pair{"steps", num_steps}}) {
    QSpinBox* box = spin_box(name);
    QVERIFY2(box, name);
    box->setValue(value);
  }
  QTRY_VERIFY(window_->form()->isValid());
  edit->setFocus();
}

JobState StudioEndToEndTest::state_of(qint64 id) const {
  const int row = window_->queueModel().row_of(id);
  return row < 0 ? JobState::Pending : window_->queueModel().jobs().at(row).state;
}

void StudioEndToEndTest::ctrlEnterRunsAJobToAPlayableVideo() {
  // An empty prompt is invalid: the queue actions stay off until it is fixed.
  auto* queue_at_back = window_->findChild<QAction*>(QStringLiteral("queue_at_back"));
  QVERIFY(queue_at_back);
  QVERIFY(!window_->form()->isValid());
  QVERIFY(!queue_at_back->isEnabled());
  fill_form(QStringLiteral("a red ball rolling on a wooden table"), 3);
  QVERIFY(queue_at_back->isEnabled());
  QSignalSpy previews(&window_->dispatcher(), &JobDispatcher::previewArrived);
  JobQueueModel& model = window_->queueModel();
  QTest::keyClick(prompt_edit(), Qt::Key_Return, Qt::ControlModifier);
  QTRY_COMPARE(model.rowCount(), 1);
  const qint64 id = last_job_id();
  QTRY_VERIFY_WITH_TIMEOUT(state_of(id) == JobState::Done, 180000);

  const QueuedJob job = model.jobs().at(model.row_of(id));
  QCOMPARE(job.request.value(QStringLiteral("prompt")).toString(),
           QStringLiteral("a red ball rolling on a wooden table"));
  const QString output = job.result.value(QStringLiteral("outputs")).toArray().first().toString();
  QVERIFY2(QFile::exists(output), qPrintable(output));
  QVERIFY2(output.startsWith(QDir(job.job_dir).filePath(QStringLiteral("output"))),
           qPrintable(output));
  // Previews every step before the last: steps 1 and 2 of 3.
  QCOMPARE(previews.size(), 2);

  MediaPlayerWidget& player = window_->player();
  QTRY_COMPARE_WITH_TIMEOUT(player.currentPath(), output, 30000);
  QTRY_COMPARE_WITH_TIMEOUT(player.state(), MediaPlayerWidget::State::Ready, 30000);
  QCOMPARE(player.currentImage().size(), QSize(192, 128));
  QCOMPARE(player.frameCount(), 5);

  const cosmos3::media::VideoFrames video = cosmos3::media::read_video(output.toStdString());
  QCOMPARE(video.num_frames(), 5);
  QCOMPARE(video.width, 192);
  QCOMPARE(video.height, 128);
}

void StudioEndToEndTest::ctrlShiftEnterQueuesAtTheFrontWhilePaused() {
  auto* pause = window_->findChild<QAction*>(QStringLiteral("pause_after_current"));
  QVERIFY(pause);
  pause->trigger();
  QVERIFY(window_->dispatcher().isPaused());
  JobQueueModel& model = window_->queueModel();
  const int num_rows_before = model.rowCount();

  fill_form(QStringLiteral("queued at the back"), 3);
  QTest::keyClick(prompt_edit(), Qt::Key_Return, Qt::ControlModifier);
  QTRY_COMPARE(model.rowCount(), num_rows_before + 1);
  fill_form(QStringLiteral("queued at the front"), 3);
  QTest::keyClick(prompt_edit(), Qt::Key_Return, Qt::ControlModifier | Qt::ShiftModifier);
  QTRY_COMPARE(model.rowCount(), num_rows_before + 2);

  const auto prompt_at = [&](int row) {
    return model.jobs().at(row).request.value(QStringLiteral("prompt")).toString();
  };
  QCOMPARE(prompt_at(0), QStringLiteral("queued at the front"));
  QCOMPARE(prompt_at(model.rowCount() - 1), QStringLiteral("queued at the back"));
  // Paused: neither was taken.
  QTest::qWait(1000);
  QCOMPARE(model.jobs().at(0).state, JobState::Pending);
  QCOMPARE(window_->dispatcher().activeJobId(), 0);
  model.remove({model.jobs().at(0).id, model.jobs().last().id});
  pause->trigger();
  QVERIFY(!window_->dispatcher().isPaused());
}

void StudioEndToEndTest::ctrlAltEnterCancelsTheRunningJob() {
  fill_form(QStringLiteral("a long job to cancel"), 500);
  JobQueueModel& model = window_->queueModel();
  const int num_rows_before = model.rowCount();
  QTest::keyClick(prompt_edit(), Qt::Key_Return, Qt::ControlModifier);
  QTRY_COMPARE(model.rowCount(), num_rows_before + 1);
  const qint64 id = last_job_id();
  QTRY_VERIFY_WITH_TIMEOUT(state_of(id) == JobState::Running &&
                               model.jobs().at(model.row_of(id)).progress.num_steps_done >= 1,
                           180000);
  QTest::keyClick(window_.get(), Qt::Key_Return, Qt::ControlModifier | Qt::AltModifier);
  QTRY_VERIFY_WITH_TIMEOUT(state_of(id) == JobState::Canceled, 180000);
  QVERIFY(model.jobs().at(model.row_of(id)).progress.num_steps_done < 500);
  QCOMPARE(window_->dispatcher().activeJobId(), 0);
}

void StudioEndToEndTest::retryQueuesACanceledJobAgainAtTheBack() {
  JobQueueModel& model = window_->queueModel();
  const QueuedJob canceled = model.jobs().last();
  QCOMPARE(canceled.state, JobState::Canceled);
  window_->dispatcher().setPaused(true);
  QListView* view = window_->queuePanel().view();
  view->selectionModel()->select(model.index(model.row_of(canceled.id)),
                                 QItemSelectionModel::ClearAndSelect);
  auto* retry = window_->findChild<QAction*>(QStringLiteral("retry"));
  QVERIFY(retry && retry->isEnabled());
  const int num_rows_before = model.rowCount();
  retry->trigger();
  QTRY_COMPARE(model.rowCount(), num_rows_before + 1);
  const QueuedJob again = model.jobs().last();
  QVERIFY(again.id != canceled.id);
  QCOMPARE(again.state, JobState::Pending);
  QCOMPARE(again.request, canceled.request);
  QCOMPARE(model.jobs().at(model.row_of(canceled.id)).state, JobState::Canceled);
  model.remove({again.id});
  window_->dispatcher().setPaused(false);
}

void StudioEndToEndTest::closingWhileAJobRunsCancelsItThenCloses() {
  fill_form(QStringLiteral("a long job running at close"), 500);
  JobQueueModel& model = window_->queueModel();
  const int num_rows_before = model.rowCount();
  QTest::keyClick(prompt_edit(), Qt::Key_Return, Qt::ControlModifier);
  QTRY_COMPARE(model.rowCount(), num_rows_before + 1);
  const qint64 id = last_job_id();
  QTRY_VERIFY_WITH_TIMEOUT(state_of(id) == JobState::Running, 180000);
  // The close waits for the job's end (canceled, as answered), so it never leaves it running.
  QVERIFY(!window_->close());
  QVERIFY(window_->isVisible());
  QTRY_VERIFY_WITH_TIMEOUT(state_of(id) == JobState::Canceled, 180000);
  QTRY_VERIFY(!window_->isVisible());
}

QTEST_MAIN(StudioEndToEndTest)
#include "tst_studio_end_to_end.moc"
