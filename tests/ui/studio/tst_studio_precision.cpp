// The studio's precision setting: its QSettings round trip, the precision a job is sent with
// (FP8 only where the group can run it), the job field the dispatcher adds, and the settings
// dialog's choice, disabled with the reason when no CUDA GPU or no bfloat16 group is chosen
// (devices simulated with COSMOS3_STUDIO_DEVICES_JSON, as the worker's probe prints them).

#include "ui/studio/job_submission.h"
#include "ui/studio/precision_choice.h"
#include "ui/studio/settings_dialog.h"
#include "ui/studio/studio_settings.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace cosmos3::ui;

namespace {

// `count` H200s as the worker's device probe prints them.
QString write_devices(const QDir& dir, int count) {
  QJsonArray devices;
  for (int index = 0; index < count; ++index) {
    devices.append(QJsonObject{{"index", index},
                               {"name", "NVIDIA H200"},
                               {"total_memory_bytes", 143LL << 30},
                               {"free_memory_bytes", 140LL << 30},
                               {"compute_capability", "9.0"}});
  }
  const QString path = dir.filePath(QStringLiteral("devices-%1.json").arg(count));
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly)) return {};
  file.write(QJsonDocument(devices).toJson());
  return path;
}

StudioSettings gpu_bf16_settings(const QString& precision) {
  StudioSettings settings;
  settings.device = QStringLiteral("cuda");
  settings.dtype = QStringLiteral("bfloat16");
  settings.precision = precision;
  return settings;
}

}  // namespace

class StudioPrecisionTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(home_.isValid());
    qputenv("XDG_CONFIG_HOME", QDir(home_.path()).filePath(QStringLiteral("config")).toUtf8());
    QCoreApplication::setApplicationName(QStringLiteral("cosmos3-precision-test"));
  }

  void theSettingRoundTripsThroughQSettings() {
    QCOMPARE(StudioSettings::load().precision, QStringLiteral("bf16"));
    StudioSettings settings = StudioSettings::load();
    settings.precision = QStringLiteral("fp8");
    settings.save();
    QCOMPARE(QSettings().value(QStringLiteral("generation/precision")).toString(),
             QStringLiteral("fp8"));
    QCOMPARE(StudioSettings::load().precision, QStringLiteral("fp8"));
    settings.precision = QStringLiteral("bf16");
    settings.save();
    QCOMPARE(StudioSettings::load().precision, QStringLiteral("bf16"));
    // A job setting: changing it never restarts the group.
    QVERIFY(!gpu_bf16_settings(QStringLiteral("bf16"))
                 .needsBackendRestart(gpu_bf16_settings(QStringLiteral("fp8"))));
  }

  void jobsAreSentFp8OnlyWhereTheGroupCanRunIt() {
    QCOMPARE(gpu_bf16_settings(QStringLiteral("fp8")).jobPrecision(), QStringLiteral("fp8"));
    QCOMPARE(gpu_bf16_settings(QStringLiteral("bf16")).jobPrecision(), QStringLiteral("bf16"));
    StudioSettings on_cpu = gpu_bf16_settings(QStringLiteral("fp8"));
    on_cpu.device = QStringLiteral("cpu");
    QCOMPARE(on_cpu.jobPrecision(), QStringLiteral("bf16"));
    StudioSettings in_fp32 = gpu_bf16_settings(QStringLiteral("fp8"));
    in_fp32.dtype = QStringLiteral("float32");
    QCOMPARE(in_fp32.jobPrecision(), QStringLiteral("bf16"));
  }

  void everySubmittedJobCarriesThePrecision() {
    const QJsonObject request{{"prompt", "a red fox"}, {"steps", 35}};
    const QJsonObject sent =
        submitted_request(request, QStringLiteral("/jobs/7/output"), {2, QStringLiteral("fp8")});
    QCOMPARE(sent.value(QStringLiteral("precision")).toString(), QStringLiteral("fp8"));
    QCOMPARE(sent.value(QStringLiteral("preview_interval")).toInt(), 2);
    QCOMPARE(sent.value(QStringLiteral("output_dir")).toString(), QStringLiteral("/jobs/7/output"));
    QCOMPARE(sent.value(QStringLiteral("prompt")).toString(), QStringLiteral("a red fox"));
    // Transfer and action jobs have no FP8 path: they go out bf16, where the worker takes them.
    for (const char* key : {"control", "action_mode"}) {
      QJsonObject without_fp8_path = request;
      without_fp8_path.insert(QLatin1String(key), QStringLiteral("x"));
      QCOMPARE(
          submitted_request(without_fp8_path, QStringLiteral("out"), {2, QStringLiteral("fp8")})
              .value(QStringLiteral("precision"))
              .toString(),
          QStringLiteral("bf16"));
    }
    // A request that names its own (a jobs file's) keeps it.
    QJsonObject own = request;
    own.insert(QStringLiteral("precision"), QStringLiteral("bf16"));
    QCOMPARE(submitted_request(own, QStringLiteral("out"), {2, QStringLiteral("fp8")})
                 .value(QStringLiteral("precision"))
                 .toString(),
             QStringLiteral("bf16"));
  }

  void theDialogDisablesFp8WithTheReasonWhenNoGpuIsFound() {
    qputenv("COSMOS3_STUDIO_DEVICES_JSON", write_devices(QDir(home_.path()), 0).toUtf8());
    SettingsDialog dialog(gpu_bf16_settings(QStringLiteral("fp8")), home_.path(), {},
                          QDir(home_.path()).filePath(QStringLiteral("measurements.json")));
    QSignalSpy probed(&dialog, &SettingsDialog::devicesProbed);
    dialog.show();
    QVERIFY(probed.wait(10000));
    auto* combo = dialog.findChild<QComboBox*>(QStringLiteral("precision"));
    auto* reason = dialog.findChild<QLabel*>(QStringLiteral("precision_message"));
    QVERIFY(combo && reason);
    QVERIFY(!combo->isEnabled());
    QVERIFY(reason->isVisible());
    QVERIFY2(reason->text().contains(QLatin1String("CUDA GPU")), qPrintable(reason->text()));
    QVERIFY(!combo->toolTip().isEmpty());
    // The choice itself is kept for a later GPU group; jobs go out bf16 meanwhile.
    QCOMPARE(dialog.settings().precision, QStringLiteral("fp8"));
    QCOMPARE(dialog.settings().jobPrecision(), QStringLiteral("bf16"));
    qunsetenv("COSMOS3_STUDIO_DEVICES_JSON");
  }

  void theDialogOffersFp8OnGpusInBf16Only() {
    qputenv("COSMOS3_STUDIO_DEVICES_JSON", write_devices(QDir(home_.path()), 2).toUtf8());
    SettingsDialog dialog(gpu_bf16_settings(QStringLiteral("bf16")), home_.path(), {},
                          QDir(home_.path()).filePath(QStringLiteral("measurements.json")));
    QSignalSpy probed(&dialog, &SettingsDialog::devicesProbed);
    dialog.show();
    QVERIFY(probed.wait(10000));
    auto* combo = dialog.findChild<QComboBox*>(QStringLiteral("precision"));
    auto* reason = dialog.findChild<QLabel*>(QStringLiteral("precision_message"));
    QVERIFY(combo && reason);
    QVERIFY(combo->isEnabled());
    QVERIFY(!reason->isVisible());
    combo->setCurrentIndex(combo->findData(QStringLiteral("fp8")));
    QCOMPARE(dialog.settings().precision, QStringLiteral("fp8"));
    QCOMPARE(dialog.settings().jobPrecision(), QStringLiteral("fp8"));

    auto* dtype = dialog.findChild<QComboBox*>(QStringLiteral("dtype"));
    dtype->setCurrentText(QStringLiteral("float32"));
    QVERIFY(!combo->isEnabled());
    QVERIFY2(reason->text().contains(QLatin1String("bfloat16")), qPrintable(reason->text()));
    QCOMPARE(dialog.settings().jobPrecision(), QStringLiteral("bf16"));
    dtype->setCurrentText(QStringLiteral("bfloat16"));
    auto* device = dialog.findChild<QComboBox*>(QStringLiteral("device"));
    device->setCurrentIndex(device->findData(QStringLiteral("cpu")));
    QVERIFY(!combo->isEnabled());
    QVERIFY2(reason->text().contains(QLatin1String("GPUs")), qPrintable(reason->text()));
    qunsetenv("COSMOS3_STUDIO_DEVICES_JSON");
  }

 private:
  QTemporaryDir home_;
};

QTEST_MAIN(StudioPrecisionTest)
#include "tst_studio_precision.moc"
