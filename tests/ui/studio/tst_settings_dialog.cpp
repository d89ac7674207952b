// The settings dialog and applying it, on real parts: the layout list model under
// QAbstractItemModelTester; the dialog with 8 simulated GPUs (COSMOS3_STUDIO_DEVICES_JSON) and
// a folder holding Nano's transformer config lists exactly the engine's layouts for the ticked
// GPUs (CFG 3 on 3 and 6, noted as paying only for three-pass transfer jobs) and preselects the
// recommended one; and on the real window with the tiny checkpoint,
// applying a new layout while a job runs waits for that job, restarts the real CPU group with
// the layout, and the next job's generation.json records it.

#include "parallel/comm/parallel_error.h"
#include "parallel/engine/layout_measurements.h"
#include "tests/ui/studio/studio_test_home.h"
#include "ui/form/generation_form.h"
#include "ui/queue/job_queue_model.h"
#include "ui/settings/layout_list_model.h"
#include "ui/studio/backend_controller.h"
#include "ui/studio/job_dispatcher.h"
#include "ui/studio/layout_measurement_recorder.h"
#include "ui/studio/main_window.h"
#include "ui/studio/settings_dialog.h"
#ifdef COSMOS3_HAVE_HUB
#include "core/hub/model_store.h"
#include "ui/models/model_list_model.h"
#include "ui/models/model_page.h"
#include "ui/studio/models_dialog.h"
#endif

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QGroupBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>
#include <set>
#include <tuple>

using namespace cosmos3;
using namespace cosmos3::ui;

namespace {

constexpr qint64 kGiB = 1024LL * 1024 * 1024;

using cosmos3::test::write_text_file;

QJsonObject read_json(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return {};
  return QJsonDocument::fromJson(file.readAll()).object();
}

// Eight GPUs with `free_gib` free each, as the worker's probe prints them.
QByteArray simulated_gpus(int count, double free_gib) {
  QJsonArray devices;
  for (int index = 0; index < count; ++index) {
    devices.append(QJsonObject{{"index", index},
                               {"name", "NVIDIA H200"},
                               {"total_memory_bytes", 143 * kGiB},
                               {"free_memory_bytes", static_cast<qint64>(free_gib * kGiB)},
                               {"compute_capability", "9.0"}});
  }
  return QJsonDocument(devices).toJson();
}

using Triple = std::tuple<int, int, int>;

std::set<Triple> listed_layouts(const LayoutListModel& model) {
  std::set<Triple> listed;
  for (const parallel::LayoutOption& option : model.options()) {
    listed.insert({option.degrees.cfg, option.degrees.tp, option.degrees.cp});
  }
  return listed;
}

std::set<Triple> engine_accepted(const model::TransformerConfig& config, int num_ranks) {
  std::set<Triple> accepted;
  for (int cfg = 1; cfg <= num_ranks; ++cfg) {
    for (int tp = 1; tp <= num_ranks; ++tp) {
      for (int cp = 1; cp <= num_ranks; ++cp) {
        if (cfg * tp * cp != num_ranks) continue;
        try {
          parallel::plan_head_layout({cfg, tp, cp}, num_ranks, config);
          accepted.insert({cfg, tp, cp});
        } catch (const parallel::LayoutError&) {
        }
      }
    }
  }
  return accepted;
}

}  // namespace

class SettingsDialogTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase();
  void layoutModelPassesTheModelTester();
  void dialogListsTheEnginesLayoutsForTheTickedGpus();
  void dialogPlansForTheEditorsJob();
  void measurementsAreKeptPerJobKind();
  void applyingALayoutRestartsTheBackendAfterTheRunningJob();
#ifdef COSMOS3_HAVE_HUB
  void downloadedModelsAreOffered();
  void modelsDialogHandsOverTheChosenModelAndToken();
#endif
  void screenshotWithEightGpus();

 private:
  // Simulates `count` H200s with `free_gib` free each for the dialogs opened next (as the
  // worker's probe prints them); the settings choose them for Nano in bfloat16.
  StudioSettings nano_on_simulated_gpus(int count, double free_gib);

  QTemporaryDir home_;
  QString tiny_dir_;
  QString nano_dir_;
};

