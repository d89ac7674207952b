// Rank 0 keeps the input files it decoded while validating a submitted job for that job's run
// (parallel/backend/validated_frames.h): handed over once, only to the same job, and a later
// validation replaces what a refused job left behind.

#include "parallel/backend/validated_frames.h"

#include <ATen/ops/arange.h>
#include <QTest>

using cosmos3::backend::JobInputs;
using cosmos3::backend::ValidatedFrames;
using json = nlohmann::json;

class ValidatedFramesTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void framesGoOnceToTheJobThatWasValidated() {
    ValidatedFrames frames;
    const json job = {{"prompt", "a"}, {"vision_path", "/in/a.png"}, {"seed", 7}};
    const at::Tensor decoded = at::arange(12).reshape({1, 2, 2, 3});
    frames.keep(job, {decoded, std::nullopt});
    QVERIFY(!frames.take({{"prompt", "a"}, {"vision_path", "/in/a.png"}, {"seed", 8}})
                 .conditioning_frames_THW3);
    // The rank loop's copy of the job went through text and back: still the same job.
    const std::optional<at::Tensor> taken =
        frames.take(json::parse(job.dump())).conditioning_frames_THW3;
    QVERIFY(taken.has_value());
    QVERIFY(taken->is_same(decoded));
    QVERIFY(!frames.take(job).conditioning_frames_THW3);  // a second run decodes for itself
  }

  void aLaterValidationReplacesTheFramesOfARefusedJob() {
    ValidatedFrames frames;
    const json refused = {{"prompt", "busy"}, {"video_path", "/in/clip.mp4"}};
    const json next = {{"prompt", "next"}, {"video_path", "/in/clip.mp4"}};
    frames.keep(refused, {at::arange(3), std::nullopt});
    frames.keep(next, {at::arange(5), std::nullopt});
    QVERIFY(!frames.take(refused).conditioning_frames_THW3);
    const std::optional<at::Tensor> taken = frames.take(next).conditioning_frames_THW3;
    QVERIFY(taken.has_value());
    QCOMPARE(taken->numel(), 5);
  }

  void aTextJobKeepsNothing() {
    ValidatedFrames frames;
    const json job = {{"prompt", "text only"}};
    frames.keep(job, {});
    const JobInputs taken = frames.take(job);
    QVERIFY(!taken.conditioning_frames_THW3 && !taken.transfer_videos);
  }

  void aTransferJobKeepsItsDecodedVideos() {
    ValidatedFrames frames;
    const json job = {{"prompt", "p"}, {"control", {{"edge", "/in/e.mp4"}}}};
    cosmos3::backend::TransferVideos videos;
    const at::Tensor control = at::arange(6).reshape({1, 1, 2, 3});
    videos.controls.push_back({cosmos3::pipeline::ControlHint::kEdge, "/in/e.mp4", control});
    frames.keep(job, {std::nullopt, videos});
    const JobInputs taken = frames.take(job);
    QVERIFY(taken.transfer_videos.has_value());
    QVERIFY(taken.transfer_videos->controls.at(0).frames_THW3.is_same(control));
    QVERIFY(!frames.take(job).transfer_videos);
  }
};

QTEST_MAIN(ValidatedFramesTest)
#include "tst_validated_frames.moc"
