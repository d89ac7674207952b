// Presets per mode: a preset saved from the real form's job and loaded back into a form with
// other values yields the same job parameters; rename, delete, export and import keep them;
// bad names, unknown presets, foreign or wrong-mode files are refused with a message, and
// nothing is written then.

#include "core/errors.h"
#include "tests/ui/form/tiny_checkpoint.h"
#include "ui/form/checkpoint_capabilities.h"
#include "ui/form/generation_form.h"
#include "ui/presets/preset_store.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>
#include <utility>

using namespace cosmos3;
using namespace cosmos3::ui;

class PresetStoreTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(temp_.isValid());
    tiny_ = test::make_tiny_checkpoint(temp_.filePath(QStringLiteral("tiny")));
    QVERIFY(!tiny_.isEmpty());
  }

  void roundTripsThroughTheForm() {
    PresetStore store(temp_.filePath(QStringLiteral("presets")));
    auto form = make_form();
    QVERIFY(form);
    QJsonObject job = form->jobRequests().front();
    job.insert(QStringLiteral("steps"), 7);
    job.insert(QStringLiteral("guidance_scale"), 3.5);
    job.insert(QStringLiteral("height"), 256);
    job.insert(QStringLiteral("width"), 384);
    job.insert(QStringLiteral("num_frames"), 9);
    job.insert(QStringLiteral("negative_prompt"), QStringLiteral("blurry"));
    form->setRequest(job);
    QTRY_VERIFY(form->isValid());
    const QJsonObject saved_job = form->jobRequests().front();
    store.save(GenerationMode::kTextToVideo, QStringLiteral("fast draft"), saved_job);
    QCOMPARE(store.names(GenerationMode::kTextToVideo), QStringList{QStringLiteral("fast draft")});
    QVERIFY(store.names(GenerationMode::kTextToImage).isEmpty());  // per mode

    // A form with other values takes the preset's parameters and keeps its own prompt and seed.
    auto other = make_form();
    QVERIFY(other);
    QJsonObject current = other->jobRequests().front();
    current.insert(QStringLiteral("prompt"), QStringLiteral("another prompt"));
    const QJsonObject parameters =
        store.load(GenerationMode::kTextToVideo, QStringLiteral("fast draft"));
    QVERIFY(!parameters.contains(QStringLiteral("prompt")));
    QVERIFY(!parameters.contains(QStringLiteral("seed")));
    other->setRequest(PresetStore::applied_to(parameters, current));
    QTRY_VERIFY(other->isValid());
    const QJsonObject restored = other->jobRequests().front();
    QCOMPARE(PresetStore::parameters_of(restored), PresetStore::parameters_of(saved_job));
    QCOMPARE(restored.value(QStringLiteral("prompt")).toString(), QStringLiteral("another prompt"));

    // Rename, export, delete, import: the same parameters come back.
    store.rename(GenerationMode::kTextToVideo, QStringLiteral("fast draft"),
                 QStringLiteral("draft"));
    QCOMPARE(store.names(GenerationMode::kTextToVideo), QStringList{QStringLiteral("draft")});
    const QString exported = temp_.filePath(QStringLiteral("exported/draft.json"));
    store.exportTo(GenerationMode::kTextToVideo, QStringLiteral("draft"), exported);
    store.remove(GenerationMode::kTextToVideo, QStringLiteral("draft"));
    QVERIFY(store.names(GenerationMode::kTextToVideo).isEmpty());
    QCOMPARE(store.importFrom(GenerationMode::kTextToVideo, exported), QStringLiteral("draft"));
    QCOMPARE(store.load(GenerationMode::kTextToVideo, QStringLiteral("draft")), parameters);
  }

  // How the controls steer, and when each guidance acts, is a preset's business; which videos
  // they are is not.
  void keepsTransferSettingsNotControls() {
    const QJsonObject job{
        {"prompt", "a street"},
        {"steps", 12},
        {"control", QJsonObject{{"edge", "/in/edges.mp4"}, {"blur", QJsonValue()}}},
        {"control_source", "/in/street.mp4"},
        {"video_path", "/in/start.mp4"},
        {"num_first_chunk_conditional_frames", 2},
        {"blur_sigma", 2.5},
        {"control_guidance", 2},
        {"num_video_frames_per_chunk", 61},
        {"num_conditional_frames", 5},
        {"guidance_interval", QJsonArray{0, 800}},
        {"control_guidance_interval", QJsonArray{500, 1000}}};
    const QJsonObject parameters = PresetStore::parameters_of(job);
    for (const char* input :
         {"control", "control_source", "video_path", "num_first_chunk_conditional_frames"}) {
      QVERIFY2(!parameters.contains(QLatin1String(input)), input);
    }
    QCOMPARE(parameters.value(QStringLiteral("blur_sigma")).toDouble(), 2.5);
    QCOMPARE(parameters.value(QStringLiteral("control_guidance")).toInt(), 2);

    // Loaded into an editor with its own controls, the settings come back in the panel.
    auto form = make_form();
    QVERIFY(form);
    QJsonObject current = form->jobRequests().front();
    current.insert(QStringLiteral("control"), QJsonObject{{"blur", QJsonValue()}});
    current.insert(QStringLiteral("control_source"), QStringLiteral("/in/other.mp4"));
    const QJsonObject with_preset = PresetStore::applied_to(parameters, current);
    form->setRequest(with_preset);
    TransferValues transfer = form->values().transfer;
    QCOMPARE(transfer.control_source, QStringLiteral("/in/other.mp4"));
    QCOMPARE(transfer.blur_sigma_text, QStringLiteral("2.5"));
    QCOMPARE(transfer.control_guidance_text, QStringLiteral("2"));
    QCOMPARE(transfer.num_video_frames_per_chunk, 61);
    QCOMPARE(transfer.num_conditional_frames, 5);
    QCOMPARE(transfer.guidance_interval, (std::optional<std::pair<int, int>>{{0, 800}}));
    QCOMPARE(transfer.control_guidance_interval, (std::optional<std::pair<int, int>>{{500, 1000}}));

    // A preset saved without intervals switches the editor's off: it was made without them.
    QJsonObject without_intervals = parameters;
    without_intervals.remove(QStringLiteral("guidance_interval"));
    without_intervals.remove(QStringLiteral("control_guidance_interval"));
    form->setRequest(PresetStore::applied_to(without_intervals, with_preset));
    transfer = form->values().transfer;
    QVERIFY(!transfer.guidance_interval && !transfer.control_guidance_interval);
    QCOMPARE(transfer.control_guidance_text, QStringLiteral("2"));

    // An editor without controls takes the preset's other settings, and stays a plain job.
    const QJsonObject plain =
        PresetStore::applied_to(parameters, QJsonObject{{"prompt", "a field"}, {"steps", 9}});
    QCOMPARE(plain, (QJsonObject{{"prompt", "a field"}, {"steps", 12}}));
  }

  void refusesWhatIsNotAPreset() {
    PresetStore store(temp_.filePath(QStringLiteral("refusals")));
    const QJsonObject job{{"steps", 3}};
    for (const QString& name : {QString(), QStringLiteral("a/b"), QStringLiteral(".hidden"),
                                QStringLiteral(" padded"), QString(101, QLatin1Char('x'))}) {
      QVERIFY_THROWS_EXCEPTION(UserError, store.save(GenerationMode::kTextToVideo, name, job));
    }
    QVERIFY(store.names(GenerationMode::kTextToVideo).isEmpty());
    QVERIFY_THROWS_EXCEPTION(UserError,
                             store.load(GenerationMode::kTextToVideo, QStringLiteral("missing")));
    store.save(GenerationMode::kTextToVideo, QStringLiteral("a"), job);
    store.save(GenerationMode::kTextToVideo, QStringLiteral("b"), job);
    QVERIFY_THROWS_EXCEPTION(UserError, store.rename(GenerationMode::kTextToVideo,
                                                     QStringLiteral("a"), QStringLiteral("b")));
    // Another mode's export, a foreign JSON file, a preset with a key it cannot hold.
    const QString exported = temp_.filePath(QStringLiteral("a.json"));
    store.exportTo(GenerationMode::kTextToVideo, QStringLiteral("a"), exported);
    QVERIFY_THROWS_EXCEPTION(UserError, store.importFrom(GenerationMode::kTextToImage, exported));
    const QString foreign = temp_.filePath(QStringLiteral("foreign.json"));
    QFile file(foreign);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"workflow": {"nodes": []}})");
    file.close();
    QVERIFY_THROWS_EXCEPTION(UserError, store.importFrom(GenerationMode::kTextToVideo, foreign));
    const QString smuggled = temp_.filePath(QStringLiteral("smuggled.json"));
    QFile bad(smuggled);
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write(R"({"cosmos3_preset": 1, "mode": "text_to_video", "name": "c",
                 "parameters": {"output_dir": "/etc"}})");
    bad.close();
    QVERIFY_THROWS_EXCEPTION(UserError, store.importFrom(GenerationMode::kTextToVideo, smuggled));
    QCOMPARE(store.names(GenerationMode::kTextToVideo),
             (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
  }

 private:
  std::unique_ptr<GenerationForm> make_form() {
    auto form = std::make_unique<GenerationForm>(CheckpointCapabilities::load(tiny_.toStdString()));
    form->findChild<QWidget*>(QStringLiteral("prompt"))
        ->findChild<QPlainTextEdit*>(QStringLiteral("text"))
        ->setPlainText(QStringLiteral("a red ball"));
    // The form checks its fields as a user types; the prompt above is valid once checked.
    if (!QTest::qWaitFor([&] { return form->isValid(); }, 10000)) return nullptr;
    return form;
  }

  QTemporaryDir temp_;
  QString tiny_;
};

QTEST_MAIN(PresetStoreTest)
#include "tst_preset_store.moc"
