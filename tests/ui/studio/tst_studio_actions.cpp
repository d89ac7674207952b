// The action panel on the real MainWindow with the tiny checkpoint (action heads: action_dim 12,
// 21 domains) and a real CPU backend group, driven through its widgets: a policy job from an
// image runs to a video and sample_action.json, whose channels the plot beside the player shows;
// forward dynamics without (or with a malformed) actions file is refused in the form with the
// engine's message, and with a good one runs; dropping an action job's generation.json back
// restores the panel and the same request, unless its actions file was changed or removed since
// (the metadata seals its digest) or the metadata was edited (checksum).

#include "tests/ui/studio/studio_test_home.h"
#include "tests/ui/studio/studio_window_driver.h"
#include "ui/action/action_plot_widget.h"
#include "ui/action/action_sequence_model.h"
#include "ui/form/action_panel.h"
#include "ui/form/generation_form.h"
#include "ui/player/media_player_widget.h"
#include "ui/queue/job_queue_model.h"
#include "ui/studio/action_plot_panel.h"
#include "ui/studio/backend_controller.h"
#include "ui/studio/main_window.h"

#include <QComboBox>
#include <QDir>
#include <QDropEvent>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProcess>
#include <QSpinBox>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <memory>

using namespace cosmos3::ui;

namespace {

constexpr int kChunkSize = 4;
constexpr int kBridgeWidth = 10;  // bridge_orig_lerobot's raw action width

using cosmos3::test::write_text_file;

using cosmos3::test::read_file;

}  // namespace

class StudioActionsTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase();
  void cleanupTestCase() { window_.reset(); }
  void choosingAModeAppliesTheActionRecipe();
  void policyJobPlotsItsPredictedActions();
  void screenshotOfThePolicyJob();
  void forwardDynamicsNeedsAValidActionsFile();
  void droppingTheActionJobsMetadataRestoresThePanel();
  void aForwardDynamicsJobRestoresOnlyWithItsActions();
  void editedActionMetadataIsRefused();

 private:
  GenerationForm* form() const { return window_->form(); }
  template <typename Widget>
  Widget* field(const char* name) const {
    return form()->findChild<Widget*>(QLatin1String(name));
  }
  void choose_action_mode(const QString& key);
  void choose_domain(const QString& name);
  void set_prompt(const QString& text);
  QString message(const char* name) const;
  void drop_on_window(const QString& path);

  QTemporaryDir home_;
  std::unique_ptr<MainWindow> window_;
  QString image_path_;
  QJsonObject policy_request_;
  QString policy_generation_json_;
  QJsonObject forward_request_;
  QString forward_generation_json_;
};

void StudioActionsTest::initTestCase() {
  QVERIFY(home_.isValid());
  const QDir home(home_.path());
  QVERIFY(cosmos3::test::use_private_studio_home(home, QStringLiteral("cosmos3-actions-test")));
  const QString tiny = home.filePath("tiny");
  QVERIFY(!cosmos3::test::make_tiny_checkpoint(tiny).isEmpty());
  // 256 x 320: tier 256's landscape bin, so the canvas needs no padding.
  QImage image(320, 256, QImage::Format_RGB888);
  for (int y = 0; y < image.height(); ++y) {
    for (int x = 0; x < image.width(); ++x) image.setPixel(x, y, qRgb(x % 256, y, (x + y) % 256));
  }
  image_path_ = home.filePath("first_frame.png");
  QVERIFY(image.save(image_path_));

  StudioSettings settings;
  settings.model_dir = tiny;
  settings.preview_interval = 0;
  window_ = cosmos3::test::open_studio_window(settings);
  QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
  QVERIFY(form());
  QVERIFY2(form()->actionPanel(), "the tiny checkpoint has action heads: the panel must be there");
  QTRY_VERIFY_WITH_TIMEOUT(window_->backend().isReady(), 180000);
}

void StudioActionsTest::choose_action_mode(const QString& key) {
  auto* mode = field<QComboBox>("action_mode");
  QVERIFY(mode);
  int index = -1;
  for (int row = 0; row < mode->count(); ++row) {
    if (action_mode_key(static_cast<ActionModeChoice>(mode->itemData(row).toInt())) == key) {
      index = row;
    }
  }
  QVERIFY2(index >= 0, qPrintable(key));
  // As a user's pick: the keyboard moves the current item and activates it.
  mode->setFocus();
  mode->setCurrentIndex(index);
  Q_EMIT mode->activated(index);
}

