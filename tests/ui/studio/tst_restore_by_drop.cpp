// Restore by drop on the real window with real outputs: a text-to-video and a text-to-image
// job run on the tiny checkpoint's CPU group; dropping the MP4 or either generation.json
// restores a form whose request is identical to the queued one. Images (no embedded
// metadata yet), edited metadata (checksum mismatch), metadata without a checksum, foreign
// JSON, a foreign MP4, a malformed file and an unrelated file are refused with a message, and
// the editor keeps what it held.

#include "media/video_writer.h"
#include "parallel/backend/generation_seal.h"
#include "tests/ui/studio/studio_test_home.h"
#include "tests/ui/studio/studio_window_driver.h"
#include "ui/form/generation_form.h"
#include "ui/queue/job_queue_model.h"
#include "ui/studio/backend_controller.h"
#include "ui/studio/main_window.h"

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
#include <string_view>

using namespace cosmos3;
using namespace cosmos3::ui;

namespace {

using cosmos3::test::write_text_file;

using cosmos3::test::read_file;

}  // namespace

class RestoreByDropTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase();
  void cleanupTestCase() { window_.reset(); }
  void restoresEveryOutputKindToTheSameRequest_data();
  void restoresEveryOutputKindToTheSameRequest();
  void refusesForeignAndEditedFiles_data();
  void refusesForeignAndEditedFiles();

 private:
  // Runs one job from the form; returns its queued request and first output.
  std::pair<QJsonObject, QString> run_job(const QString& prompt, int num_frames);
  void put_other_request_in_form();
  QJsonObject form_request() const { return window_->form()->jobRequests().value(0); }
  void drop_on_window(const QString& path);

  QTemporaryDir home_;
  std::unique_ptr<MainWindow> window_;
  QJsonObject video_request_;
  QString video_output_;
  QJsonObject image_request_;
  QString image_output_;
};

void RestoreByDropTest::initTestCase() {
  QVERIFY(home_.isValid());
  const QDir home(home_.path());
  QVERIFY(cosmos3::test::use_private_studio_home(home, QStringLiteral("cosmos3-restore-test")));
  const QString tiny = home.filePath("tiny");
  QVERIFY(!cosmos3::test::make_tiny_checkpoint(tiny).isEmpty());
  StudioSettings settings;
  settings.model_dir = tiny;
  settings.preview_interval = 0;
  window_ = cosmos3::test::open_studio_window(settings);
  QVERIFY(window_->form());
  QTRY_VERIFY_WITH_TIMEOUT(window_->backend().isReady(), 180000);
  std::tie(video_request_, video_output_) =
      run_job(QStringLiteral("a red ball rolls across a wooden table"), 5);
  std::tie(image_request_, image_output_) = run_job(QStringLiteral("a blue cube"), 1);
  QVERIFY(video_output_.endsWith(QLatin1String(".mp4")));
  QVERIFY2(image_output_.endsWith(QLatin1String(".jpg")), qPrintable(image_output_));
}

std::pair<QJsonObject, QString> RestoreByDropTest::run_job(const QString& prompt, int num_frames) {
  GenerationForm* form = window_->form();
  form->setMode(num_frames == 1 ? GenerationMode::kTextToImage : GenerationMode::kTextToVideo);
  form->findChild<QWidget*>(QStringLiteral("prompt"))
      ->findChild<QPlainTextEdit*>(QStringLiteral("text"))
      ->setPlainText(prompt);
  for (const auto& [name, value] : {std::pair{"height", 128}, std::pair{"width", 192},
                                    std::pair{"num_frames", num_frames}, std::pair{"steps", 2}}) {
    if (name == std::string_view("num_frames") && num_frames == 1) continue;  // the mode's
    form->findChild<QSpinBox*>(QLatin1String(name))->setValue(value);
  }
  if (!QTest::qWaitFor([form] { return form->isValid(); }, 10000)) return {};
  const qsizetype num_jobs = window_->queueModel().jobs().size();
  window_->queueAtBack();
  // The job is stored off the UI thread: its row comes a moment later.
  if (!QTest::qWaitFor([&] { return window_->queueModel().jobs().size() == num_jobs + 1; },
                       10000)) {
    return {};
  }
  const qint64 id = window_->queueModel().jobs().last().id;
  const auto state = [this, id] {
    return window_->queueModel().jobs().at(window_->queueModel().row_of(id)).state;
  };
  if (!QTest::qWaitFor([&] { return state() == JobState::Done || state() == JobState::Failed; },
                       300000)) {
    return {};
  }
  const QueuedJob& job = window_->queueModel().jobs().at(window_->queueModel().row_of(id));
  return {job.request, job.result.value(QStringLiteral("outputs")).toArray().first().toString()};
}

void RestoreByDropTest::put_other_request_in_form() {
  QJsonObject other = video_request_;
  other.insert(QStringLiteral("prompt"), QStringLiteral("something else entirely"));
  other.insert(QStringLiteral("steps"), 9);
  other.insert(QStringLiteral("seed"), 424242);
  window_->form()->setRequest(other);
}

void RestoreByDropTest::drop_on_window(const QString& path) {
  QVERIFY(cosmos3::test::drop_file_on(*window_, path));
}