void SettingsDialogTest::initTestCase() {
  QVERIFY(home_.isValid());
  const QDir home(home_.path());
  QVERIFY(cosmos3::test::use_private_studio_home(home, QStringLiteral("cosmos3-settings-test")));

  tiny_dir_ = home.filePath("tiny");
  nano_dir_ = home.filePath("nano");
  for (const QString& dir : {tiny_dir_, nano_dir_}) {
    QVERIFY(!cosmos3::test::make_tiny_checkpoint(dir).isEmpty());
  }
  // A folder whose transformer config is Nano's: the dialog reads only configs, never weights.
  const QString config_path = QDir(nano_dir_).filePath("transformer/config.json");
  QJsonObject config = read_json(config_path);
  const QJsonObject nano{{"head_dim", 128},
                         {"hidden_size", 4096},
                         {"intermediate_size", 12288},
                         {"latent_channel", 48},
                         {"patch_latent_dim", 192},
                         {"num_attention_heads", 32},
                         {"num_hidden_layers", 36},
                         {"num_key_value_heads", 8},
                         {"rope_axes_dim", QJsonArray{24, 20, 20}},
                         {"vocab_size", 151936},
                         {"sound_dim", 64},
                         {"action_dim", 64},
                         {"num_embodiment_domains", 32}};
  for (auto it = nano.begin(); it != nano.end(); ++it) config.insert(it.key(), it.value());
  QVERIFY(write_text_file(config_path, QJsonDocument(config).toJson()));
}

StudioSettings SettingsDialogTest::nano_on_simulated_gpus(int count, double free_gib) {
  const QString devices =
      QDir(home_.path()).filePath(QStringLiteral("gpus-%1-%2.json").arg(count).arg(free_gib));
  if (!write_text_file(devices, simulated_gpus(count, free_gib))) {
    qWarning("cannot write %s", qPrintable(devices));  // the dialogs then find no GPU
  }
  qputenv("COSMOS3_STUDIO_DEVICES_JSON", devices.toUtf8());
  StudioSettings settings;
  settings.model_dir = nano_dir_;
  settings.device = QStringLiteral("cuda");
  settings.dtype = QStringLiteral("bfloat16");
  return settings;
}

void SettingsDialogTest::layoutModelPassesTheModelTester() {
  LayoutListModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
  parallel::LayoutPlanRequest request;
  request.config = ModelFolderSummary::read(nano_dir_.toStdString()).config;
  request.workload.num_generation_tokens = 44160;
  request.num_ranks = 8;
  request.memory_per_rank_bytes = 30 * kGiB;
  model.setOptions(parallel::plan_layouts(request));
  QVERIFY(model.rowCount() > 0);
  int num_disabled = 0;
  for (int row = 0; row < model.rowCount(); ++row) {
    const parallel::LayoutOption& option = model.options()[static_cast<std::size_t>(row)];
    QCOMPARE(model.flags(model.index(row, 0)).testFlag(Qt::ItemIsEnabled), option.fits);
    if (!option.fits) {
      ++num_disabled;
      QVERIFY(model.index(row, LayoutListModel::NoteColumn)
                  .data()
                  .toString()
                  .contains(QLatin1String("does not fit")));
    }
  }
  QVERIFY(num_disabled > 0);
  QVERIFY(model.recommendedRow() >= 0);
  model.setOptions({});
  QCOMPARE(model.rowCount(), 0);
}