void StudioActionsTest::choose_domain(const QString& name) {
  auto* domain = field<QComboBox>("action_domain");
  QVERIFY(domain);
  const int index = domain->findData(name, Qt::UserRole);
  QVERIFY2(index >= 0, qPrintable(name));
  domain->setCurrentIndex(index);
}

void StudioActionsTest::set_prompt(const QString& text) {
  field<QWidget>("prompt")->findChild<QPlainTextEdit*>(QStringLiteral("text"))->setPlainText(text);
}

QString StudioActionsTest::message(const char* name) const {
  auto* label = field<QLabel>(name);
  return label && label->isVisibleTo(form()) ? label->text() : QString();
}

void StudioActionsTest::drop_on_window(const QString& path) {
  QVERIFY(cosmos3::test::drop_file_on(*window_, path));
}

void StudioActionsTest::choosingAModeAppliesTheActionRecipe() {
  // The domain list is the engine's table cut to what this checkpoint runs: libero has no raw
  // width, hand_pose's 57 channels exceed action_dim 12.
  auto* domain = field<QComboBox>("action_domain");
  QVERIFY(domain);
  QVERIFY(domain->findData(QStringLiteral("bridge_orig_lerobot"), Qt::UserRole) >= 0);
  QVERIFY(domain->findData(QStringLiteral("pusht"), Qt::UserRole) >= 0);
  QCOMPARE(domain->findData(QStringLiteral("libero"), Qt::UserRole), -1);
  QCOMPARE(domain->findData(QStringLiteral("hand_pose"), Qt::UserRole), -1);
  QVERIFY(!field<QWidget>("chunk_size")->isVisibleTo(form()));

  form()->setMode(GenerationMode::kTextToVideo);
  field<QSpinBox>("steps")->setValue(7);
  choose_action_mode(QStringLiteral("policy"));
  const FormValues values = form()->values();
  QCOMPARE(values.action.mode, ActionModeChoice::kPolicy);
  QCOMPARE(values.num_steps, 30);
  QCOMPARE(values.guidance_scale_text, QStringLiteral("1"));
  QCOMPARE(values.flow_shift_text, QStringLiteral("10"));
  QVERIFY(!values.use_system_prompt);
  // An action job starts from an input; its size comes from the tier, not the size fields.
  QCOMPARE(values.mode, GenerationMode::kImageToVideo);
  QVERIFY(field<QWidget>("chunk_size")->isVisibleTo(form()));
  QVERIFY(!field<QWidget>("height")->isVisibleTo(form()));
}

void StudioActionsTest::policyJobPlotsItsPredictedActions() {
  choose_action_mode(QStringLiteral("policy"));
  choose_domain(QStringLiteral("bridge_orig_lerobot"));
  field<QSpinBox>("chunk_size")->setValue(kChunkSize);
  auto* tier = field<QComboBox>("resolution_tier");
  tier->setCurrentIndex(tier->findData(256));
  auto* view_point = field<QComboBox>("view_point");
  view_point->setCurrentIndex(view_point->findData(QStringLiteral("third_person_view")));
  field<QSpinBox>("steps")->setValue(2);
  set_prompt(QStringLiteral("put the spoon in the pot"));
  QVERIFY(!form()->isValid());  // no image yet
  form()->setConditioningMedia(image_path_);
  QTRY_VERIFY_WITH_TIMEOUT(form()->isValid(), 20000);

  const QJsonObject request = form()->jobRequests().value(0);
  QCOMPARE(request.value(QStringLiteral("action_mode")).toString(), QStringLiteral("policy"));
  QCOMPARE(request.value(QStringLiteral("domain")).toString(),
           QStringLiteral("bridge_orig_lerobot"));
  QCOMPARE(request.value(QStringLiteral("chunk_size")).toInt(), kChunkSize);
  QCOMPARE(request.value(QStringLiteral("resolution_tier")).toInt(), 256);
  QVERIFY(!request.contains(QStringLiteral("num_frames")));  // the worker refuses it here

  const QueuedJob job = cosmos3::test::run_form_job(*window_);
  QVERIFY2(job.state == JobState::Done, qPrintable(job.failure_message));
  policy_request_ = job.request;

  QString action_file;
  QString video;
  for (const QJsonValue output : job.result.value(QStringLiteral("outputs")).toArray()) {
    const QString name = QFileInfo(output.toString()).fileName();
    if (name == QLatin1String("sample_action.json")) action_file = output.toString();
    if (name == QLatin1String("sample.mp4")) video = output.toString();
  }
  policy_generation_json_ = cosmos3::test::output_named(job, QStringLiteral("generation.json"));
  QVERIFY2(!action_file.isEmpty() && QFile::exists(action_file), "no sample_action.json");
  QVERIFY(!video.isEmpty());
  const QJsonArray rows = QJsonDocument::fromJson(read_file(action_file)).array();
  QCOMPARE(rows.size(), kChunkSize);
  QCOMPARE(rows.first().toArray().size(), kBridgeWidth);

  ActionPlotPanel& panel = window_->actionPlot();
  QTRY_VERIFY(panel.isVisible());
  QCOMPARE(panel.sequence().path(), action_file);
  QCOMPARE(panel.plot().channelCount(), kBridgeWidth);
  QCOMPARE(panel.plot().stepCount(), kChunkSize);
  // The legend gives each channel its own colour: the first and the last both appear once the
  // panel, just shown, has been laid out at its size.
  const auto shows = [&panel](const QColor& color) {
    const QImage plot = panel.plot().grab().toImage();
    for (int y = 0; y < plot.height(); ++y) {
      for (int x = 0; x < plot.width(); ++x) {
        if (plot.pixel(x, y) == color.rgb()) return true;
      }
    }
    return false;
  };
  QTRY_VERIFY(shows(ActionPlotWidget::channelColor(0, kBridgeWidth)));
  QVERIFY(shows(ActionPlotWidget::channelColor(kBridgeWidth - 1, kBridgeWidth)));
}

