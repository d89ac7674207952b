// The transfer panel on the real MainWindow with the tiny checkpoint and a real CPU backend
// group, driven as a user drives it: dropping a control video on the edge row applies the edge
// preset (the engine's own preset data) and shows the video's first frame in the preview strip;
// a malformed control (not a video; a video of another aspect) is refused beside its row with
// the engine's message; a transfer job with a dropped edge control and a blur control made from
// a source video runs to a video of the expected frames; dropping its generation.json back
// restores the panel and the same request, unless a control video was changed since.

#include "core/pipeline/transfer_hint.h"
#include "media/media_reader.h"
#include "media/video_writer.h"
#include "tests/media/synthetic_media.h"
#include "tests/ui/studio/studio_test_home.h"
#include "tests/ui/studio/studio_window_driver.h"
#include "ui/form/control_preview_strip.h"
#include "ui/form/form_parsing.h"
#include "ui/form/generation_form.h"
#include "ui/form/transfer_panel.h"
#include "ui/queue/job_queue_model.h"
#include "ui/studio/backend_controller.h"
#include "ui/studio/main_window.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QScrollBar>
#include <QSpinBox>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace cosmos3::ui;
using cosmos3::pipeline::ControlHint;

namespace {

// The output: a multiple of the tiny VAE's 16 pixels, and 1 + 4k frames in one chunk.
constexpr int kHeight = 32;
constexpr int kWidth = 48;
constexpr int kNumFrames = 9;

bool write_video(const QString& path, int num_frames, int height, int width) {
  cosmos3::media::write_mp4(path.toStdString(),
                            cosmos3::test::synthetic_video(width, height, num_frames, 30.0),
                            nullptr, "");
  return QFile::exists(path);
}

}  // namespace

class StudioTransferTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase();
  void cleanupTestCase() { window_.reset(); }
  void droppingAControlAppliesItsPreset();
  void malformedControlsShowTheEnginesMessage();
  void transferJobMakesTheVideo();
  void screenshotOfTheTransferPanel();
  void droppingTheTransferJobsMetadataRestoresThePanel();
  void aChangedControlVideoIsNotRestored();

 private:
  GenerationForm* form() const { return window_->form(); }
  TransferPanel* panel() const { return form()->transferPanel(); }
  template <typename Widget>
  Widget* field(const QString& name) const {
    return form()->findChild<Widget*>(name);
  }
  QWidget* row(ControlHint hint) const { return field<QWidget>(hint_key(hint) + "_control"); }
  QString row_message(ControlHint hint) const;
  // Every message the form shows now, for a failing check's output.
  QString shown_messages() const;
  void choose_origin(ControlHint hint, ControlOrigin origin);

  QTemporaryDir home_;
  std::unique_ptr<MainWindow> window_;
  QString edge_video_;
  QString source_video_;
  QString garbage_video_;
  QString square_video_;
  QJsonObject transfer_request_;
  QString generation_json_;
};

void StudioTransferTest::initTestCase() {
  QVERIFY(home_.isValid());
  const QDir home(home_.path());
  QVERIFY(cosmos3::test::use_private_studio_home(home, QStringLiteral("cosmos3-transfer-test")));
  const QString tiny = home.filePath("tiny");
  QVERIFY(!cosmos3::test::make_tiny_checkpoint(tiny).isEmpty());
  edge_video_ = home.filePath("edges.mp4");
  source_video_ = home.filePath("street.mp4");
  square_video_ = home.filePath("square_depth.mp4");
  garbage_video_ = home.filePath("broken_depth.mp4");
  QVERIFY(write_video(edge_video_, kNumFrames, kHeight, kWidth));
  QVERIFY(write_video(source_video_, kNumFrames, kHeight, kWidth));
  QVERIFY(write_video(square_video_, kNumFrames, kHeight, kHeight));
  QVERIFY(cosmos3::test::write_text_file(garbage_video_, "not a video at all"));

  StudioSettings settings;
  settings.model_dir = tiny;
  settings.preview_interval = 0;
  window_ = cosmos3::test::open_studio_window(settings);
  QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
  QVERIFY(form());
  QVERIFY2(panel(), "the tiny checkpoint has a VAE and this build reads media: the panel shows");
  QTRY_VERIFY_WITH_TIMEOUT(window_->backend().isReady(), 180000);
}

