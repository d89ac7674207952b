// The Sound switch on the real window, with the tiny checkpoint (which has sound_gen and a sound
// tokenizer) on a real CPU worker group: ticking it and queueing makes a job whose folder holds
// sample.wav and an MP4 with one H.264 and one AAC stream; the player offers "Play sound" for
// it; dropping the job's generation.json back on a form with the switch off ticks it again and
// restores the queued request exactly.

#include "media/stream_probe.h"
#include "tests/ui/studio/studio_test_home.h"
#include "tests/ui/studio/studio_window_driver.h"
#include "ui/form/generation_form.h"
#include "ui/player/media_player_widget.h"
#include "ui/queue/job_queue_model.h"
#include "ui/studio/backend_controller.h"
#include "ui/studio/main_window.h"

#include <QAction>
#include <QCheckBox>
#include <QDir>
#include <QDropEvent>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProcess>
#include <QSpinBox>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <memory>

using namespace cosmos3;
using namespace cosmos3::ui;

class StudioSoundTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase();
  void cleanupTestCase() { window_.reset(); }
  void tickingSoundMakesAWavAndAnAacStream();
  void thePlayerOffersTheSoundtrack();
  void droppingGenerationJsonRestoresTheTick();

 private:
  QCheckBox* sound_box() const {
    return window_->form()->findChild<QCheckBox*>(QStringLiteral("sound"));
  }
  QJsonObject form_request() const { return window_->form()->jobRequests().value(0); }

  QTemporaryDir home_;
  std::unique_ptr<MainWindow> window_;
  QJsonObject request_;
  QString video_output_;
};

void StudioSoundTest::initTestCase() {
  QVERIFY(home_.isValid());
  const QDir home(home_.path());
  QVERIFY(cosmos3::test::use_private_studio_home(home, QStringLiteral("cosmos3-sound-test")));
  const QString tiny = home.filePath("tiny");
  QVERIFY(!cosmos3::test::make_tiny_checkpoint(tiny).isEmpty());
  StudioSettings settings;
  settings.model_dir = tiny;
  settings.preview_interval = 0;
  window_ = cosmos3::test::open_studio_window(settings);
  QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
  QVERIFY(window_->form());
  QTRY_VERIFY_WITH_TIMEOUT(window_->backend().isReady(), 180000);
}

void StudioSoundTest::tickingSoundMakesAWavAndAnAacStream() {
  GenerationForm* form = window_->form();
  QCheckBox* sound = sound_box();
  QVERIFY(sound);
  QVERIFY(sound->isVisible());
  QVERIFY(!sound->isChecked());
  form->findChild<QWidget*>(QStringLiteral("prompt"))
      ->findChild<QPlainTextEdit*>(QStringLiteral("text"))
      ->setPlainText(QStringLiteral("waves breaking on a rocky shore"));
  for (const auto& [name, value] : {std::pair{"height", 128}, std::pair{"width", 192},
                                    std::pair{"num_frames", 9}, std::pair{"steps", 2}}) {
    form->findChild<QSpinBox*>(QLatin1String(name))->setValue(value);
  }
  // A click on the box itself, as a user would: a check box is wider than its clickable part.
  QTest::mouseClick(sound, Qt::LeftButton, Qt::NoModifier, QPoint(6, sound->height() / 2));
  QVERIFY(sound->isChecked());
  QTRY_VERIFY(form->isValid());

  JobQueueModel& model = window_->queueModel();
  const qsizetype num_jobs = model.jobs().size();
  window_->queueAtBack();
  QTRY_COMPARE(model.jobs().size(), num_jobs + 1);
  const qint64 id = model.jobs().last().id;
  const auto state = [&] { return model.jobs().at(model.row_of(id)).state; };
  QTRY_VERIFY_WITH_TIMEOUT(state() == JobState::Done || state() == JobState::Failed, 300000);
  const QueuedJob& job = model.jobs().at(model.row_of(id));
  QVERIFY2(job.state == JobState::Done,
           qPrintable(QJsonDocument(job.result).toJson(QJsonDocument::Compact)));
  request_ = job.request;
  QCOMPARE(request_.value(QStringLiteral("sound")), QJsonValue(true));

  QStringList outputs;
  for (const QJsonValue output : job.result.value(QStringLiteral("outputs")).toArray()) {
    outputs.push_back(output.toString());
  }
  video_output_ = outputs.value(0);
  QVERIFY2(video_output_.endsWith(QLatin1String("sample.mp4")), qPrintable(outputs.join(", ")));
  const QString wav = QFileInfo(video_output_).dir().filePath(QStringLiteral("sample.wav"));
  QVERIFY2(outputs.contains(wav) && QFileInfo(wav).size() > 0, qPrintable(outputs.join(", ")));

  int num_h264 = 0;
  int num_aac = 0;
  for (const media::StreamInfo& stream : media::probe_streams(video_output_.toStdString())) {
    num_h264 += stream.codec == "h264" ? 1 : 0;
    num_aac += stream.kind == "audio" && stream.codec == "aac" ? 1 : 0;
  }
  QCOMPARE(num_h264, 1);
  QCOMPARE(num_aac, 1);
}

void StudioSoundTest::thePlayerOffersTheSoundtrack() {
  QVERIFY(!video_output_.isEmpty());
  MediaPlayerWidget& player = window_->player();
  QTRY_COMPARE_WITH_TIMEOUT(player.currentPath(), video_output_, 30000);
  QTRY_COMPARE_WITH_TIMEOUT(player.state(), MediaPlayerWidget::State::Ready, 30000);
  QVERIFY(player.playSoundAction()->isEnabled());
  QCOMPARE(player.soundtrackPath(),
           QFileInfo(video_output_).dir().filePath(QStringLiteral("sample.wav")));
}

void StudioSoundTest::droppingGenerationJsonRestoresTheTick() {
  QVERIFY(!video_output_.isEmpty());
  QJsonObject silent = request_;
  silent.remove(QStringLiteral("sound"));
  silent.insert(QStringLiteral("prompt"), QStringLiteral("something else entirely"));
  window_->form()->setRequest(silent);
  QVERIFY(!sound_box()->isChecked());
  QVERIFY(form_request() != request_);

  const QString generation =
      QFileInfo(video_output_).dir().filePath(QStringLiteral("generation.json"));
  QVERIFY(cosmos3::test::drop_file_on(*window_, generation));
  QVERIFY2(window_->statusBar()->currentMessage().startsWith(QLatin1String("Restored")),
           qPrintable(window_->statusBar()->currentMessage()));
  QVERIFY(sound_box()->isChecked());
  QTRY_VERIFY(window_->form()->isValid());
  QCOMPARE(form_request(), request_);
}

QTEST_MAIN(StudioSoundTest)
#include "tst_studio_sound.moc"