void SettingsDialogTest::dialogListsTheEnginesLayoutsForTheTickedGpus() {
  // 30 GiB free: Nano's whole weights (27 GiB) plus activations do not fit one GPU.
  StudioSettings settings = nano_on_simulated_gpus(8, 30);
  settings.cp = 8;
  SettingsDialog dialog(settings, nano_dir_, {}, MainWindow::measurements_file());
  QSignalSpy planned(&dialog, &SettingsDialog::layoutsPlanned);
  dialog.show();
  QTRY_COMPARE_WITH_TIMEOUT(dialog.devices().size(), 8, 30000);
  const auto* summary = dialog.findChild<QLabel*>(QStringLiteral("model_summary"));
  QTRY_VERIFY(summary->text().startsWith(QLatin1String("Nano")));
  const model::TransformerConfig nano = ModelFolderSummary::read(nano_dir_.toStdString()).config;
  QTRY_COMPARE(listed_layouts(dialog.layoutModel()), engine_accepted(nano, 8));
  // CP 8 needs the whole weights per GPU: disabled, so the recommended layout is chosen.
  const LayoutListModel& model = dialog.layoutModel();
  const int cp8 = model.rowOf({1, 1, 8});
  QVERIFY(cp8 >= 0);
  QVERIFY(!model.options()[static_cast<std::size_t>(cp8)].fits);
  const int recommended = model.recommendedRow();
  QVERIFY(recommended >= 0);
  QVERIFY(model.options()[static_cast<std::size_t>(recommended)].fits);
  const StudioSettings chosen = dialog.settings();
  const parallel::ParallelDegrees& best =
      model.options()[static_cast<std::size_t>(recommended)].degrees;
  QCOMPARE(Triple(chosen.cfg, chosen.tp, chosen.cp), Triple(best.cfg, best.tp, best.cp));
  QCOMPARE(chosen.gpu_indexes.size(), 8);
  QCOMPARE(chosen.gpu_name, QStringLiteral("NVIDIA H200"));

  // Three GPUs ticked: the list follows, planned anew off the UI thread.
  auto* gpus = qobject_cast<QStandardItemModel*>(
      dialog.findChild<QListView*>(QStringLiteral("gpu_list"))->model());
  for (int row = 3; row < 8; ++row) gpus->item(row)->setCheckState(Qt::Unchecked);
  QTRY_COMPARE(listed_layouts(dialog.layoutModel()), engine_accepted(nano, 3));
  QCOMPARE(dialog.settings().gpu_indexes, (QList<int>{0, 1, 2}));
  QVERIFY(dialog.layoutModel().rowOf({3, 1, 1}) >= 0);  // one group per transfer pass

  // Six: CFG 3 with TP 2 or CP 2 fits, and its note says what it is for.
  for (int row = 3; row < 6; ++row) gpus->item(row)->setCheckState(Qt::Checked);
  QTRY_COMPARE(listed_layouts(dialog.layoutModel()), engine_accepted(nano, 6));
  int num_cfg3_notes = 0;
  for (int row = 0; row < model.rowCount(); ++row) {
    const parallel::LayoutOption& option = model.options()[static_cast<std::size_t>(row)];
    const QString note = model.index(row, LayoutListModel::NoteColumn).data().toString();
    const bool says_transfer_only =
        note.contains(QLatin1String("runs 2 passes a step: CFG 3 leaves 1 group without")) &&
        note.contains(QLatin1String("CFG 3 pays for transfer jobs"));
    QCOMPARE(says_transfer_only, option.fits && option.degrees.cfg == 3);
    num_cfg3_notes += says_transfer_only ? 1 : 0;
  }
  QVERIFY(model.rowOf({3, 2, 1}) >= 0 && model.rowOf({3, 1, 2}) >= 0);
  QVERIFY(num_cfg3_notes > 0);
  qunsetenv("COSMOS3_STUDIO_DEVICES_JSON");
}