// scripts/screenshots.sh sets COSMOS3_SCREENSHOT_DIR and runs this under Xvfb: the editor with
// the policy job's settings, its video in the player and its actions plotted beside it.
void StudioActionsTest::screenshotOfThePolicyJob() {
  const QString shots = qEnvironmentVariable("COSMOS3_SCREENSHOT_DIR");
  if (shots.isEmpty()) QSKIP("COSMOS3_SCREENSHOT_DIR is not set");
  QVERIFY2(!policy_request_.isEmpty(), "the policy job did not finish");
  QTRY_VERIFY_WITH_TIMEOUT(window_->player().state() == MediaPlayerWidget::State::Ready, 30000);
  QTRY_VERIFY(window_->actionPlot().isVisible());
  QTest::qWait(300);  // lets the first frame and the plot paint before the grab
  QVERIFY(QDir().mkpath(shots));
  QVERIFY(window_->grab().save(QDir(shots).filePath(QStringLiteral("action_policy.png"))));
}

void StudioActionsTest::forwardDynamicsNeedsAValidActionsFile() {
  choose_action_mode(QStringLiteral("forward_dynamics"));
  choose_domain(QStringLiteral("bridge_orig_lerobot"));
  form()->setConditioningMedia(image_path_);
  auto* actions = field<QLineEdit>("actions_path");
  QVERIFY(actions && actions->isVisibleTo(form()));
  QTRY_VERIFY(message("actions_file_error").contains(QLatin1String("--actions FILE")));
  QVERIFY(!form()->isValid());
  QVERIFY(form()->jobRequests().isEmpty());

  const QDir home(home_.path());
  const QString narrow = home.filePath("narrow_actions.json");
  QVERIFY(write_text_file(narrow, "[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]"));
  form()->actionPanel()->setActionsFile(narrow);
  QTRY_VERIFY_WITH_TIMEOUT(message("actions_file_error").contains(QLatin1String("10")), 10000);
  QVERIFY(message("actions_file_error").contains(narrow));
  QVERIFY(!form()->isValid());

  const QString not_json = home.filePath("not_json_actions.json");
  QVERIFY(write_text_file(not_json, "this is not JSON"));
  form()->actionPanel()->setActionsFile(not_json);
  QTRY_VERIFY_WITH_TIMEOUT(message("actions_file_error").contains(QLatin1String("JSON")), 10000);
  QVERIFY(!form()->isValid());

  QJsonArray rows;
  for (int step = 0; step < kChunkSize; ++step) {
    QJsonArray row;
    for (int channel = 0; channel < kBridgeWidth; ++channel) row.push_back(0.1 * channel - step);
    rows.push_back(row);
  }
  const QString good = home.filePath("actions.json");
  QVERIFY(write_text_file(good, QJsonDocument(rows).toJson()));
  form()->actionPanel()->setActionsFile(good);
  QTRY_VERIFY_WITH_TIMEOUT(form()->isValid(), 10000);
  QCOMPARE(form()->jobRequests().value(0).value(QStringLiteral("actions")).toString(), good);

  // It runs: the video those actions cause, and no predicted actions to plot.
  field<QSpinBox>("chunk_size")->setValue(kChunkSize);
  auto* tier = field<QComboBox>("resolution_tier");
  tier->setCurrentIndex(tier->findData(256));
  field<QSpinBox>("steps")->setValue(2);
  QTRY_VERIFY_WITH_TIMEOUT(form()->isValid(), 10000);
  const QueuedJob job = cosmos3::test::run_form_job(*window_);
  QVERIFY2(job.state == JobState::Done, qPrintable(job.failure_message));
  forward_request_ = job.request;
  forward_generation_json_ = cosmos3::test::output_named(job, QStringLiteral("generation.json"));
  QVERIFY(!forward_generation_json_.isEmpty());
  QTRY_VERIFY(!window_->actionPlot().isVisible());
}

