// Restore by drop on the real window with real outputs: a text-to-video and a text-to-image
// job run on the tiny checkpoint's CPU group; dropping the MP4 or either generation.json
// restores a form whose request is identical to the queued one. Images (no embedded
// metadata yet), edited metadata (checksum mismatch), metadata without a checksum, foreign
// JSON, a foreign MP4, a malformed file and an unrelated file are refused with a message, and
// the editor keeps what it held. A sealed transfer job with guidance intervals and a seed video
// restores the transfer panel with them; edited, or with its seed video changed since, it is
// refused.

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
  void restoresATransferJobsIntervalsAndSeedVideo();

 private:
  // Runs one job from the form; returns its queued request and first output.
  std::pair<QJsonObject, QString> run_job(const QString& prompt, int num_frames);
  void put_other_request_in_form();
  QJsonObject form_request() const { return window_->form()->jobRequests().value(0); }
  void drop_on_window(const QString& path);
  // Writes a gray `num_frames`-frame video of the test jobs' size (192 x 128) at `name`.
  QString write_video(const QString& name, int num_frames, int gray) const;
  // The video job's sealed generation.json turned into a transfer job's: an edge control, both
  // guidance intervals and a seed video, each file's digest sealed as the worker seals them.
  nlohmann::json transfer_metadata() const;

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

QString RestoreByDropTest::write_video(const QString& name, int num_frames, int gray) const {
  media::VideoFrames frames;
  frames.width = 192;
  frames.height = 128;
  frames.fps = 24;
  frames.frames.assign(num_frames, std::vector<std::uint8_t>(192 * 128 * 3, gray));
  const QString path = QDir(home_.path()).filePath(name);
  media::write_mp4(path.toStdString(), frames, nullptr, "");
  return path;
}

nlohmann::json RestoreByDropTest::transfer_metadata() const {
  const QString generation =
      QFileInfo(video_output_).dir().filePath(QStringLiteral("generation.json"));
  nlohmann::json metadata = nlohmann::json::parse(read_file(generation).toStdString());
  const std::string edges = write_video(QStringLiteral("edges.mp4"), 5, 90).toStdString();
  const std::string seed = write_video(QStringLiteral("seed.mp4"), 5, 160).toStdString();
  metadata["control"] = {{"edge", edges}};
  metadata["control_digests"] = {{"edge", backend::file_digest(edges)},
                                 {"video", backend::file_digest(seed)}};
  metadata["guidance_scale"] = 3.0;
  metadata["control_guidance"] = 1.5;
  metadata["num_video_frames_per_chunk"] = 5;
  metadata["num_conditional_frames"] = 1;
  metadata["guidance_interval"] = {0.0, 500.0};
  metadata["control_guidance_interval"] = {200.0, 900.0};
  metadata["video_path"] = seed;
  metadata["num_first_chunk_conditional_frames"] = 2;
  backend::seal_parameters(metadata);
  return metadata;
}

void RestoreByDropTest::restoresATransferJobsIntervalsAndSeedVideo() {
  const QString path = QDir(home_.path()).filePath(QStringLiteral("transfer.json"));
  const nlohmann::json metadata = transfer_metadata();
  write_text_file(path, QByteArray::fromStdString(metadata.dump()));
  put_other_request_in_form();
  drop_on_window(path);
  const QString message = window_->statusBar()->currentMessage();
  QVERIFY2(!message.startsWith(QLatin1String("Not restored")), qPrintable(message));
  QTRY_VERIFY_WITH_TIMEOUT(window_->form()->isValid(), 20000);
  const QJsonObject request = form_request();
  QCOMPARE(request.value(QStringLiteral("guidance_interval")).toArray(), (QJsonArray{0, 500}));
  QCOMPARE(request.value(QStringLiteral("control_guidance_interval")).toArray(),
           (QJsonArray{200, 900}));
  QCOMPARE(request.value(QStringLiteral("video_path")).toString(),
           QString::fromStdString(metadata["video_path"].get<std::string>()));
  QCOMPARE(request.value(QStringLiteral("num_first_chunk_conditional_frames")).toInt(), 2);
  QCOMPARE(request.value(QStringLiteral("control")).toObject().value(QStringLiteral("edge")),
           QJsonValue(QString::fromStdString(metadata["control"]["edge"].get<std::string>())));
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
  // A sealed transfer job edited after the seal (its interval), and one whose seed video was
  // changed since it ran.
  nlohmann::json interval_job = transfer_metadata();
  interval_job["guidance_interval"] = {0, 400};
  write_text_file(dir.filePath("interval.json"), QByteArray::fromStdString(interval_job.dump()));
  QTest::newRow("transfer with an edited guidance interval")
      << dir.filePath("interval.json") << QStringLiteral("checksum");
  const nlohmann::json seeded_job = transfer_metadata();
  write_text_file(dir.filePath("seeded.json"), QByteArray::fromStdString(seeded_job.dump()));
  write_video(QStringLiteral("seed.mp4"), 5, 30);
  QTest::newRow("transfer whose seed video changed")
      << dir.filePath("seeded.json") << QStringLiteral("seed video");

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