// The layouts are planned for the job the editor holds. A transfer job with two controls,
// control guidance and guidance runs three passes a step: the dialog prices its layouts as the
// planner does for that job (not for a guided video job of its size), and its CFG 3 rows carry
// no note of idle groups.
void SettingsDialogTest::dialogPlansForTheEditorsJob() {
  // The job object the form makes: chunks of 93 frames of a longer output.
  const PlannedJob transfer = PlannedJob::of(
      QJsonObject{{"prompt", "a street"},
                  {"height", 720},
                  {"width", 1280},
                  {"num_frames", 189},
                  {"guidance_scale", 3.0},
                  {"control_guidance", 1.5},
                  {"control", QJsonObject{{"edge", "/in/e.mp4"}, {"depth", QJsonValue()}}},
                  {"num_video_frames_per_chunk", 93}});
  QCOMPARE(transfer.num_frames, 93);
  QCOMPARE(transfer.num_control_hints, 2);
  QCOMPARE(transfer.num_passes(), 3);
  QCOMPARE(PlannedJob::of(QJsonObject{{"guidance_scale", 1.0}}).num_passes(), 1);
  QCOMPARE(PlannedJob::of(QJsonObject{{"guidance_scale", 0.5}}).num_passes(), 2);
  // Transfer guides only above 1, as its pipeline decides.
  const QJsonObject one_control{{"seg", "/in/s.mp4"}};
  QCOMPARE(
      PlannedJob::of(QJsonObject{{"guidance_scale", 0.5}, {"control", one_control}}).num_passes(),
      1);
  QCOMPARE(
      PlannedJob::of(
          QJsonObject{{"guidance_scale", 1.0}, {"control_guidance", 2.0}, {"control", one_control}})
          .num_passes(),
      2);

  StudioSettings settings = nano_on_simulated_gpus(6, 80);
  settings.cfg = 3;  // the GPUs of the layout in use are the ones ticked
  settings.cp = 2;
  SettingsDialog dialog(settings, nano_dir_, transfer, MainWindow::measurements_file());
  dialog.show();
  QTRY_COMPARE_WITH_TIMEOUT(dialog.devices().size(), 6, 30000);
  const model::TransformerConfig nano = ModelFolderSummary::read(nano_dir_.toStdString()).config;
  QTRY_COMPARE(listed_layouts(dialog.layoutModel()), engine_accepted(nano, 6));
  const QString title = dialog.findChild<QGroupBox*>(QStringLiteral("layout_group"))->title();
  QVERIFY2(title.contains(QStringLiteral("1280×720, 93 frames; transfer, 2 controls: 3 passes")),
           qPrintable(title));

  // The planner's prices for this job and for a guided video job of the same size.
  const parallel::LayoutMeasurements measured =
      parallel::LayoutMeasurements::load(MainWindow::measurements_file().toStdString());
  parallel::LayoutPlanRequest request;
  request.config = nano;
  request.num_ranks = 6;
  request.memory_per_rank_bytes = 80 * kGiB;
  request.device_name = "NVIDIA H200";
  request.measurements = &measured;
  request.workload.num_generation_tokens = 24 * 23 * 40;  // 93 frames, 720p: latent 24x45x80
  const std::vector<parallel::LayoutOption> video = parallel::plan_layouts(request);
  request.workload.num_control_hints = 2;
  request.workload.control_guided = true;
  const std::vector<parallel::LayoutOption> expected = parallel::plan_layouts(request);
  const auto seconds_of = [](const std::vector<parallel::LayoutOption>& options,
                             const parallel::ParallelDegrees& degrees) {
    for (const parallel::LayoutOption& option : options) {
      if (option.degrees.cfg == degrees.cfg && option.degrees.tp == degrees.tp &&
          option.degrees.cp == degrees.cp) {
        return option.seconds_per_step;
      }
    }
    return -1.0;
  };
  const LayoutListModel& model = dialog.layoutModel();
  int num_cfg3_fitting = 0;
  for (int row = 0; row < model.rowCount(); ++row) {
    const parallel::LayoutOption& option = model.options()[static_cast<std::size_t>(row)];
    QVERIFY(qFuzzyCompare(option.seconds_per_step, seconds_of(expected, option.degrees)));
    QVERIFY(!qFuzzyCompare(option.seconds_per_step, seconds_of(video, option.degrees)));
    const QString note = model.index(row, LayoutListModel::NoteColumn).data().toString();
    QVERIFY2(!note.contains(QLatin1String("without a pass of its own")), qPrintable(note));
    num_cfg3_fitting += option.fits && option.degrees.cfg == 3 ? 1 : 0;
  }
  QVERIFY(num_cfg3_fitting > 0);
  qunsetenv("COSMOS3_STUDIO_DEVICES_JSON");
}

