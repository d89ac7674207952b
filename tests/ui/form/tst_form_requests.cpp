// What the form queues: conditioning files dropped or set (read off the UI thread, unreadable
// ones refused next to their field), batches and prompt lists with concrete seeds, distilled
// checkpoints' fixed values, the sound switch (job field "sound", video modes only, hidden where
// the checkpoint cannot make sound), and job objects that round-trip through setRequest exactly.

#include "core/pipeline/generation_request.h"
#include "media/video_writer.h"
#include "tests/media/synthetic_media.h"
#include "tests/ui/form/form_driver.h"
#include "tests/ui/form/tiny_checkpoint.h"
#include "ui/form/generation_form.h"

#include <QCheckBox>
#include <QDropEvent>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <memory>

using namespace cosmos3;
using namespace cosmos3::ui;
using test::child;

namespace {

QList<qint64> seeds_of(const QList<QJsonObject>& jobs) {
  QList<qint64> seeds;
  for (const QJsonObject& job : jobs) {
    seeds.push_back(job.value(QStringLiteral("seed")).toInteger(-1));
  }
  return seeds;
}

QStringList prompts_of(const QList<QJsonObject>& jobs) {
  QStringList prompts;
  for (const QJsonObject& job : jobs) {
    prompts.push_back(job.value(QStringLiteral("prompt")).toString());
  }
  return prompts;
}

// A drag entering the form and the drop, as the window system delivers them.
void drop_file(QWidget& target, const QString& path) {
  QMimeData mime;
  mime.setUrls({QUrl::fromLocalFile(path)});
  const QPointF position(target.width() / 2.0, target.height() / 2.0);
  QDragEnterEvent enter(position.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(&target, &enter);
  QVERIFY(enter.isAccepted());
  QDropEvent drop(position, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(&target, &drop);
  QVERIFY(drop.isAccepted());
}

}  // namespace

class FormRequestsTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir temp_;
  std::optional<CheckpointCapabilities> capabilities_;
  std::optional<CheckpointCapabilities> distilled_;
  std::unique_ptr<GenerationForm> form_;
  QString image_path_;
  QString video_path_;

  PromptEditor* prompt() { return child<PromptEditor>(*form_, "prompt"); }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(temp_.isValid());
    const QString tiny = test::make_tiny_checkpoint(temp_.filePath(QStringLiteral("tiny")));
    QVERIFY(!tiny.isEmpty());
    capabilities_ = CheckpointCapabilities::load(tiny.toStdString());
    const QString distilled =
        test::make_tiny_checkpoint(temp_.filePath(QStringLiteral("distilled")));
    QVERIFY(!distilled.isEmpty());
    QVERIFY(test::write_text_file(distilled + QStringLiteral("/modular_model_index.json"),
                                  R"({"distilled_sigmas": [1.0, 0.6, 0.3]})"));
    distilled_ = CheckpointCapabilities::load(distilled.toStdString());

    image_path_ = temp_.filePath(QStringLiteral("start frame.png"));
    QImage image(64, 48, QImage::Format_RGB888);
    image.fill(QColor(200, 80, 20));
    QVERIFY(image.save(image_path_));
    video_path_ = temp_.filePath(QStringLiteral("clip.mp4"));
    media::write_mp4(video_path_.toStdString(), test::synthetic_video(64, 48, 9, 24.0), nullptr,
                     "");
  }

  void init() {
    form_ = std::make_unique<GenerationForm>(*capabilities_);
    form_->resize(800, 1200);
    form_->show();
  }

  void cleanup() { form_.reset(); }

  void a_dropped_image_switches_to_image_to_video() {
    test::type_prompt(prompt(), QStringLiteral("the fox starts running"));
    QVERIFY(form_->isValid());
    QSignalSpy validity(form_.get(), &GenerationForm::validityChanged);
    drop_file(*form_, image_path_);
    QCOMPARE(form_->mode(), GenerationMode::kImageToVideo);
    QCOMPARE(child<QComboBox>(*form_, "mode")->currentText(), QStringLiteral("Image to video"));
    QVERIFY(!form_->isValid());  // not until the file has been read
    QTRY_VERIFY(form_->isValid());
    QCOMPARE(validity.size(), 2);  // invalid while reading, valid once read
    QVERIFY(!child<QLabel>(*form_, "thumbnail")->pixmap().isNull());
    const QList<QJsonObject> jobs = form_->jobRequests();
    QCOMPARE(jobs.size(), 1);
    QCOMPARE(jobs.front().value(QStringLiteral("vision_path")).toString(), image_path_);
    QVERIFY(!jobs.front().contains(QStringLiteral("video_path")));
    QVERIFY(!jobs.front().contains(QStringLiteral("output_dir")));
  }

