// The transfer panel of the form against the tiny checkpoint: picking hints applies the
// engine's preset for them (the first hint in sequence order decides), transfer job objects
// (files, and edge and blur made from a source video) round-trip through setRequest exactly,
// the engine's checks of the control videos are shown beside their rows (another size than the
// other controls, shorter than the output), the guidance intervals and the seed video
// round-trip too and the engine's refusals of them (an interval for a guidance that is off, a
// seed video shorter than the frames kept or of another aspect) sit beside their fields,
// settings of a transfer job without controls are refused, and a checkpoint without a VAE has no
// panel and says why.

#include "core/pipeline/generation_request.h"
#include "core/pipeline/transfer_control_maps.h"
#include "core/pipeline/transfer_hint.h"
#include "media/video_writer.h"
#include "tests/media/synthetic_media.h"
#include "tests/ui/form/form_driver.h"
#include "tests/ui/form/tiny_checkpoint.h"
#include "ui/form/control_map_preview.h"
#include "ui/form/control_preview_strip.h"
#include "ui/form/form_parsing.h"
#include "ui/form/generation_form.h"
#include "ui/form/transfer_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <ATen/ops/zeros.h>

#include <memory>

using namespace cosmos3;
using namespace cosmos3::ui;
using pipeline::ControlHint;
using test::child;

class TransferFormTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir temp_;
  std::optional<CheckpointCapabilities> capabilities_;
  std::unique_ptr<GenerationForm> form_;
  QString wide_video_;    // 48 x 32, 9 frames
  QString small_video_;   // 24 x 16: the same aspect, another size
  QString short_video_;   // 48 x 32, 5 frames
  QString square_video_;  // 32 x 32: another aspect than the output's

  QComboBox* origin(ControlHint hint) {
    return child<QComboBox>(*form_, (hint_key(hint) + "_origin").toLatin1().constData());
  }
  QString row_message(ControlHint hint) {
    return message_of((hint_key(hint) + "_error").toLatin1().constData());
  }
  QString message_of(const char* label_name) {
    auto* label = child<QLabel>(*form_, label_name);
    return label->isVisibleTo(form_.get()) ? label->text() : QString();
  }
  // A valid transfer job on the wide video: a depth control, both guidances on.
  void set_valid_depth_job() {
    // The control first: choosing it applies the depth preset, which the rest then overrides.
    form_->transferPanel()->setControlVideo(ControlHint::kDepth, wide_video_);
    set_output_to_the_wide_video();
    child<QLineEdit>(*form_, "guidance_scale")->setText(QStringLiteral("3"));
    child<QLineEdit>(*form_, "control_guidance")->setText(QStringLiteral("1.5"));
  }
  void turn_on_interval(const char* name, int low, int high) {
    const QString prefix = QLatin1String(name);
    child<QCheckBox>(*form_, (prefix + "_on").toLatin1().constData())->setChecked(true);
    child<QSpinBox>(*form_, (prefix + "_low").toLatin1().constData())->setValue(low);
    child<QSpinBox>(*form_, (prefix + "_high").toLatin1().constData())->setValue(high);
  }
  QString write_video(const char* name, int width, int height, int num_frames) {
    const QString path = temp_.filePath(QLatin1String(name));
    media::write_mp4(path.toStdString(), test::synthetic_video(width, height, num_frames, 30.0),
                     nullptr, "");
    return path;
  }
  // A valid transfer request on the wide video: its size and length.
  void set_output_to_the_wide_video() {
    test::type_prompt(child<PromptEditor>(*form_, "prompt"), QStringLiteral("a street"));
    child<QSpinBox>(*form_, "height")->setValue(32);
    child<QSpinBox>(*form_, "width")->setValue(48);
    child<QSpinBox>(*form_, "num_frames")->setValue(9);
    child<QSpinBox>(*form_, "num_video_frames_per_chunk")->setValue(9);
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(temp_.isValid());
    const QString tiny = test::make_tiny_checkpoint(temp_.filePath(QStringLiteral("tiny")));
    QVERIFY(!tiny.isEmpty());
    capabilities_ = CheckpointCapabilities::load(tiny.toStdString());
    wide_video_ = write_video("wide.mp4", 48, 32, 9);
    small_video_ = write_video("small.mp4", 24, 16, 9);
    short_video_ = write_video("short.mp4", 48, 32, 5);
    square_video_ = write_video("square.mp4", 32, 32, 9);
  }

  void init() {
    form_ = std::make_unique<GenerationForm>(*capabilities_);
    form_->resize(900, 1600);
    form_->show();
    QVERIFY(form_->transferPanel());
  }

  void cleanup() { form_.reset(); }

  void picking_hints_applies_the_first_hints_preset() {
    QVERIFY(test::choose(origin(ControlHint::kWsm), QStringLiteral("Control video")));
    const pipeline::TransferPreset& wsm = pipeline::transfer_preset(ControlHint::kWsm);
    FormValues values = form_->values();
    QCOMPARE(values.fps_text, decimal_text(wsm.fps));
    QCOMPARE(values.num_frames, wsm.num_frames);
    QCOMPARE(values.transfer.control_guidance_text, decimal_text(wsm.control_guidance));
    // Seg comes first in sequence order: its preset now decides.
    QVERIFY(test::choose(origin(ControlHint::kSeg), QStringLiteral("Control video")));
    const pipeline::TransferPreset& seg = pipeline::transfer_preset(ControlHint::kSeg);
    values = form_->values();
    QCOMPARE(values.guidance_scale_text, decimal_text(seg.guidance_scale));
    QCOMPARE(values.fps_text, decimal_text(seg.fps));
    QCOMPARE(values.transfer.control_guidance_text, decimal_text(seg.control_guidance));
    QCOMPARE(values.transfer.num_video_frames_per_chunk, seg.num_frames);
    // Only edge and blur can be made here.
    QVERIFY(origin(ControlHint::kEdge)->findText(QStringLiteral("Made from the source video")) >=
            0);
    QCOMPARE(origin(ControlHint::kDepth)->findText(QStringLiteral("Made from the source video")),
             -1);
  }

  void transfer_job_objects_round_trip() {
    QByteArray text = R"({"prompt": "a street", "negative_prompt": "", "num_frames": 9,
        "height": 32, "width": 48, "fps": 30, "steps": 4, "guidance_scale": 3, "flow_shift": 10,
        "seed": 5, "use_system_prompt": true,
        "control": {"edge": null, "blur": null, "depth": "WIDE"}, "control_source": "WIDE",
        "edge_thresholds": "50,150", "blur_sigma": 2.5, "control_guidance": 1.5,
        "num_video_frames_per_chunk": 9, "num_conditional_frames": 1})";
    text.replace("WIDE", wide_video_.toUtf8());
    const QJsonObject job = QJsonDocument::fromJson(text).object();
    QVERIFY(!job.isEmpty());
    form_->setRequest(job);
    QTRY_VERIFY(form_->isValid());
    QCOMPARE(test::json_text(form_->jobRequests()), test::json_text({job}));
    QVERIFY(child<QWidget>(*form_, "control_source")->isVisibleTo(form_.get()));
    QCOMPARE(form_->transferPanel()->previews().captions().size(), 3);
  }

  void the_engines_control_checks_are_shown_beside_their_rows() {
    set_output_to_the_wide_video();
    form_->transferPanel()->setControlVideo(ControlHint::kEdge, wide_video_);
    form_->transferPanel()->setControlVideo(ControlHint::kDepth, small_video_);
    child<QSpinBox>(*form_, "num_frames")->setValue(9);
    QTRY_VERIFY(form_->isValid() || !form_->fieldMessage(FormField::kTransfer).contains("reading"));
    QVERIFY(!form_->isValid());
    QVERIFY2(form_->fieldMessage(FormField::kTransfer).contains("all at one size"),
             qPrintable(form_->fieldMessage(FormField::kTransfer)));

    form_->transferPanel()->setControlVideo(ControlHint::kDepth, short_video_);
    QTRY_VERIFY2(row_message(ControlHint::kDepth).contains("has 5 frames"),
                 qPrintable(row_message(ControlHint::kDepth)));
    QVERIFY(!form_->isValid());
    child<QSpinBox>(*form_, "num_frames")->setValue(5);
    QTRY_VERIFY(form_->isValid());
    QVERIFY(row_message(ControlHint::kDepth).isEmpty());
  }

  void intervals_and_seed_video_round_trip() {
    QByteArray text = R"({"prompt": "a street", "negative_prompt": "", "num_frames": 9,
        "height": 32, "width": 48, "fps": 30, "steps": 4, "guidance_scale": 3, "flow_shift": 10,
        "seed": 5, "use_system_prompt": true, "control": {"depth": "WIDE"},
        "control_guidance": 1.5, "num_video_frames_per_chunk": 9, "num_conditional_frames": 1,
        "guidance_interval": [0, 500], "control_guidance_interval": [120, 980],
        "video_path": "WIDE", "num_first_chunk_conditional_frames": 3})";
    text.replace("WIDE", wide_video_.toUtf8());
    const QJsonObject job = QJsonDocument::fromJson(text).object();
    QVERIFY(!job.isEmpty());
    form_->setRequest(job);
    QTRY_VERIFY2(form_->isValid(), qPrintable(form_->fieldMessage(FormField::kTransfer)));
    QCOMPARE(test::json_text(form_->jobRequests()), test::json_text({job}));
    QCOMPARE(child<QSpinBox>(*form_, "control_guidance_interval_low")->value(), 120);
    QCOMPARE(child<QLineEdit>(*form_, "seed_video")->text(), wide_video_);
    // A job without them loads with both intervals off and no seed video.
    QJsonObject plain = job;
    for (const char* key : {"guidance_interval", "control_guidance_interval", "video_path",
                            "num_first_chunk_conditional_frames"}) {
      plain.remove(QLatin1String(key));
    }
    form_->setRequest(plain);
    QTRY_VERIFY(form_->isValid());
    QCOMPARE(test::json_text(form_->jobRequests()), test::json_text({plain}));
    QVERIFY(!child<QCheckBox>(*form_, "guidance_interval_on")->isChecked());
  }

  void interval_and_seed_keys_the_panel_cannot_show_are_refused() {
    const QJsonObject base{{"prompt", "x"}, {"control", QJsonObject{{"depth", wide_video_}}}};
    const auto refused = [this](QJsonObject job, const char* key, const QJsonValue& value,
                                const char* expected) {
      job.insert(QLatin1String(key), value);
      try {
        form_->setRequest(job);
      } catch (const pipeline::RequestError& error) {
        return QString::fromUtf8(error.what()).contains(QLatin1String(expected));
      }
      return false;
    };
    QVERIFY(refused(base, "guidance_interval", QJsonArray{0, 2000}, "0 to 1000"));
    QVERIFY(refused(base, "guidance_interval", QJsonArray{0.5, 20}, "whole"));
    QVERIFY(refused(base, "control_guidance_interval", QJsonArray{1}, "[LOW, HIGH]"));
    QVERIFY(refused(base, "num_first_chunk_conditional_frames", 2, "video_path"));
    QJsonObject seeded = base;
    seeded.insert(QStringLiteral("video_path"), wide_video_);
    QVERIFY(refused(seeded, "num_first_chunk_conditional_frames", 0, "at least 1"));
  }

  void an_interval_for_a_guidance_that_is_off_is_explained_beside_it() {
    set_valid_depth_job();
    QTRY_VERIFY2(form_->isValid(), qPrintable(form_->fieldMessage(FormField::kTransfer)));
    turn_on_interval("guidance_interval", 0, 500);
    turn_on_interval("control_guidance_interval", 100, 900);
    QTRY_VERIFY(form_->isValid());
    child<QLineEdit>(*form_, "guidance_scale")->setText(QStringLiteral("1"));
    QTRY_VERIFY2(message_of("guidance_interval_error").contains("--guidance-interval"),
                 qPrintable(message_of("guidance_interval_error")));
    QVERIFY(message_of("control_guidance_interval_error").isEmpty());
    QVERIFY(!form_->isValid());
    child<QLineEdit>(*form_, "guidance_scale")->setText(QStringLiteral("3"));
    child<QLineEdit>(*form_, "control_guidance")->setText(QStringLiteral("1"));
    QTRY_VERIFY2(
        message_of("control_guidance_interval_error").contains("--control-guidance-interval"),
        qPrintable(message_of("control_guidance_interval_error")));
    QVERIFY(message_of("guidance_interval_error").isEmpty());
    child<QCheckBox>(*form_, "control_guidance_interval_on")->setChecked(false);
    QTRY_VERIFY(form_->isValid());
  }

  void the_seed_videos_checks_are_shown_beside_it() {
    set_valid_depth_job();
    form_->transferPanel()->setSeedVideo(short_video_);
    child<QSpinBox>(*form_, "num_first_chunk_conditional_frames")->setValue(7);
    QTRY_VERIFY2(message_of("seed_video_error").contains("has 5 frames"),
                 qPrintable(message_of("seed_video_error")));
    QVERIFY(!form_->isValid());
    child<QSpinBox>(*form_, "num_first_chunk_conditional_frames")->setValue(4);
    QTRY_VERIFY2(form_->isValid(), qPrintable(form_->fieldMessage(FormField::kTransfer)));
    QCOMPARE(form_->jobRequests().value(0).value("num_first_chunk_conditional_frames").toInt(), 4);
    form_->transferPanel()->setSeedVideo(square_video_);
    QTRY_VERIFY2(message_of("seed_video_error").contains("aspect"),
                 qPrintable(message_of("seed_video_error")));
    QVERIFY(!form_->isValid());
  }

  // The preview of a made control is the engine's map of the frame, pixel for pixel: an odd
  // width pads the image's rows, which the conversion must step over.
  void a_made_controls_preview_is_the_engines_map() {
    QImage frame(45, 30, QImage::Format_RGB888);
    for (int y = 0; y < frame.height(); ++y) {
      for (int x = 0; x < frame.width(); ++x) {
        frame.setPixel(x, y, ((x / 6 + y / 5) % 2) ? qRgb(230, 220, 40) : qRgb(20, 30, 90));
      }
    }
    at::Tensor frames_THW3 = at::zeros({1, frame.height(), frame.width(), 3}, at::kByte);
    for (int y = 0; y < frame.height(); ++y) {
      for (int x = 0; x < frame.width(); ++x) {
        const QRgb pixel = frame.pixel(x, y);
        frames_THW3[0][y][x][0] = qRed(pixel);
        frames_THW3[0][y][x][1] = qGreen(pixel);
        frames_THW3[0][y][x][2] = qBlue(pixel);
      }
    }
    const at::Tensor edges_THW3 = pipeline::edge_control_frames(frames_THW3, {100, 200});
    QString problem;
    const QImage map = made_control_map(frame, {ControlHint::kEdge, 100, 200, 0}, &problem);
    QVERIFY2(!map.isNull(), qPrintable(problem));
    QCOMPARE(map.size(), frame.size());
    int num_edge_pixels = 0;
    for (int y = 0; y < map.height(); ++y) {
      for (int x = 0; x < map.width(); ++x) {
        const int expected = edges_THW3[0][y][x][0].item<uint8_t>();
        QCOMPARE(qRed(map.pixel(x, y)), expected);
        num_edge_pixels += expected > 0 ? 1 : 0;
      }
    }
    QVERIFY(num_edge_pixels > 0);
    // Settings the engine refuses come back as its message.
    QVERIFY(made_control_map(frame, {ControlHint::kBlur, 0, 0, 0}, &problem).isNull());
    QVERIFY2(problem.contains("sigma"), qPrintable(problem));
  }

  void transfer_settings_without_controls_are_refused() {
    try {
      form_->setRequest({{"prompt", "x"}, {"control_guidance", 2}});
      QFAIL("control_guidance without control was taken");
    } catch (const pipeline::RequestError& error) {
      QVERIFY2(QString::fromUtf8(error.what()).contains("'control'"), error.what());
    }
    try {
      form_->setRequest({{"prompt", "x"}, {"control", QJsonObject{{"normals", "n.mp4"}}}});
      QFAIL("an unknown hint was taken");
    } catch (const pipeline::RequestError& error) {
      QVERIFY2(QString::fromUtf8(error.what()).contains("normals"), error.what());
    }
  }

  void a_checkpoint_without_a_vae_has_no_transfer_panel() {
    const QString folder = test::make_tiny_checkpoint(temp_.filePath(QStringLiteral("no_vae")));
    QVERIFY(!folder.isEmpty());
    QVERIFY(QFile::remove(folder + QStringLiteral("/vae/config.json")));
    const auto capabilities = CheckpointCapabilities::load(folder.toStdString());
    GenerationForm form(capabilities);
    QVERIFY(!form.transferPanel());
    auto* note = child<QLabel>(form, "capability_note");
    QVERIFY2(note->text().contains(QStringLiteral("Transfer jobs")) &&
                 note->text().contains(QStringLiteral("VAE")),
             qPrintable(note->text()));
    try {
      form.setRequest({{"prompt", "x"}, {"control", QJsonObject{{"edge", "e.mp4"}}}});
      QFAIL("a transfer job was taken by a checkpoint that cannot run one");
    } catch (const pipeline::RequestError& error) {
      QVERIFY2(QString::fromUtf8(error.what()).contains("VAE"), error.what());
    }
  }
};

QTEST_MAIN(TransferFormTest)
#include "tst_transfer_form.moc"