// What a finished job measured is stored under its job kind, read from its generation.json: a
// three-pass transfer job on cfg 3 neither replaces nor stands in for a guided video job's.
void SettingsDialogTest::measurementsAreKeptPerJobKind() {
  QTemporaryDir dir;
  const QString file = QDir(dir.path()).filePath(QStringLiteral("measured.json"));
  LayoutMeasurementRecorder recorder(file);
  StudioSettings settings;
  settings.device = QStringLiteral("cpu");
  recorder.setGroup(settings);
  QSignalSpy recorded(&recorder, &LayoutMeasurementRecorder::recorded);
  QSignalSpy failed(&recorder, &LayoutMeasurementRecorder::recordFailed);
  const auto finish = [&](const QString& name, const QJsonObject& kind) {
    const QDir job(QDir(dir.path()).filePath(name));
    QDir().mkpath(job.path());
    QJsonObject generation{{"model", nano_dir_},
                           {"height", 704},
                           {"width", 1280},
                           {"num_frames", 93},
                           {"parallel", QJsonObject{{"cfg", 3}, {"tp", 1}, {"cp", 1}}}};
    for (auto it = kind.begin(); it != kind.end(); ++it) generation.insert(it.key(), it.value());
    write_text_file(job.filePath(QStringLiteral("generation.json")),
                    QJsonDocument(generation).toJson());
    const qsizetype before = recorded.size();
    recorder.onEvent(QJsonObject{{"type", "finished"},
                                 {"outputs", QJsonArray{job.filePath(QStringLiteral("out.mp4"))}},
                                 {"num_steps_done", 4},
                                 {"seconds", QJsonObject{{"denoise", 8.0}}}});
    [&] { QTRY_COMPARE(recorded.size() + failed.size(), before + 1); }();
    return recorded.size() > before ? recorded.last().at(0).toString() : QString();
  };
  const QString guided = finish(QStringLiteral("t2v"), {{"guidance_scale", 6.0}});
  const QString unguided = finish(QStringLiteral("t2v-unguided"), {{"guidance_scale", 1.0}});
  const QString transfer =
      finish(QStringLiteral("transfer"),
             {{"mode", "transfer"},
              {"guidance_scale", 3.0},
              {"control_guidance", 1.5},
              {"control", QJsonObject{{"edge", QJsonObject{}}, {"depth", QJsonObject{}}}},
              {"num_video_frames_per_chunk", 93}});
  QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().at(0).toString()));
  QVERIFY2(guided.endsWith(QLatin1String("| cpu")), qPrintable(guided));
  QVERIFY2(unguided.endsWith(QLatin1String("| cpu | 1 pass")), qPrintable(unguided));
  QVERIFY2(transfer.endsWith(QLatin1String("| cpu | transfer 2 hints, 3 passes")),
           qPrintable(transfer));
  QCOMPARE(parallel::LayoutMeasurements::load(file.toStdString()).size(), std::size_t{3});
}