  void a_dropped_video_switches_to_video_to_video() {
    test::type_prompt(prompt(), QStringLiteral("continue"));
    drop_file(*form_, video_path_);
    QCOMPARE(form_->mode(), GenerationMode::kVideoToVideo);
    QTRY_VERIFY(form_->isValid());
    const QJsonObject job = form_->jobRequests().front();
    QCOMPARE(job.value(QStringLiteral("video_path")).toString(), video_path_);
    QCOMPARE(job.value(QStringLiteral("condition_frame_indexes")).toArray(), (QJsonArray{0, 1}));
    QCOMPARE(job.value(QStringLiteral("condition_video_keep")).toString(), QStringLiteral("first"));
  }

  void an_unreadable_file_is_refused_next_to_its_field() {
    const QString garbage = temp_.filePath(QStringLiteral("broken.png"));
    QVERIFY(test::write_text_file(garbage, QByteArray(2048, 'x')));
    test::type_prompt(prompt(), QStringLiteral("the fox starts running"));
    drop_file(*form_, garbage);
    QCOMPARE(form_->mode(), GenerationMode::kImageToVideo);
    QTRY_VERIFY(!form_->fieldMessage(FormField::kMedia).startsWith(QStringLiteral("reading")));
    const QString message = form_->fieldMessage(FormField::kMedia);
    QVERIFY2(message.contains(garbage), qPrintable(message));
    QCOMPARE(child<QLabel>(*form_, "media_error")->text(), message);
    QVERIFY(child<QLabel>(*form_, "media_error")->isVisibleTo(form_.get()));
    QVERIFY(!form_->isValid());
    QVERIFY(form_->jobRequests().isEmpty());

    // Clearing the input leaves image to video asking for one.
    QTest::mouseClick(child<QPushButton>(*form_, "clear_media"), Qt::LeftButton);
    QVERIFY(form_->fieldMessage(FormField::kMedia).contains(QStringLiteral("needs an image")));
  }

  void batches_and_prompt_lists_expand_with_successive_seeds() {
    test::click(child<QCheckBox>(*form_, "one_job_per_line"));
    test::type_prompt(prompt(), QStringLiteral("a fox\n\n  \nan owl\n"));
    test::type_into(child<QSpinBox>(*form_, "batch_count"), 3);
    test::type_into(child<QLineEdit>(*form_, "seed"), QStringLiteral("10"));
    const QList<QJsonObject> jobs = form_->jobRequests();
    QCOMPARE(prompts_of(jobs),
             (QStringList{"a fox", "a fox", "a fox", "an owl", "an owl", "an owl"}));
    QCOMPARE(seeds_of(jobs), (QList<qint64>{10, 11, 12, 10, 11, 12}));
    // Fixed seeds stay where they are after queueing.
    form_->noteJobsQueued();
    QCOMPARE(seeds_of(form_->jobRequests()).front(), 10);
  }

  void increment_mode_moves_past_the_queued_seeds() {
    test::type_prompt(prompt(), QStringLiteral("a fox"));
    test::type_into(child<QSpinBox>(*form_, "batch_count"), 2);
    test::type_into(child<QLineEdit>(*form_, "seed"), QStringLiteral("40"));
    QVERIFY(test::choose(child<QComboBox>(*form_, "seed_mode"),
                         QStringLiteral("Increment after queueing")));
    QCOMPARE(seeds_of(form_->jobRequests()), (QList<qint64>{40, 41}));
    form_->noteJobsQueued();
    QCOMPARE(child<QLineEdit>(*form_, "seed")->text(), QStringLiteral("42"));
    QCOMPARE(seeds_of(form_->jobRequests()), (QList<qint64>{42, 43}));
  }

