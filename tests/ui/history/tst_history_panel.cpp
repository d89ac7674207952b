// The history gallery over a real queue store holding finished jobs whose outputs are real
// media files (written by the media module as the worker writes them): only done jobs with an
// output are listed, newest first; prompt and mode filters narrow the list; first frames become
// thumbnails off the UI thread; copy puts the job's request on the clipboard, "use as input"
// names the output, and delete moves the job's folder to the trash and drops the job.

#include "media/image_writer.h"
#include "media/video_writer.h"
#include "tests/ui/queue/queue_test_support.h"
#include "ui/history/history_filter_model.h"
#include "ui/history/history_panel.h"
#include "ui/queue/job_queue_model.h"
#include "ui/queue/job_store.h"

#include <QAbstractItemModelTester>
#include <QClipboard>
#include <QComboBox>
#include <QDirIterator>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>
#include <QListView>
#include <QSignalSpy>
#include <QStorageInfo>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

#include <unistd.h>

using namespace cosmos3;
using namespace cosmos3::ui;

class HistoryPanelTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void init();
  void cleanup();
  void listsFinishedOutputsAndFilters();
  void showsFirstFramesAsThumbnails();
  void copyUseAsInputAndDeleteToTrash();

 private:
  qint64 finished_job(const QString& prompt, int num_frames, bool with_output = true);
  void select_row(int row);

  std::unique_ptr<QTemporaryDir> home_;
  std::unique_ptr<JobStore> store_;
  std::unique_ptr<JobQueueModel> queue_;
  std::unique_ptr<HistoryPanel> panel_;
};

void HistoryPanelTest::init() {
  home_ = std::make_unique<QTemporaryDir>();
  QVERIFY(home_->isValid());
  // The trash lives in XDG_DATA_HOME/Trash: the test's own folder, never the user's.
  qputenv("XDG_DATA_HOME", home_->filePath(QStringLiteral("data")).toUtf8());
  QVERIFY(QDir().mkpath(home_->filePath(QStringLiteral("data"))));
  store_ = std::make_unique<JobStore>(home_->filePath(QStringLiteral("queue")));
  queue_ = std::make_unique<JobQueueModel>(*store_);
  panel_ = std::make_unique<HistoryPanel>(*queue_);
}

void HistoryPanelTest::cleanup() {
  panel_.reset();
  queue_.reset();
  store_.reset();
  home_.reset();
}

qint64 HistoryPanelTest::finished_job(const QString& prompt, int num_frames, bool with_output) {
  const QueuedJob job = queue_->enqueue(test::job_request(prompt, {{"num_frames", num_frames}}));
  const QString output_dir = QDir(job.job_dir).filePath(QStringLiteral("output"));
  QDir().mkpath(output_dir);
  QJsonArray outputs;
  if (with_output) {
    const int width = 64;
    const int height = 48;
    std::vector<std::uint8_t> frame(static_cast<std::size_t>(width * height * 3));
    for (std::size_t index = 0; index < frame.size(); ++index) {
      frame[index] = static_cast<std::uint8_t>(index % 251);
    }
    if (num_frames == 1) {
      const QString path = QDir(output_dir).filePath(QStringLiteral("sample.jpg"));
      media::write_image(path.toStdString(), frame, width, height);
      outputs.append(path);
    } else {
      media::VideoFrames video{width, height, 24, {frame, frame, frame}};
      const QString path = QDir(output_dir).filePath(QStringLiteral("sample.mp4"));
      media::write_mp4(path.toStdString(), video, nullptr, "");
      outputs.append(path);
    }
  }
  queue_->set_state(job.id, JobState::Running);
  queue_->set_result(job.id, {{"outputs", outputs}});
  queue_->set_state(job.id, with_output ? JobState::Done : JobState::Failed);
  return job.id;
}

void HistoryPanelTest::select_row(int row) {
  QListView& view = panel_->view();
  view.selectionModel()->select(view.model()->index(row, 0), QItemSelectionModel::ClearAndSelect);
}

