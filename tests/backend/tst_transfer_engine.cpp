// A transfer job run by the engine in this process on the embedded tiny checkpoint, as
// cosmos3-generate and the worker run it: its control and input videos are decoded once, when
// the job is checked before any weight is needed (read_job_inputs), and the run takes them from
// there instead of reading the files again, and the seed video's digest is sealed with the
// controls'; live previews of the target arrive every
// preview_interval steps, counted over all chunks as the progress is.

#include "core/pipeline/denoise_loop.h"
#include "parallel/backend/generation_engine.h"
#include "parallel/backend/generation_seal.h"
#include "parallel/backend/sample_media.h"
#include "tests/test_support.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/rand.h>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using namespace cosmos3;
using test::contains_all;

namespace {

// A clip of `num_frames` random frames written through the media module.
std::filesystem::path write_clip(const std::filesystem::path& path, int64_t num_frames,
                                 uint64_t seed) {
  const std::filesystem::path dir = path.parent_path() / (path.stem().string() + "-dir");
  std::filesystem::create_directories(dir);
  at::Generator generator = pipeline::seeded_generator(seed);
  const at::Tensor pixels = at::rand({1, 3, num_frames, 32, 48}, generator) * 2.0 - 1.0;
  std::filesystem::rename(backend::write_sample(dir, pixels, 10.0, ""), path);
  return path;
}

}  // namespace

class TransferEngineTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir temporary_;
  std::filesystem::path root_;
  std::optional<backend::GenerationEngine> engine_;

  app::GenerateOptions transfer_job(const std::string& output, std::vector<std::string> extra) {
    std::vector<std::string> arguments{"--model",      engine_->settings().model_dir.string(),
                                       "--output-dir", (root_ / output).string(),
                                       "--prompt",     "{\"caption\": \"a wet street\"}",
                                       "--control",    "edge=" + (root_ / "edge.mp4").string(),
                                       "--height",     "32",
                                       "--width",      "48",
                                       "--seed",       "3"};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    const std::vector<std::string_view> views(arguments.begin(), arguments.end());
    return app::parse_generate_options(views);
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(temporary_.isValid());
    root_ = temporary_.path().toStdString();
    write_clip(root_ / "edge.mp4", 9, 1);
    write_clip(root_ / "start.mp4", 3, 2);
    backend::EngineSettings settings;
    settings.model_dir = std::string(COSMOS3_TEST_DATA_DIR) + "/tiny_checkpoint";
    engine_.emplace(settings);
  }

  void videosAreDecodedOnceWhenTheJobIsChecked() {
    const app::GenerateOptions job =
        transfer_job("once", {"--video-path", (root_ / "start.mp4").string(), "--steps", "1",
                              "--num-video-frames-per-chunk", "9"});
    backend::JobInputs inputs = backend::read_job_inputs(job, engine_->folder());
    QVERIFY(inputs.transfer_videos.has_value());
    // The files are gone before the run: a run that decoded them again could not start.
    for (const char* name : {"edge.mp4", "start.mp4"}) {
      std::filesystem::rename(root_ / name, root_ / (std::string(name) + ".away"));
    }
    QVERIFY(contains_all(test::error_message_of<MediaError>([&] { engine_->run(job, {}); }),
                         {"control video edge", "edge.mp4"}));
    const backend::JobOutcome outcome = engine_->run(job, {}, std::move(inputs));
    QVERIFY(!outcome.canceled);
    QCOMPARE(outcome.num_steps_done, int64_t{1});
    QVERIFY(std::filesystem::exists(root_ / "once" / "generation.json"));
    QCOMPARE(outcome.metadata.value("num_first_chunk_conditional_frames", 0), 1);
    for (const char* name : {"edge.mp4", "start.mp4"}) {
      std::filesystem::rename(root_ / (std::string(name) + ".away"), root_ / name);
    }
    // The seed video's digest is sealed beside the controls', taken when it was read: restore
    // by drop checks that the file still holds it.
    QCOMPARE(outcome.metadata.at("control_digests").value("video", std::string()),
             backend::file_digest(root_ / "start.mp4"));
  }

  void previewsArriveEveryKStepsOverTheChunks() {
    // 9 frames in chunks of 5 with one conditional frame: two chunks of two steps.
    const app::GenerateOptions job =
        transfer_job("previews", {"--steps", "2", "--num-video-frames-per-chunk", "5",
                                  "--num-conditional-frames", "1", "--guidance-scale", "1"});
    backend::JobHooks hooks;
    hooks.preview_interval = 1;
    hooks.preview_dir = root_ / "previews-live";
    std::filesystem::create_directories(hooks.preview_dir);
    std::vector<int64_t> preview_steps;
    std::vector<int64_t> progress_steps;
    hooks.on_preview = [&](int64_t step, const std::filesystem::path& image) {
      preview_steps.push_back(step);
      QVERIFY(std::filesystem::file_size(image) > 0);
    };
    hooks.on_step = [&](int64_t step, int64_t num_steps) {
      progress_steps.push_back(step);
      QCOMPARE(num_steps, int64_t{4});
    };
    const backend::JobOutcome outcome = engine_->run(job, hooks);
    QCOMPARE(outcome.metadata.value("num_chunks", 0), 2);
    QCOMPARE(progress_steps, (std::vector<int64_t>{1, 2, 3, 4}));
    // Step 4 is the last, which is decoded whole anyway.
    QCOMPARE(preview_steps, (std::vector<int64_t>{1, 2, 3}));
    QVERIFY(outcome.seconds.contains("preview"));

    hooks.preview_interval = 2;
    preview_steps.clear();
    progress_steps.clear();
    engine_->run(transfer_job("previews-2", {"--steps", "2", "--num-video-frames-per-chunk", "5",
                                             "--num-conditional-frames", "1"}),
                 hooks);
    QCOMPARE(preview_steps, (std::vector<int64_t>{2}));
  }
};

QTEST_GUILESS_MAIN(TransferEngineTest)
#include "tst_transfer_engine.moc"