QString StudioTransferTest::row_message(ControlHint hint) const {
  auto* label = field<QLabel>(hint_key(hint) + "_error");
  return label && label->isVisibleTo(form()) ? label->text() : QString();
}

QString StudioTransferTest::shown_messages() const {
  QStringList messages;
  for (const QLabel* label : form()->findChildren<QLabel*>()) {
    if (label->objectName().endsWith(QLatin1String("_error")) && label->isVisibleTo(form())) {
      messages.push_back(label->objectName() + QLatin1String(": ") + label->text());
    }
  }
  return messages.join(QLatin1Char('\n'));
}

void StudioTransferTest::choose_origin(ControlHint hint, ControlOrigin origin) {
  auto* combo = field<QComboBox>(hint_key(hint) + "_origin");
  QVERIFY(combo);
  const int index = combo->findData(static_cast<int>(origin));
  QVERIFY(index >= 0);
  combo->setFocus();
  combo->setCurrentIndex(index);
  Q_EMIT combo->activated(index);
}

void StudioTransferTest::droppingAControlAppliesItsPreset() {
  // One row per hint, in the order the controls enter the sequence.
  for (const ControlHint hint : cosmos3::pipeline::control_hints_in_order()) {
    QVERIFY2(row(hint), qPrintable(hint_key(hint)));
  }
  QVERIFY(!field<QWidget>("control_guidance")->isVisibleTo(form()));
  field<QSpinBox>("steps")->setValue(7);
  QVERIFY(cosmos3::test::drop_file_on(*row(ControlHint::kEdge), edge_video_));
  const cosmos3::pipeline::TransferPreset& preset =
      cosmos3::pipeline::transfer_preset(ControlHint::kEdge);
  const FormValues values = form()->values();
  QCOMPARE(values.transfer.controls.value(ControlHint::kEdge).path, edge_video_);
  QCOMPARE(values.guidance_scale_text, decimal_text(preset.guidance_scale));
  QCOMPARE(values.flow_shift_text, decimal_text(preset.flow_shift));
  QCOMPARE(values.fps_text, decimal_text(preset.fps));
  QCOMPARE(values.num_frames, preset.num_frames);
  QCOMPARE(values.transfer.control_guidance_text, decimal_text(preset.control_guidance));
  QCOMPARE(values.transfer.num_video_frames_per_chunk, preset.num_frames);
  QCOMPARE(values.mode, GenerationMode::kTextToVideo);
  QVERIFY(field<QWidget>("control_guidance")->isVisibleTo(form()));
  // The edge control's first frame, labelled by its hint.
  QCOMPARE(panel()->previews().captions(), QStringList{QStringLiteral("edge")});
  QTRY_VERIFY_WITH_TIMEOUT(panel()->previews().showsFrame(QStringLiteral("edge")), 20000);
}