void SettingsDialogTest::applyingALayoutRestartsTheBackendAfterTheRunningJob() {
  // No GPUs on this machine's probe: the dialog offers CPU ranks.
  const QString devices = QDir(home_.path()).filePath("no-gpus.json");
  QVERIFY(write_text_file(devices, "[]"));
  qputenv("COSMOS3_STUDIO_DEVICES_JSON", devices.toUtf8());
  StudioSettings settings;
  settings.model_dir = tiny_dir_;
  settings.preview_interval = 0;
  auto window = std::make_unique<MainWindow>(settings);
  window->setRestartAnswer(MainWindow::CloseAnswer::WaitForJob);
  window->setCloseAnswer(MainWindow::CloseAnswer::CancelJob);
  window->show();
  QVERIFY(window->form());
  QTRY_VERIFY_WITH_TIMEOUT(window->backend().isReady(), 180000);

  // A job long enough to be running when the settings are applied. (Not many more steps: past
  // ~200 the UniPC schedule's first integer timesteps repeat on the tiny checkpoint and the
  // scheduler, like the reference, starts one step late and runs off its end.)
  const auto fill = [&](int num_steps) {
    auto* prompt = window->form()->findChild<QWidget*>(QStringLiteral("prompt"));
    auto* edit = prompt->findChild<QPlainTextEdit*>(QStringLiteral("text"));
    edit->setPlainText(QStringLiteral("a red ball"));
    for (const auto& [name, value] : {std::pair{"height", 128}, std::pair{"width", 192},
                                      std::pair{"num_frames", 5}, std::pair{"steps", num_steps}}) {
      window->form()->findChild<QSpinBox*>(QLatin1String(name))->setValue(value);
    }
    QTRY_VERIFY(window->form()->isValid());
  };
  fill(150);
  window->queueAtBack();
  QTRY_VERIFY_WITH_TIMEOUT(window->dispatcher().activeJobId() != 0, 30000);
  const qint64 first = window->dispatcher().activeJobId();
  const int first_row = window->queueModel().row_of(first);
  QTRY_COMPARE_WITH_TIMEOUT(window->queueModel().jobs().at(first_row).state, JobState::Running,
                            60000);

  SettingsDialog* dialog = window->openSettings();
  // Planned for the editor's job.
  QVERIFY(dialog->findChild<QGroupBox*>(QStringLiteral("layout_group"))
              ->title()
              .contains(QStringLiteral("192×128, 5 frames")));
  QTRY_VERIFY_WITH_TIMEOUT(
      dialog->findChild<QComboBox*>(QStringLiteral("device"))->currentData().toString() ==
          QLatin1String("cpu"),
      30000);
  QSignalSpy planned(dialog, &SettingsDialog::layoutsPlanned);
  dialog->findChild<QSpinBox*>(QStringLiteral("cpu_ranks"))->setValue(2);
  QTRY_VERIFY(dialog->layoutModel().rowOf({1, 1, 2}) >= 0);
  QVERIFY(dialog->selectLayout(1, 1, 2));
  QSignalSpy restarting(&window->backend(), &BackendController::stateChanged);
  QVERIFY(window->dispatcher().activeJobId() == first);  // still running: the apply must wait
  dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Apply)->click();
  QVERIFY(window->statusBar()->currentMessage().contains(QLatin1String("when the running job")));
  // The running job is not cut: it ends Done, then the group restarts with cp 2.
  const auto ended = [&](int row) {
    const JobState state = window->queueModel().jobs().at(row).state;
    return state == JobState::Done || state == JobState::Failed || state == JobState::Canceled;
  };
  QTRY_VERIFY_WITH_TIMEOUT(ended(first_row), 300000);
  QCOMPARE(window->queueModel().jobs().at(first_row).state, JobState::Done);
  QCOMPARE(window->settings().cp, 2);
  QTRY_VERIFY_WITH_TIMEOUT(window->backend().isReady(), 180000);
  QVERIFY(std::any_of(restarting.begin(), restarting.end(), [](const QList<QVariant>& args) {
    return args.at(0).value<BackendController::State>() == BackendController::State::Restarting;
  }));
  QCOMPARE(StudioSettings::load().cp, 2);  // persisted

  fill(2);
  const int num_jobs = static_cast<int>(window->queueModel().jobs().size());
  window->queueAtBack();
  QTRY_COMPARE(static_cast<int>(window->queueModel().jobs().size()),
               num_jobs + 1);  // stored off the UI thread
  const qint64 second = window->queueModel().jobs().last().id;
  QTRY_VERIFY_WITH_TIMEOUT(ended(window->queueModel().row_of(second)), 300000);
  QCOMPARE(window->queueModel().jobs().at(window->queueModel().row_of(second)).state,
           JobState::Done);
  const QueuedJob& done = window->queueModel().jobs().at(window->queueModel().row_of(second));
  const QString output = done.result.value(QStringLiteral("outputs")).toArray().first().toString();
  const QJsonObject generation =
      read_json(QFileInfo(output).dir().filePath(QStringLiteral("generation.json")));
  QCOMPARE(generation.value(QStringLiteral("parallel")).toObject(),
           (QJsonObject{{"cfg", 1}, {"tp", 1}, {"cp", 2}}));
  // The finished jobs' step times went into this machine's measurements.
  QTRY_VERIFY(QFile::exists(MainWindow::measurements_file()));
  QTRY_VERIFY(
      parallel::LayoutMeasurements::load(MainWindow::measurements_file().toStdString()).size() >=
      2);
  window.reset();
  qunsetenv("COSMOS3_STUDIO_DEVICES_JSON");
}

