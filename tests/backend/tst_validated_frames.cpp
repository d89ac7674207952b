// Rank 0 keeps the conditioning frames it decoded while validating a submitted job for that
// job's run (parallel/backend/validated_frames.h): handed over once, only to the same job, and
// a later validation replaces what a refused job left behind.

#include "parallel/backend/validated_frames.h"

#include <ATen/ops/arange.h>
#include <QTest>

using cosmos3::backend::ValidatedFrames;
using json = nlohmann::json;

class ValidatedFramesTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void framesGoOnceToTheJobThatWasValidated() {
    ValidatedFrames frames;
    const json job = {{"prompt", "a"}, {"vision_path", "/in/a.png"}, {"seed", 7}};
    const at::Tensor decoded = at::arange(12).reshape({1, 2, 2, 3});
    frames.keep(job, decoded);
    QVERIFY(!frames.take({{"prompt", "a"}, {"vision_path", "/in/a.png"}, {"seed", 8}}));
    // The rank loop's copy of the job went through text and back: still the same job.
    const std::optional<at::Tensor> taken = frames.take(json::parse(job.dump()));
    QVERIFY(taken.has_value());
    QVERIFY(taken->is_same(decoded));
    QVERIFY(!frames.take(job));  // a second run of it decodes for itself
  }

  void aLaterValidationReplacesTheFramesOfARefusedJob() {
    ValidatedFrames frames;
    const json refused = {{"prompt", "busy"}, {"video_path", "/in/clip.mp4"}};
    const json next = {{"prompt", "next"}, {"video_path", "/in/clip.mp4"}};
    frames.keep(refused, at::arange(3));
    frames.keep(next, at::arange(5));
    QVERIFY(!frames.take(refused));
    const std::optional<at::Tensor> taken = frames.take(next);
    QVERIFY(taken.has_value());
    QCOMPARE(taken->numel(), 5);
  }

  void aTextJobKeepsNothing() {
    ValidatedFrames frames;
    const json job = {{"prompt", "text only"}};
    frames.keep(job, std::nullopt);
    QVERIFY(!frames.take(job));
  }
};

QTEST_MAIN(ValidatedFramesTest)
#include "tst_validated_frames.moc"