void StudioTransferTest::malformedControlsShowTheEnginesMessage() {
  QVERIFY(cosmos3::test::drop_file_on(*row(ControlHint::kDepth), garbage_video_));
  QTRY_VERIFY_WITH_TIMEOUT(row_message(ControlHint::kDepth).contains("control video depth"), 20000);
  QVERIFY2(row_message(ControlHint::kDepth)
               .contains("give a video file the media module can "
                         "decode"),
           qPrintable(row_message(ControlHint::kDepth)));
  QVERIFY(!form()->isValid());

  // Readable, but of another aspect than the output: the engine's check_control_frames.
  form()->findChild<QSpinBox*>(QStringLiteral("height"))->setValue(kHeight);
  form()->findChild<QSpinBox*>(QStringLiteral("width"))->setValue(kWidth);
  QVERIFY(cosmos3::test::drop_file_on(*row(ControlHint::kDepth), square_video_));
  QTRY_VERIFY2_WITH_TIMEOUT(row_message(ControlHint::kDepth).contains("another aspect ratio"),
                            qPrintable(shown_messages()), 20000);
  QVERIFY(row_message(ControlHint::kDepth).contains("depth"));
  QVERIFY(!form()->isValid());
  QCOMPARE(panel()->previews().captions(),
           (QStringList{QStringLiteral("edge"), QStringLiteral("depth")}));

  choose_origin(ControlHint::kDepth, ControlOrigin::kNone);
  QVERIFY(row_message(ControlHint::kDepth).isEmpty());
}

void StudioTransferTest::transferJobMakesTheVideo() {
  field<QWidget>("prompt")
      ->findChild<QPlainTextEdit*>(QStringLiteral("text"))
      ->setPlainText(QStringLiteral("{\"caption\": \"a street at dusk\"}"));
  // Blur made by the worker from a source video, with its sigma.
  choose_origin(ControlHint::kBlur, ControlOrigin::kMadeFromSource);
  QVERIFY(field<QWidget>("control_source")->isVisibleTo(form()));
  QVERIFY(cosmos3::test::drop_file_on(*field<QWidget>("control_source")->parentWidget(),
                                      source_video_));
  field<QLineEdit>("blur_sigma")->setText(QStringLiteral("2.5"));
  field<QSpinBox>("steps")->setValue(2);
  field<QLineEdit>("guidance_scale")->setText(QStringLiteral("1"));
  field<QSpinBox>("height")->setValue(kHeight);
  field<QSpinBox>("width")->setValue(kWidth);
  field<QSpinBox>("num_frames")->setValue(kNumFrames);
  field<QSpinBox>("num_video_frames_per_chunk")->setValue(kNumFrames);
  QTRY_VERIFY2_WITH_TIMEOUT(form()->isValid(), qPrintable(shown_messages()), 20000);
  // The blur the worker will make, on the source's first frame, beside the edge control.
  const QString blur_caption = QStringLiteral("blur (made from street.mp4)");
  QCOMPARE(panel()->previews().captions(), (QStringList{QStringLiteral("edge"), blur_caption}));
  QTRY_VERIFY_WITH_TIMEOUT(panel()->previews().showsFrame(blur_caption), 20000);

  const QJsonObject request = form()->jobRequests().value(0);
  const QJsonObject control = request.value(QStringLiteral("control")).toObject();
  QCOMPARE(control.value(QStringLiteral("edge")).toString(), edge_video_);
  QVERIFY(control.value(QStringLiteral("blur")).isNull());
  QCOMPARE(request.value(QStringLiteral("control_source")).toString(), source_video_);
  QCOMPARE(request.value(QStringLiteral("blur_sigma")).toDouble(), 2.5);

  const QueuedJob job = cosmos3::test::run_form_job(*window_);
  QVERIFY2(job.state == JobState::Done, qPrintable(job.failure_message));
  transfer_request_ = job.request;
  const QString video = cosmos3::test::output_named(job, QStringLiteral("sample.mp4"));
  generation_json_ = cosmos3::test::output_named(job, QStringLiteral("generation.json"));
  QVERIFY2(QFile::exists(video), "no sample.mp4");
  const cosmos3::media::VideoFrames frames = cosmos3::media::read_video(video.toStdString());
  QCOMPARE(frames.num_frames(), kNumFrames);
  QCOMPARE(frames.height, kHeight);
  QCOMPARE(frames.width, kWidth);
  const QJsonObject metadata =
      QJsonDocument::fromJson(cosmos3::test::read_file(generation_json_)).object();
  QCOMPARE(metadata.value(QStringLiteral("mode")).toString(), QStringLiteral("transfer"));
  QCOMPARE(metadata.value(QStringLiteral("num_chunks")).toInt(), 1);
}