  void random_mode_draws_a_concrete_seed_per_job() {
    test::type_prompt(prompt(), QStringLiteral("a fox"));
    test::type_into(child<QSpinBox>(*form_, "batch_count"), 4);
    QVERIFY(test::choose(child<QComboBox>(*form_, "seed_mode"), QStringLiteral("Random")));
    QVERIFY(!child<QLineEdit>(*form_, "seed")->isEnabled());
    const QList<qint64> seeds = seeds_of(form_->jobRequests());
    QCOMPARE(seeds.size(), 4);
    for (const qint64 seed : seeds) {
      QVERIFY(seed >= 0 && seed <= 0xffffffffLL);
    }
    // Four 32-bit draws collide with probability ~1e-9.
    QCOMPARE(QSet<qint64>(seeds.begin(), seeds.end()).size(), 4);
    QVERIFY(seeds_of(form_->jobRequests()) != seeds);
  }

  void jobs_from_user_edits_round_trip_through_set_request() {
    test::type_prompt(prompt(), QStringLiteral("{\"subject\": \"fox\",\n \"motion\": \"runs\"}"));
    test::type_prompt(child<PromptEditor>(*form_, "negative_prompt"), QStringLiteral("blurry"));
    test::type_into(child<QSpinBox>(*form_, "height"), 480);
    test::type_into(child<QSpinBox>(*form_, "width"), 832);
    test::type_into(child<QSpinBox>(*form_, "num_frames"), 93);
    test::type_into(child<QSpinBox>(*form_, "steps"), 20);
    test::type_into(child<QLineEdit>(*form_, "guidance_scale"), QStringLiteral("4.375"));
    test::type_into(child<QLineEdit>(*form_, "flow_shift"), QStringLiteral("3"));
    test::type_into(child<QLineEdit>(*form_, "fps"), QStringLiteral("16"));
    test::type_into(child<QLineEdit>(*form_, "seed"), QStringLiteral("9007199254740993"));
    test::click(child<QCheckBox>(*form_, "use_system_prompt"));
    QVERIFY(form_->isValid());
    const QJsonObject job = form_->jobRequests().front();
    QCOMPARE(job.value(QStringLiteral("guidance_scale")).toDouble(), 4.375);
    QCOMPARE(job.value(QStringLiteral("use_system_prompt")).toBool(), false);
    QCOMPARE(job.value(QStringLiteral("seed")).toInteger(), 9007199254740993LL);

    GenerationForm restored(*capabilities_);
    restored.setRequest(job);
    QCOMPARE(test::json_text(restored.jobRequests()), test::json_text({job}));
    QVERIFY(restored.jobRequests() == QList<QJsonObject>{job});  // number types too
  }