void StudioActionsTest::aForwardDynamicsJobRestoresOnlyWithItsActions() {
  QVERIFY2(!forward_generation_json_.isEmpty(), "the forward-dynamics job did not finish");
  // The job ran on the studio's copy of the actions file, which its metadata names and seals.
  const QString copy = forward_request_.value(QStringLiteral("actions")).toString();
  QVERIFY2(copy.startsWith(QDir(home_.path()).filePath(QStringLiteral("data"))), qPrintable(copy));
  choose_action_mode(QStringLiteral("policy"));
  drop_on_window(forward_generation_json_);
  QVERIFY2(window_->statusBar()->currentMessage().startsWith(QLatin1String("Restored")),
           qPrintable(window_->statusBar()->currentMessage()));
  QCOMPARE(form()->values().action.mode, ActionModeChoice::kForwardDynamics);
  QTRY_VERIFY_WITH_TIMEOUT(form()->isValid(), 20000);
  QCOMPARE(form()->jobRequests().value(0), forward_request_);

  // Other actions at that path would not make the same video: refused, naming the file.
  const QByteArray original = read_file(copy);
  QVERIFY(write_text_file(copy, QByteArray(original).replace('1', '2')));
  drop_on_window(forward_generation_json_);
  QString status = window_->statusBar()->currentMessage();
  QVERIFY2(status.startsWith(QLatin1String("Not restored")) && status.contains(copy) &&
               status.contains(QLatin1String("changed")),
           qPrintable(status));
  QVERIFY(QFile::remove(copy));
  drop_on_window(forward_generation_json_);
  status = window_->statusBar()->currentMessage();
  QVERIFY2(
      status.startsWith(QLatin1String("Not restored")) && status.contains(QLatin1String("gone")),
      qPrintable(status));
  QVERIFY(write_text_file(copy, original));
}

void StudioActionsTest::droppingTheActionJobsMetadataRestoresThePanel() {
  QVERIFY2(!policy_generation_json_.isEmpty(), "the policy job did not finish");
  choose_action_mode(QString());  // none: a plain video job in the editor
  QCOMPARE(form()->values().action.mode, ActionModeChoice::kNone);
  drop_on_window(policy_generation_json_);
  const QString status = window_->statusBar()->currentMessage();
  QVERIFY2(status.startsWith(QLatin1String("Restored")), qPrintable(status));
  const FormValues values = form()->values();
  QCOMPARE(values.action.mode, ActionModeChoice::kPolicy);
  QCOMPARE(values.action.domain, QStringLiteral("bridge_orig_lerobot"));
  QCOMPARE(values.action.chunk_size, kChunkSize);
  QCOMPARE(values.action.resolution_tier, 256);
  QCOMPARE(values.action.view_point, QStringLiteral("third_person_view"));
  QCOMPARE(field<QComboBox>("action_mode")->currentData().toInt(),
           static_cast<int>(ActionModeChoice::kPolicy));
  QTRY_VERIFY_WITH_TIMEOUT(form()->isValid(), 20000);
  QCOMPARE(form()->jobRequests().value(0), policy_request_);
}

void StudioActionsTest::editedActionMetadataIsRefused() {
  QVERIFY(!policy_generation_json_.isEmpty());
  QJsonObject edited = QJsonDocument::fromJson(read_file(policy_generation_json_)).object();
  edited.insert(QStringLiteral("domain"), QStringLiteral("pusht"));
  const QString path = QDir(home_.path()).filePath("edited_action.json");
  QVERIFY(write_text_file(path, QJsonDocument(edited).toJson()));
  const QJsonObject before = form()->jobRequests().value(0);
  drop_on_window(path);
  const QString status = window_->statusBar()->currentMessage();
  QVERIFY2(status.startsWith(QLatin1String("Not restored")) && status.contains("checksum"),
           qPrintable(status));
  QCOMPARE(form()->jobRequests().value(0), before);
}

QTEST_MAIN(StudioActionsTest)
#include "tst_studio_actions.moc"
