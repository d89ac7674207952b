// The form explains every invalid input next to its field with the engine's own message and
// only then lets anything be queued: sizes, frame counts per mode, JSON prompts (line and
// column), pretty-printing, validity signals, and the effective prompt the model reads.

#include "tests/ui/form/form_driver.h"
#include "tests/ui/form/tiny_checkpoint.h"
#include "ui/form/effective_prompt_view.h"
#include "ui/form/generation_form.h"
#include "ui/form/prompt_editor.h"

#include <QCheckBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <memory>

using namespace cosmos3;
using namespace cosmos3::ui;
using test::child;

class GenerationFormTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir temp_;
  std::optional<CheckpointCapabilities> capabilities_;
  std::unique_ptr<GenerationForm> form_;

  PromptEditor* prompt() { return child<PromptEditor>(*form_, "prompt"); }
  QString label_text(const char* name) { return child<QLabel>(*form_, name)->text(); }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(temp_.isValid());
    const QString folder = test::make_tiny_checkpoint(temp_.filePath(QStringLiteral("tiny")));
    QVERIFY(!folder.isEmpty());
    capabilities_ = CheckpointCapabilities::load(folder.toStdString());
  }

  void init() {
    form_ = std::make_unique<GenerationForm>(*capabilities_);
    form_->show();
  }

  void cleanup() { form_.reset(); }

  void an_empty_prompt_is_explained_and_blocks_queueing() {
    QVERIFY(!form_->isValid());
    QVERIFY(form_->jobRequests().isEmpty());
    QVERIFY(label_text("prompt_error").contains(QStringLiteral("--prompt must not be empty")));
    test::type_prompt(prompt(), QStringLiteral("a red fox in the snow"));
    QVERIFY(form_->isValid());
    QVERIFY(child<QLabel>(*form_, "prompt_error")->isHidden());
    QCOMPARE(form_->jobRequests().size(), 1);
  }

  void validity_changes_are_signalled() {
    QSignalSpy spy(form_.get(), &GenerationForm::validityChanged);
    test::type_prompt(prompt(), QStringLiteral("x"));
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.at(0).at(0).toBool(), true);
    test::type_into(child<QSpinBox>(*form_, "height"), 100);
    QCOMPARE(spy.size(), 2);
    QCOMPARE(spy.at(1).at(0).toBool(), false);
    test::type_into(child<QSpinBox>(*form_, "height"), 480);
    QCOMPARE(spy.size(), 3);
    QCOMPARE(spy.at(2).at(0).toBool(), true);
  }

  void sizes_must_be_multiples_of_the_vae_factor() {
    test::type_prompt(prompt(), QStringLiteral("a lighthouse"));
    test::type_into(child<QSpinBox>(*form_, "height"), 721);
    const QString message = form_->fieldMessage(FormField::kSize);
    QVERIFY2(message.contains(QStringLiteral("multiples of 16")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("721x1280")), qPrintable(message));
    QCOMPARE(label_text("size_error"), message);
    QVERIFY(child<QLabel>(*form_, "size_error")->isVisibleTo(form_.get()));
    QCOMPARE(child<QComboBox>(*form_, "size_preset")->currentText(), QStringLiteral("Custom"));
    QVERIFY(!form_->isValid());
    QVERIFY(form_->jobRequests().isEmpty());

    // A preset puts back a size the rules accept.
    QVERIFY(test::choose(child<QComboBox>(*form_, "size_preset"),
                         child<QComboBox>(*form_, "size_preset")->itemText(0)));
    QVERIFY(form_->fieldMessage(FormField::kSize).isEmpty());
    QVERIFY(form_->isValid());
  }

  void frame_counts_follow_one_plus_four_k_in_every_video_mode() {
    test::type_prompt(prompt(), QStringLiteral("waves"));
    for (const GenerationMode mode : {GenerationMode::kTextToVideo, GenerationMode::kImageToVideo,
                                      GenerationMode::kVideoToVideo}) {
      form_->setMode(mode);
      test::type_into(child<QSpinBox>(*form_, "num_frames"), 190);
      QString message = form_->fieldMessage(FormField::kNumFrames);
      QVERIFY2(message.contains(QStringLiteral("1 + 4 * k")), qPrintable(message));
      QVERIFY2(message.contains(QStringLiteral("got 190")), qPrintable(message));
      QCOMPARE(label_text("num_frames_error"), message);

      test::type_into(child<QSpinBox>(*form_, "num_frames"), 1);
      message = form_->fieldMessage(FormField::kNumFrames);
      QVERIFY2(message.contains(QStringLiteral("more than one frame")) ||
                   message.contains(QStringLiteral("--num-frames > 1")),
               qPrintable(message));

      test::type_into(child<QSpinBox>(*form_, "num_frames"), 93);
      QVERIFY(form_->fieldMessage(FormField::kNumFrames).isEmpty());
    }
  }

  void image_mode_forces_one_frame() {
    test::type_prompt(prompt(), QStringLiteral("a teapot"));
    auto* num_frames = child<QSpinBox>(*form_, "num_frames");
    test::type_into(num_frames, 93);
    QVERIFY(test::choose(child<QComboBox>(*form_, "mode"), QStringLiteral("Text to image")));
    QCOMPARE(form_->mode(), GenerationMode::kTextToImage);
    QCOMPARE(num_frames->value(), 1);
    QVERIFY(!num_frames->isEnabled());
    QVERIFY(form_->isValid());
    QCOMPARE(form_->jobRequests().front().value(QStringLiteral("num_frames")).toInt(), 1);

    QVERIFY(test::choose(child<QComboBox>(*form_, "mode"), QStringLiteral("Text to video")));
    QCOMPARE(num_frames->value(), 93);  // the video's count comes back
    QVERIFY(num_frames->isEnabled());
  }

  void json_prompt_errors_name_line_and_column() {
    QSignalSpy editor_validity(prompt(), &PromptEditor::validityChanged);
    test::type_prompt(prompt(), QStringLiteral("{\n  \"subject\": \"fox\",\n}"));
    const QString message = prompt()->errorMessage();
    QVERIFY2(message.contains(QStringLiteral("line 3, column 1")), qPrintable(message));
    QCOMPARE(prompt()->findChild<QLabel*>(QStringLiteral("error"))->text(), message);
    QVERIFY(!form_->isValid());
    QVERIFY(form_->jobRequests().isEmpty());
    QVERIFY(!editor_validity.isEmpty());

    // The second line, column 14: a doubled comma.
    test::type_prompt(prompt(), QStringLiteral("{\n  \"a\": \"fox\",, \"b\": 1}"));
    QVERIFY2(prompt()->errorMessage().contains(QStringLiteral("line 2, column 14")),
             qPrintable(prompt()->errorMessage()));

    test::type_prompt(prompt(), QStringLiteral("{\n  \"subject\": \"fox\"\n}"));
    QVERIFY(prompt()->errorMessage().isEmpty());
    QVERIFY(form_->isValid());

    // The negative prompt is checked the same way.
    test::type_prompt(child<PromptEditor>(*form_, "negative_prompt"), QStringLiteral("{\"blur\""));
    QVERIFY(child<PromptEditor>(*form_, "negative_prompt")
                ->errorMessage()
                .contains(QStringLiteral("line 1, column")));
    QVERIFY(!form_->isValid());
  }

  void json_errors_in_a_prompt_list_name_the_line() {
    test::click(child<QCheckBox>(*form_, "one_job_per_line"));
    QVERIFY(child<QCheckBox>(*form_, "one_job_per_line")->isChecked());
    test::type_prompt(prompt(), QStringLiteral("a fox\n{\"subject\": \"owl\"}\n{\"subject\": }"));
    QVERIFY2(prompt()->errorMessage().contains(QStringLiteral("line 3, column 13")),
             qPrintable(prompt()->errorMessage()));
    QVERIFY(!form_->isValid());
  }

  void pretty_print_indents_valid_json_keeping_key_order() {
    auto* button = prompt()->findChild<QPushButton*>(QStringLiteral("pretty_print"));
    test::type_prompt(prompt(), QStringLiteral("plain text"));
    QVERIFY(!button->isEnabled());
    test::type_prompt(prompt(), QStringLiteral("{\"zebra\": 1, \"apple\": [1, 2]"));
    QVERIFY(!button->isEnabled());  // broken JSON is left alone
    QTest::keyClicks(test::text_of(prompt()), QStringLiteral("}"));
    QVERIFY(button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(prompt()->text(), QStringLiteral("{\n  \"zebra\": 1,\n  \"apple\": [\n    1,\n    2\n"
                                              "  ]\n}"));
    QVERIFY(form_->isValid());
  }

  void condition_frame_indexes_use_the_engines_check() {
    test::type_prompt(prompt(), QStringLiteral("continue the scene"));
    form_->setMode(GenerationMode::kVideoToVideo);
    QVERIFY(form_->fieldMessage(FormField::kMedia).contains(QStringLiteral("needs a video")));
    test::type_prompt(prompt(), QStringLiteral("continue the scene"));
    test::type_into(child<QSpinBox>(*form_, "num_frames"), 93);
    test::type_into(child<QLineEdit>(*form_, "condition_frame_indexes"), QStringLiteral("0,99"));
    const QString message = form_->fieldMessage(FormField::kConditionFrameIndexes);
    QVERIFY2(message.contains(QStringLiteral("outside the latent timeline")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("0..23")), qPrintable(message));
    QCOMPARE(label_text("condition_frame_indexes_error"), message);
    test::type_into(child<QLineEdit>(*form_, "condition_frame_indexes"), QStringLiteral("0,x"));
    QVERIFY(form_->fieldMessage(FormField::kConditionFrameIndexes)
                .contains(QStringLiteral("got '0,x'")));
  }

  void numbers_that_break_rules_are_explained() {
    test::type_prompt(prompt(), QStringLiteral("a kite"));
    test::type_into(child<QLineEdit>(*form_, "guidance_scale"), QStringLiteral("-2"));
    QVERIFY(form_->fieldMessage(FormField::kGuidanceScale)
                .contains(QStringLiteral("--guidance-scale must be >= 0")));
    test::type_into(child<QLineEdit>(*form_, "fps"), QStringLiteral("fast"));
    QVERIFY(form_->fieldMessage(FormField::kFps).contains(QStringLiteral("got 'fast'")));
    test::type_into(child<QLineEdit>(*form_, "flow_shift"), QStringLiteral("0"));
    QVERIFY(form_->fieldMessage(FormField::kFlowShift)
                .contains(QStringLiteral("--flow-shift must be a positive number")));
    test::type_into(child<QSpinBox>(*form_, "steps"), 0);
    QVERIFY(form_->fieldMessage(FormField::kNumSteps)
                .contains(QStringLiteral("--steps must be at least 1")));
    test::type_into(child<QLineEdit>(*form_, "seed"), QStringLiteral("-5"));
    QVERIFY(form_->fieldMessage(FormField::kSeed).contains(QStringLiteral("got '-5'")));
    QVERIFY(!form_->isValid());
  }

  void effective_prompt_shows_the_rendered_template_and_token_count() {
    auto* view = form_->findChild<EffectivePromptView*>();
    test::type_prompt(prompt(), QStringLiteral("a red fox"));
    QTRY_VERIFY(view->renderedText().contains(
        QStringLiteral("a red fox. The video is 7.9 seconds long and is of 24 FPS. This video "
                       "is of 720x1280 resolution.")));
    QVERIFY(view->renderedText().contains(QStringLiteral("generate videos")));
#ifdef COSMOS3_EXPECT_TOKEN_COUNT
    QTRY_VERIFY(view->promptTokenCount().has_value());
    const int short_count = *view->promptTokenCount();
    QTest::keyClicks(test::text_of(prompt()), QStringLiteral(" running through deep snow"));
    QTRY_VERIFY(view->promptTokenCount().has_value() && *view->promptTokenCount() > short_count);
    QVERIFY(child<QLabel>(*form_, "token_counts")->text().contains(QStringLiteral("tokens")));
#endif
    QVERIFY(test::choose(child<QComboBox>(*form_, "mode"), QStringLiteral("Text to image")));
    QTRY_VERIFY(view->renderedText().contains(QStringLiteral("This image is of")));
    QVERIFY(view->renderedText().contains(QStringLiteral("generate images")));
  }
};

QTEST_MAIN(GenerationFormTest)
#include "tst_generation_form.moc"
