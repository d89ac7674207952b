// What the form offers comes from the folder and the engine's rules: modes, defaults (steps,
// guidance, the scheduler's flow shift, the system prompt), size presets filtered by the VAE's
// factors, distilled checkpoints' fixed schedule, the transformer's sound/action flags, and
// sound offered only where the folder also has a sound tokenizer the engine can read.

#include "core/errors.h"
#include "core/pipeline/generation_request.h"
#include "tests/ui/form/tiny_checkpoint.h"
#include "ui/form/checkpoint_capabilities.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using namespace cosmos3;
using namespace cosmos3::ui;

namespace {

bool engine_accepts(const SizePreset& preset, const pipeline::PipelineFolder& folder) {
  pipeline::GenerationRequest request;
  request.prompt = "check";
  request.height = preset.height;
  request.width = preset.width;
  request.num_frames = preset.num_frames;
  try {
    pipeline::resolve_request(request, folder);
    return true;
  } catch (const pipeline::RequestError&) {
    return false;
  }
}

}  // namespace

class CheckpointCapabilitiesTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir temp_;
  QString tiny_;

  QString fresh_checkpoint(const QString& name) {
    return test::make_tiny_checkpoint(temp_.filePath(name));
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(temp_.isValid());
    tiny_ = fresh_checkpoint(QStringLiteral("tiny"));
    QVERIFY(!tiny_.isEmpty());
  }

  void offers_every_mode_with_the_release_defaults() {
    const CheckpointCapabilities capabilities = CheckpointCapabilities::load(tiny_.toStdString());
    QCOMPARE(capabilities.modes(),
             (QList<GenerationMode>{GenerationMode::kTextToImage, GenerationMode::kTextToVideo,
                                    GenerationMode::kImageToVideo, GenerationMode::kVideoToVideo}));
    QVERIFY(!capabilities.distilled());
    const ModeDefaults video = capabilities.defaults(GenerationMode::kTextToVideo);
    QCOMPARE(video.num_steps, 35);
    QCOMPARE(video.guidance_scale, 6.0);
    // The tiny folder's scheduler_config.json says 5 (the release default would be 10).
    QCOMPARE(video.flow_shift.value_or(-1.0), 5.0);
    QVERIFY(video.use_system_prompt);
    QCOMPARE(video.num_frames, 189);
    QCOMPARE(video.height, 720);
    QCOMPARE(video.width, 1280);
    QCOMPARE(capabilities.defaults(GenerationMode::kTextToImage).num_frames, 1);
  }

  void system_prompt_default_comes_from_the_folder() {
    const QString folder = fresh_checkpoint(QStringLiteral("no_system_prompt"));
    QVERIFY(test::edit_json_file(folder + QStringLiteral("/model_index.json"), [](auto& json) {
      json[QStringLiteral("default_use_system_prompt")] = false;
    }));
    const auto capabilities = CheckpointCapabilities::load(folder.toStdString());
    QVERIFY(!capabilities.defaults(GenerationMode::kTextToVideo).use_system_prompt);
  }

  void size_presets_are_only_those_the_rules_accept() {
    const CheckpointCapabilities capabilities = CheckpointCapabilities::load(tiny_.toStdString());
    for (const GenerationMode mode : capabilities.modes()) {
      const QList<SizePreset> presets = capabilities.size_presets(mode);
      QVERIFY(!presets.isEmpty());
      for (const SizePreset& preset : presets) {
        QVERIFY2(engine_accepts(preset, capabilities.folder()), qPrintable(preset.label));
        QCOMPARE(preset.num_frames == 1, mode == GenerationMode::kTextToImage);
      }
    }
    const QList<SizePreset> video = capabilities.size_presets(GenerationMode::kTextToVideo);
    QCOMPARE(video.front(), (SizePreset{video.front().label, 720, 1280, 189}));
    QVERIFY(std::any_of(video.begin(), video.end(), [](const SizePreset& preset) {
      return preset.height == 480 && preset.width == 832 && preset.num_frames == 93;
    }));

    // A VAE compressing by 32 rules out 720 (not a multiple of 32) but keeps 480x832 and 704.
    const QString coarse = fresh_checkpoint(QStringLiteral("coarse_vae"));
    QVERIFY(test::edit_json_file(coarse + QStringLiteral("/vae/config.json"), [](auto& json) {
      json[QStringLiteral("scale_factor_spatial")] = 32;
    }));
    const auto coarse_capabilities = CheckpointCapabilities::load(coarse.toStdString());
    const QList<SizePreset> coarse_presets =
        coarse_capabilities.size_presets(GenerationMode::kTextToVideo);
    for (const SizePreset& preset : coarse_presets) {
      QVERIFY2(preset.height != 720 && preset.width != 720, qPrintable(preset.label));
    }
    QVERIFY(std::any_of(coarse_presets.begin(), coarse_presets.end(),
                        [](const SizePreset& preset) { return preset.height == 704; }));
    QCOMPARE(coarse_capabilities.defaults(GenerationMode::kTextToVideo).height, 704);
  }

  void distilled_checkpoints_fix_steps_guidance_and_schedule() {
    const QString folder = fresh_checkpoint(QStringLiteral("distilled"));
    QVERIFY(test::write_text_file(folder + QStringLiteral("/modular_model_index.json"),
                                  R"({"distilled_sigmas": [1.0, 0.75, 0.5, 0.25]})"));
    const auto capabilities = CheckpointCapabilities::load(folder.toStdString());
    QVERIFY(capabilities.distilled());
    const ModeDefaults defaults = capabilities.defaults(GenerationMode::kTextToVideo);
    QCOMPARE(defaults.num_steps, 4);
    QCOMPARE(defaults.guidance_scale, 1.0);
    QVERIFY(!defaults.flow_shift.has_value());
  }

  void sound_and_action_flags_come_from_the_transformer_config() {
    const auto tiny = CheckpointCapabilities::load(tiny_.toStdString());
    QVERIFY(tiny.sound_generation());  // the tiny config has both heads
    QVERIFY(tiny.action_generation());
    const QString folder = fresh_checkpoint(QStringLiteral("no_heads"));
    QVERIFY(
        test::edit_json_file(folder + QStringLiteral("/transformer/config.json"), [](auto& json) {
          json[QStringLiteral("sound_gen")] = false;
          json[QStringLiteral("action_gen")] = false;
        }));
    const auto plain = CheckpointCapabilities::load(folder.toStdString());
    QVERIFY(!plain.sound_generation());
    QVERIFY(!plain.action_generation());
  }

  void sound_is_offered_only_with_a_readable_sound_tokenizer() {
    const auto tiny = CheckpointCapabilities::load(tiny_.toStdString());
    QVERIFY2(tiny.offers_sound(), qPrintable(tiny.sound_problem()));

    // The transformer still has sound_gen, but nothing can decode its sound latents.
    const QString unlisted = fresh_checkpoint(QStringLiteral("no_sound_tokenizer"));
    QVERIFY(test::edit_json_file(unlisted + QStringLiteral("/model_index.json"), [](auto& json) {
      json.remove(QStringLiteral("sound_tokenizer"));
    }));
    QVERIFY(QDir(unlisted + QStringLiteral("/sound_tokenizer")).removeRecursively());
    const auto without = CheckpointCapabilities::load(unlisted.toStdString());
    QVERIFY(without.sound_generation());
    QVERIFY(!without.offers_sound());
    QVERIFY2(without.sound_problem().contains(QStringLiteral("sound tokenizer")),
             qPrintable(without.sound_problem()));

    // Listed, but its config is gone: the engine's reader names the file.
    const QString broken = fresh_checkpoint(QStringLiteral("no_sound_config"));
    QVERIFY(QFile::remove(broken + QStringLiteral("/sound_tokenizer/config.json")));
    const auto unreadable = CheckpointCapabilities::load(broken.toStdString());
    QVERIFY(!unreadable.offers_sound());
    QVERIFY2(unreadable.sound_problem().contains(QStringLiteral("config.json")),
             qPrintable(unreadable.sound_problem()));

    // A tokenizer without a transformer that makes sound offers nothing either.
    const QString silent = fresh_checkpoint(QStringLiteral("no_sound_gen"));
    QVERIFY(test::edit_json_file(silent + QStringLiteral("/transformer/config.json"),
                                 [](auto& json) { json[QStringLiteral("sound_gen")] = false; }));
    const auto plain = CheckpointCapabilities::load(silent.toStdString());
    QVERIFY(!plain.offers_sound());
    QVERIFY2(plain.sound_problem().contains(QStringLiteral("sound_gen")),
             qPrintable(plain.sound_problem()));
  }

  void a_folder_that_is_no_pipeline_is_refused_naming_it() {
    const QString empty = temp_.filePath(QStringLiteral("empty"));
    QVERIFY(QDir().mkpath(empty));
    try {
      CheckpointCapabilities::load(empty.toStdString());
      QFAIL("an empty folder was accepted");
    } catch (const ConfigError& error) {
      QVERIFY(QString::fromUtf8(error.what()).contains(empty));
      QVERIFY(QString::fromUtf8(error.what()).contains(QStringLiteral("model_index.json")));
    }
  }
};

QTEST_GUILESS_MAIN(CheckpointCapabilitiesTest)
#include "tst_checkpoint_capabilities.moc"