void RestoreByDropTest::restoresEveryOutputKindToTheSameRequest_data() {
  QTest::addColumn<QString>("kind");
  QTest::newRow("video MP4") << QStringLiteral("mp4");
  QTest::newRow("video generation.json") << QStringLiteral("video json");
  QTest::newRow("image generation.json") << QStringLiteral("image json");
}

void RestoreByDropTest::restoresEveryOutputKindToTheSameRequest() {
  QFETCH(QString, kind);
  const bool image = kind.startsWith(QLatin1String("image"));
  const QString output = image ? image_output_ : video_output_;
  const QString path = kind == QLatin1String("mp4")
                           ? output
                           : QFileInfo(output).dir().filePath(QStringLiteral("generation.json"));
  put_other_request_in_form();
  QVERIFY(form_request() != (image ? image_request_ : video_request_));
  drop_on_window(path);
  QTRY_VERIFY(window_->form()->isValid());
  QCOMPARE(form_request(), image ? image_request_ : video_request_);
}

void RestoreByDropTest::refusesForeignAndEditedFiles_data() {
  QTest::addColumn<QString>("file");
  QTest::addColumn<QString>("reason");
  const QDir dir(home_.path());
  const QString generation =
      QFileInfo(video_output_).dir().filePath(QStringLiteral("generation.json"));
  QJsonObject ours = QJsonDocument::fromJson(read_file(generation)).object();

  QJsonObject edited = ours;
  edited.insert(QStringLiteral("prompt"), QStringLiteral("an edited prompt"));
  write_text_file(dir.filePath("edited.json"), QJsonDocument(edited).toJson());
  QTest::newRow("edited prompt") << dir.filePath("edited.json") << QStringLiteral("checksum");
  QJsonObject edited_steps = ours;
  edited_steps.insert(QStringLiteral("num_steps"), 50);
  write_text_file(dir.filePath("edited-steps.json"), QJsonDocument(edited_steps).toJson());
  QTest::newRow("edited steps") << dir.filePath("edited-steps.json") << QStringLiteral("checksum");
  QJsonObject unsealed = ours;
  unsealed.remove(QStringLiteral("parameters_checksum"));
  write_text_file(dir.filePath("unsealed.json"), QJsonDocument(unsealed).toJson());
  QTest::newRow("no checksum") << dir.filePath("unsealed.json") << QStringLiteral("checksum");
  write_text_file(dir.filePath("foreign.json"), R"({"prompt": "a cat", "steps": 20})");
  QTest::newRow("foreign JSON") << dir.filePath("foreign.json") << QStringLiteral("checksum");
  write_text_file(dir.filePath("broken.json"), "{\"prompt\": ");
  QTest::newRow("malformed JSON") << dir.filePath("broken.json") << QStringLiteral("JSON");
  write_text_file(dir.filePath("notes.txt"), "not an output");
  QTest::newRow("unrelated file") << dir.filePath("notes.txt") << QStringLiteral("not an output");
  QTest::newRow("image output") << image_output_ << QStringLiteral("generation.json beside");
  // A sealed transfer job with a setting the panel cannot show (a guidance interval).
  nlohmann::json interval_job = nlohmann::json::parse(QJsonDocument(ours).toJson().toStdString());
  interval_job["control"] = {{"edge", dir.filePath("edges.mp4").toStdString()}};
  interval_job["guidance_interval"] = {0, 500};
  backend::seal_parameters(interval_job);
  write_text_file(dir.filePath("interval.json"), QByteArray::fromStdString(interval_job.dump()));
  QTest::newRow("transfer with a guidance interval")
      << dir.filePath("interval.json") << QStringLiteral("does not set yet");

  media::VideoFrames frames;
  frames.width = 32;
  frames.height = 32;
  frames.fps = 24;
  frames.frames.assign(2, std::vector<std::uint8_t>(32 * 32 * 3, 128));
  media::write_mp4(dir.filePath("foreign.mp4").toStdString(), frames, nullptr, "");
  QTest::newRow("foreign MP4") << dir.filePath("foreign.mp4") << QStringLiteral("metadata");
  media::write_mp4(dir.filePath("unsealed.mp4").toStdString(), frames, nullptr,
                   QJsonDocument(unsealed).toJson(QJsonDocument::Compact).toStdString());
  QTest::newRow("MP4 without checksum")
      << dir.filePath("unsealed.mp4") << QStringLiteral("checksum");
}

void RestoreByDropTest::refusesForeignAndEditedFiles() {
  QFETCH(QString, file);
  QFETCH(QString, reason);
  put_other_request_in_form();
  QTRY_VERIFY(window_->form()->isValid());
  const QJsonObject before = form_request();
  drop_on_window(file);
  const QString message = window_->statusBar()->currentMessage();
  QVERIFY2(message.startsWith(QLatin1String("Not restored")), qPrintable(message));
  QVERIFY2(message.contains(reason), qPrintable(message));
  QCOMPARE(form_request(), before);
  QVERIFY(!window_->restoreFromOutput(file));
}

QTEST_MAIN(RestoreByDropTest)
#include "tst_restore_by_drop.moc"