// scripts/screenshots.sh sets COSMOS3_SCREENSHOT_DIR and runs this under Xvfb: the editor with
// the transfer job's controls and their previews side by side.
void StudioTransferTest::screenshotOfTheTransferPanel() {
  const QString shots = qEnvironmentVariable("COSMOS3_SCREENSHOT_DIR");
  if (shots.isEmpty()) QSKIP("COSMOS3_SCREENSHOT_DIR is not set");
  QVERIFY2(!transfer_request_.isEmpty(), "the transfer job did not finish");
  QTRY_VERIFY(panel()->previews().showsFrame(QStringLiteral("edge")));
  // The editor scrolled to the panel: its rows and the previews under them.
  auto* scroll = window_->findChild<QScrollArea*>();
  QVERIFY(scroll && scroll->widget()->isAncestorOf(panel()));
  scroll->verticalScrollBar()->setValue(panel()->mapTo(scroll->widget(), QPoint(0, 0)).y() - 40);
  QTest::qWait(300);  // lets the previews paint before the grab
  QVERIFY(QDir().mkpath(shots));
  QVERIFY(window_->grab().save(QDir(shots).filePath(QStringLiteral("transfer_panel.png"))));
}

void StudioTransferTest::droppingTheTransferJobsMetadataRestoresThePanel() {
  QVERIFY2(!generation_json_.isEmpty(), "the transfer job did not finish");
  choose_origin(ControlHint::kEdge, ControlOrigin::kNone);
  choose_origin(ControlHint::kBlur, ControlOrigin::kNone);
  QVERIFY(!form()->values().transfer.enabled());
  QVERIFY(cosmos3::test::drop_file_on(*window_, generation_json_));
  const QString status = window_->statusBar()->currentMessage();
  QVERIFY2(status.startsWith(QLatin1String("Restored")), qPrintable(status));
  const TransferValues transfer = form()->values().transfer;
  QCOMPARE(transfer.controls.value(ControlHint::kEdge).origin, ControlOrigin::kFile);
  QCOMPARE(transfer.controls.value(ControlHint::kEdge).path, edge_video_);
  QCOMPARE(transfer.controls.value(ControlHint::kBlur).origin, ControlOrigin::kMadeFromSource);
  QCOMPARE(transfer.control_source, source_video_);
  QCOMPARE(transfer.blur_sigma_text, QStringLiteral("2.5"));
  QCOMPARE(transfer.num_video_frames_per_chunk, kNumFrames);
  QCOMPARE(field<QComboBox>("blur_origin")->currentData().toInt(),
           static_cast<int>(ControlOrigin::kMadeFromSource));
  QTRY_VERIFY2_WITH_TIMEOUT(form()->isValid(), qPrintable(shown_messages()), 20000);
  QCOMPARE(form()->jobRequests().value(0), transfer_request_);
}

void StudioTransferTest::aChangedControlVideoIsNotRestored() {
  QVERIFY(!generation_json_.isEmpty());
  QVERIFY(write_video(edge_video_, kNumFrames + 4, kHeight, kWidth));
  const QJsonObject before = form()->jobRequests().value(0);
  QVERIFY(cosmos3::test::drop_file_on(*window_, generation_json_));
  const QString status = window_->statusBar()->currentMessage();
  QVERIFY2(status.startsWith(QLatin1String("Not restored")) &&
               status.contains(QLatin1String("edge control video")) &&
               status.contains(QLatin1String("was changed since the job ran")),
           qPrintable(status));
  QCOMPARE(form()->jobRequests().value(0), before);
}

QTEST_MAIN(StudioTransferTest)
#include "tst_studio_transfer.moc"