void HistoryPanelTest::listsFinishedOutputsAndFilters() {
  HistoryFilterModel& model = panel_->model();
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
  const qint64 ball = finished_job(QStringLiteral("A red ball rolls"), 5);
  const qint64 cube = finished_job(QStringLiteral("A blue cube"), 1);
  finished_job(QStringLiteral("A failed job"), 5, false);
  queue_->enqueue(test::job_request(QStringLiteral("A pending ball")));
  QCOMPARE(model.rowCount(), 2);
  // Newest first.
  QCOMPARE(model.jobId(model.index(0, 0)), cube);
  QCOMPARE(model.jobId(model.index(1, 0)), ball);
  QVERIFY(model.index(1, 0)
              .data(HistoryFilterModel::ParametersRole)
              .toString()
              .contains(QStringLiteral("192×128")));

  panel_->findChild<QLineEdit*>(QStringLiteral("history_prompt_filter"))
      ->setText(QStringLiteral("BALL"));
  QCOMPARE(model.rowCount(), 1);
  QCOMPARE(model.jobId(model.index(0, 0)), ball);
  panel_->findChild<QLineEdit*>(QStringLiteral("history_prompt_filter"))->clear();
  auto* mode = panel_->findChild<QComboBox*>(QStringLiteral("history_mode_filter"));
  mode->setCurrentIndex(mode->findData(QStringLiteral("text-to-image")));
  QCOMPARE(model.rowCount(), 1);
  QCOMPARE(model.jobId(model.index(0, 0)), cube);
  mode->setCurrentIndex(0);
  QCOMPARE(model.rowCount(), 2);
}

void HistoryPanelTest::showsFirstFramesAsThumbnails() {
  finished_job(QStringLiteral("video"), 5);
  finished_job(QStringLiteral("image"), 1);
  HistoryFilterModel& model = panel_->model();
  for (int row = 0; row < model.rowCount(); ++row) model.index(row, 0).data(Qt::DecorationRole);
  for (int row = 0; row < model.rowCount(); ++row) {
    QTRY_VERIFY_WITH_TIMEOUT(!model.index(row, 0).data(Qt::DecorationRole).isNull(), 20000);
    const QPixmap thumbnail = model.index(row, 0).data(Qt::DecorationRole).value<QPixmap>();
    QCOMPARE(thumbnail.width(), 160);  // 64x48 scaled to the gallery's 160 px, aspect kept
    QCOMPARE(thumbnail.height(), 120);
  }
}

void HistoryPanelTest::copyUseAsInputAndDeleteToTrash() {
  const qint64 id = finished_job(QStringLiteral("keep me"), 5);
  select_row(0);
  panel_->copySelectedParameters();
  const QJsonObject copied =
      QJsonDocument::fromJson(QGuiApplication::clipboard()->text().toUtf8()).object();
  QCOMPARE(copied, queue_->jobs().at(queue_->row_of(id)).request);

  QSignalSpy use(panel_.get(), &HistoryPanel::useAsInputRequested);
  panel_->useSelectedAsInput();
  QCOMPARE(use.size(), 1);
  const QString output = panel_->selectedOutput();
  QCOMPARE(use.first().first().toString(), output);

  const QString folder = QFileInfo(output).absolutePath();
  QVERIFY(QFileInfo::exists(folder));
  panel_->deleteSelected();
  QVERIFY(!QFileInfo::exists(folder));
  QCOMPARE(queue_->row_of(id), -1);
  QCOMPARE(panel_->model().rowCount(), 0);
  // In the trash, not gone: the home trash (XDG_DATA_HOME/Trash, this test's own) when the
  // folder is on the home's file system, else the file system's own .Trash-UID.
  const QString root = QStorageInfo(home_->path()).rootPath();
  const QString uid = QString::number(::getuid());
  bool found = false;
  for (const QString& trash :
       {home_->filePath(QStringLiteral("data/Trash/files")),
        QDir(root).filePath(QStringLiteral(".Trash-") + uid + QStringLiteral("/files")),
        QDir(root).filePath(QStringLiteral(".Trash/") + uid + QStringLiteral("/files"))}) {
    QDirIterator trashed(trash, {QStringLiteral("sample.mp4")}, QDir::Files,
                         QDirIterator::Subdirectories);
    while (trashed.hasNext()) {
      const QString path = trashed.next();
      if (QFileInfo(path).dir().dirName().startsWith(QFileInfo(folder).fileName())) found = true;
    }
  }
  QVERIFY(found);
}

QTEST_MAIN(HistoryPanelTest)
#include "tst_history_panel.moc"