  void written_job_objects_round_trip_in_every_mode() {
    const QByteArray image_job = R"({"prompt": "go", "negative_prompt": "", "num_frames": 121,
        "height": 704, "width": 1280, "fps": 24, "steps": 35, "guidance_scale": 6,
        "flow_shift": 5, "seed": 7, "use_system_prompt": true, "vision_path": "IMAGE"})";
    const QByteArray video_job = R"({"prompt": "on", "negative_prompt": "n", "num_frames": 93,
        "height": 480, "width": 832, "fps": 30, "steps": 12, "guidance_scale": 1,
        "flow_shift": 2.5, "seed": 0, "use_system_prompt": false, "video_path": "VIDEO",
        "condition_frame_indexes": [0, 1, 2], "condition_video_keep": "last"})";
    const QByteArray image_only = R"({"prompt": "still", "negative_prompt": "", "num_frames": 1,
        "height": 1024, "width": 1024, "fps": 24, "steps": 50, "guidance_scale": 4,
        "flow_shift": 3, "seed": 123, "use_system_prompt": true})";
    for (QByteArray text : {image_job, video_job, image_only}) {
      text.replace("IMAGE", image_path_.toUtf8()).replace("VIDEO", video_path_.toUtf8());
      const QJsonObject job = QJsonDocument::fromJson(text).object();
      QVERIFY(!job.isEmpty());
      form_->setRequest(job);
      QTRY_VERIFY(form_->isValid());
      QCOMPARE(test::json_text(form_->jobRequests()), test::json_text({job}));
      QVERIFY(form_->jobRequests() == QList<QJsonObject>{job});
    }
  }

  // Action jobs (the tiny checkpoint has action heads): no num_frames, height or width, which
  // the worker refuses with an action mode; forward dynamics carries its actions file.
  void action_job_objects_round_trip() {
    QVERIFY(form_->actionPanel());
    const QString actions = temp_.filePath(QStringLiteral("actions.json"));
    QVERIFY(test::write_text_file(actions, "[[0,1,2,3,4,5,6,7,8,9],[9,8,7,6,5,4,3,2,1,0]]"));
    QByteArray forward = R"({"prompt": "push the cup", "negative_prompt": "", "fps": 5,
        "steps": 30, "guidance_scale": 1, "flow_shift": 10, "seed": 3, "use_system_prompt": false,
        "vision_path": "IMAGE", "action_mode": "forward_dynamics", "domain": "bridge_orig_lerobot",
        "chunk_size": 8, "resolution_tier": 256, "view_point": "wrist_view", "actions": "ACTIONS"})";
    QByteArray inverse = R"({"prompt": "what happened", "negative_prompt": "", "fps": 24,
        "steps": 4, "guidance_scale": 1, "flow_shift": 10, "seed": 0, "use_system_prompt": false,
        "video_path": "VIDEO", "action_mode": "inverse_dynamics", "domain": "pusht",
        "chunk_size": 4, "resolution_tier": 480, "view_point": "ego_view"})";
    for (QByteArray text : {forward, inverse}) {
      text.replace("IMAGE", image_path_.toUtf8())
          .replace("VIDEO", video_path_.toUtf8())
          .replace("ACTIONS", actions.toUtf8());
      const QJsonObject job = QJsonDocument::fromJson(text).object();
      QVERIFY(!job.isEmpty());
      form_->setRequest(job);
      QTRY_VERIFY(form_->isValid());
      QCOMPARE(test::json_text(form_->jobRequests()), test::json_text({job}));
    }
    // The actions file is read against the domain's width: pusht has 2 channels, not 10.
    QJsonObject wrong_width = QJsonDocument::fromJson(forward).object();
    wrong_width.insert(QStringLiteral("vision_path"), image_path_);
    wrong_width.insert(QStringLiteral("actions"), actions);
    wrong_width.insert(QStringLiteral("domain"), QStringLiteral("pusht"));
    form_->setRequest(wrong_width);
    QTRY_VERIFY(form_->fieldMessage(FormField::kActionsFile).contains(QStringLiteral("width 2")));
    QVERIFY(!form_->isValid());
  }

  void a_distilled_checkpoint_has_no_action_panel() {
    GenerationForm distilled(*distilled_);
    QVERIFY(!distilled.actionPanel());
  }

  void set_request_refuses_keys_it_cannot_take() {
    const auto message_for = [&](const QJsonObject& job) {
      try {
        form_->setRequest(job);
      } catch (const pipeline::RequestError& error) {
        return QString::fromUtf8(error.what());
      }
      return QStringLiteral("<accepted>");
    };
    QVERIFY(
        message_for({{"prompt", "x"}, {"height", "tall"}}).contains(QStringLiteral("'height'")));
    QVERIFY(message_for({{"prompt", "x"}, {"stepz", 3}}).contains(QStringLiteral("'stepz'")));
    QVERIFY(message_for({{"prompt", "x"}, {"domain", "pusht"}})
                .contains(QStringLiteral("'action_mode'")));
    QVERIFY(message_for({{"prompt", "x"}, {"action_mode", "teleport"}, {"vision_path", "x.png"}})
                .contains(QStringLiteral("teleport")));
    QVERIFY(message_for({{"prompt", "x"}, {"num_frames", 9.5}})
                .contains(QStringLiteral("whole number")));
    // Keys the window owns are not the form's business.
    QCOMPARE(message_for({{"prompt", "x"}, {"output_dir", "/tmp/out"}}),
             QStringLiteral("<accepted>"));
  }

  void the_sound_switch_queues_sound_with_videos_only() {
    auto* sound = child<QCheckBox>(*form_, "sound");
    QVERIFY(sound->isVisibleTo(form_.get()));
    test::type_prompt(prompt(), QStringLiteral("waves on a shore"));
    QVERIFY(form_->isValid());
    QVERIFY(!form_->jobRequests().front().contains(QStringLiteral("sound")));
    test::click(sound);
    QTRY_VERIFY(form_->isValid());
    const QJsonObject job = form_->jobRequests().front();
    QCOMPARE(job.value(QStringLiteral("sound")), QJsonValue(true));

    GenerationForm restored(*capabilities_);
    restored.setRequest(job);
    QVERIFY(child<QCheckBox>(restored, "sound")->isChecked());
    QVERIFY(restored.jobRequests() == QList<QJsonObject>{job});

    // A still has no soundtrack: the switch is off limits and the job leaves sound out.
    form_->setMode(GenerationMode::kTextToImage);
    QVERIFY(!sound->isEnabled());
    QTRY_VERIFY(form_->isValid());
    QVERIFY(!form_->jobRequests().front().contains(QStringLiteral("sound")));
    form_->setMode(GenerationMode::kTextToVideo);
    QCOMPARE(form_->jobRequests().front().value(QStringLiteral("sound")), QJsonValue(true));

    QJsonObject wrong_type = job;
    wrong_type.insert(QStringLiteral("sound"), QStringLiteral("yes"));
    try {
      restored.setRequest(wrong_type);
      QFAIL("sound: \"yes\" was taken");
    } catch (const pipeline::RequestError& error) {
      QVERIFY2(QString::fromUtf8(error.what()).contains(QStringLiteral("'sound'")), error.what());
    }
  }

  void a_checkpoint_without_a_sound_tokenizer_hides_the_switch_and_refuses_sound() {
    const QString folder =
        test::make_tiny_checkpoint(temp_.filePath(QStringLiteral("no_sound_tokenizer")));
    QVERIFY(!folder.isEmpty());
    QVERIFY(test::edit_json_file(folder + QStringLiteral("/model_index.json"), [](auto& json) {
      json.remove(QStringLiteral("sound_tokenizer"));
    }));
    const auto capabilities = CheckpointCapabilities::load(folder.toStdString());
    GenerationForm form(capabilities);
    form.show();
    QVERIFY(!child<QCheckBox>(form, "sound")->isVisibleTo(&form));
    // The note says why the switch is missing.
    auto* note = child<QLabel>(form, "capability_note");
    QVERIFY2(note->text().contains(QStringLiteral("sound tokenizer")), qPrintable(note->text()));
    try {
      form.setRequest({{"prompt", "waves"}, {"num_frames", 5}, {"sound", true}});
      QFAIL("a job with sound was taken by a checkpoint that cannot make it");
    } catch (const pipeline::RequestError& error) {
      QVERIFY2(QString::fromUtf8(error.what()).contains(QStringLiteral("sound tokenizer")),
               error.what());
    }
  }

  void distilled_checkpoints_queue_their_fixed_schedule() {
    GenerationForm form(*distilled_);
    form.show();
    test::type_prompt(child<PromptEditor>(form, "prompt"), QStringLiteral("a fox"));
    QVERIFY(form.isValid());
    QVERIFY(!child<QSpinBox>(form, "steps")->isEnabled());
    QVERIFY(!child<QLineEdit>(form, "flow_shift")->isEnabled());
    const QJsonObject job = form.jobRequests().front();
    QCOMPARE(job.value(QStringLiteral("steps")).toInt(), 3);
    QCOMPARE(job.value(QStringLiteral("guidance_scale")).toDouble(), 1.0);
    QVERIFY(!job.contains(QStringLiteral("flow_shift")));

    // A restored job that asks for other steps is explained with the engine's rule.
    QJsonObject other = job;
    other.insert(QStringLiteral("steps"), 20);
    form.setRequest(other);
    QVERIFY(form.fieldMessage(FormField::kNumSteps)
                .contains(QStringLiteral("distilled checkpoint whose schedule has 3 steps")));
    QVERIFY(!form.isValid());
  }
};

QTEST_MAIN(FormRequestsTest)
#include "tst_form_requests.moc"