#ifdef COSMOS3_HAVE_HUB
// A model the model page registered (or downloaded) is offered by the settings' model choice,
// and choosing it reads that folder as the folder picker would.
void SettingsDialogTest::downloadedModelsAreOffered() {
  const QString devices = QDir(home_.path()).filePath("no-gpus-models.json");
  QVERIFY(write_text_file(devices, "[]"));
  qputenv("COSMOS3_STUDIO_DEVICES_JSON", devices.toUtf8());
  const QString registered = QString::fromStdString(
      hub::ModelStore().add_existing_folder(tiny_dir_.toStdString()).folder.string());
  StudioSettings settings;
  settings.model_dir = nano_dir_;
  SettingsDialog dialog(settings, nano_dir_, {}, MainWindow::measurements_file());
  dialog.show();
  auto* choice = dialog.findChild<QComboBox*>(QStringLiteral("downloaded_models"));
  QVERIFY(choice);
  QVERIFY(choice->isEnabled());
  QCOMPARE(choice->count(), 2);
  QCOMPARE(choice->itemData(1).toString(), registered);
  Q_EMIT choice->activated(1);
  auto* folder = dialog.findChild<QLineEdit*>(QStringLiteral("model_dir"));
  QTRY_COMPARE(folder->text(), registered);
  QCOMPARE(dialog.settings().model_dir, registered);
  hub::ModelStore().remove(registered.toStdString());
  qunsetenv("COSMOS3_STUDIO_DEVICES_JSON");
}

// File > Models…'s window: "use this model" on the page reaches the window as modelChosen and
// closes the dialog; an edited token is handed on (the window saves it) and used by the page.
void SettingsDialogTest::modelsDialogHandsOverTheChosenModelAndToken() {
  ModelsDialog dialog(QString::fromStdString(hub::default_models_root().string()),
                      QStringLiteral("hf_saved"));
  QSignalSpy chosen(&dialog, &ModelsDialog::modelChosen);
  QSignalSpy token(&dialog, &ModelsDialog::hubTokenChanged);
  dialog.show();
  auto* token_edit = dialog.findChild<QLineEdit*>(QStringLiteral("hub_token"));
  QVERIFY(token_edit);
  QCOMPARE(token_edit->text(), QStringLiteral("hf_saved"));
  QCOMPARE(token_edit->echoMode(), QLineEdit::Password);
  token_edit->setText(QStringLiteral("  hf_new "));
  Q_EMIT token_edit->editingFinished();
  QCOMPARE(token.size(), 1);
  QCOMPARE(token.at(0).at(0).toString(), QStringLiteral("hf_new"));
  Q_EMIT dialog.page()->modelChosen(tiny_dir_);
  QCOMPARE(chosen.size(), 1);
  QCOMPARE(chosen.at(0).at(0).toString(), tiny_dir_);
  QCOMPARE(dialog.result(), int(QDialog::Accepted));

  StudioSettings settings;
  settings.hub_token = QStringLiteral("hf_new");
  settings.save();
  QCOMPARE(StudioSettings::load().hub_token, QStringLiteral("hf_new"));
}
#endif

// scripts/screenshots.sh sets COSMOS3_SCREENSHOT_DIR and runs this under Xvfb: the dialog as
// a user with eight idle H200s and Nano sees it.
void SettingsDialogTest::screenshotWithEightGpus() {
  const QString shots = qEnvironmentVariable("COSMOS3_SCREENSHOT_DIR");
  if (shots.isEmpty()) QSKIP("COSMOS3_SCREENSHOT_DIR is not set");
  SettingsDialog dialog(nano_on_simulated_gpus(8, 139.5), nano_dir_, {},
                        MainWindow::measurements_file());
  dialog.resize(1000, 960);
  dialog.show();
  QVERIFY(QTest::qWaitForWindowExposed(&dialog));
  QTRY_COMPARE_WITH_TIMEOUT(dialog.devices().size(), 8, 30000);
  auto* gpus = qobject_cast<QStandardItemModel*>(
      dialog.findChild<QListView*>(QStringLiteral("gpu_list"))->model());
  for (int row = 0; row < 8; ++row) gpus->item(row)->setCheckState(Qt::Checked);
  const model::TransformerConfig nano = ModelFolderSummary::read(nano_dir_.toStdString()).config;
  QTRY_COMPARE(listed_layouts(dialog.layoutModel()), engine_accepted(nano, 8));
  QTest::qWait(300);  // lets the table paint
  QVERIFY(QDir().mkpath(shots));
  QVERIFY(dialog.grab().save(QDir(shots).filePath(QStringLiteral("settings_dialog.png"))));
  qunsetenv("COSMOS3_STUDIO_DEVICES_JSON");
}

QTEST_MAIN(SettingsDialogTest)
#include "tst_settings_dialog.moc"
