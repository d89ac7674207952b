// The input video a transfer job's first chunk starts from (--video-path with --control): the
// flags that go with it and those refused with it, and the videos that cannot seed the first
// chunk (too short, another aspect, as long as the chunk), each refused with the fix. The
// seeded run itself is compared with the reference in tst_transfer_generation
// (first_chunk_from_video) and through cosmos3-generate in tools/check_transfer_cli.py.

#include "core/pipeline/transfer_seed_video.h"
#include "parallel/backend/generate_options.h"
#include "tests/pipeline/generate_command_line.h"
#include "tests/test_support.h"

#include <ATen/ops/zeros.h>

#include <QtTest/QtTest>

using namespace cosmos3;
using test::contains_all;
using test::generate_usage_error;
using test::with_required_flags;

namespace {

std::string seed_error(int64_t num_frames, int64_t height, int64_t width, int64_t num_seeded,
                       int64_t chunk_frames) {
  pipeline::TransferRequest request;
  request.prompt = "{\"caption\": \"a street\"}";
  request.height = 32;
  request.width = 48;
  request.num_first_chunk_conditional_frames = num_seeded;
  return test::error_message_of<pipeline::RequestError>([&] {
    pipeline::check_seed_video(at::zeros({num_frames, height, width, 3}, at::kByte),
                               "/clips/start.mp4", request, chunk_frames);
  });
}

}  // namespace

class TransferSeedVideoTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void videoPathSeedsATransferJob() {
    const std::vector<std::string_view> arguments =
        with_required_flags({"--control", "edge=e.mp4", "--video-path", "v.mp4"});
    const app::GenerateOptions options = app::parse_generate_options(arguments);
    QVERIFY(options.transfer.active());
    QCOMPARE(options.video_path->string(), std::string("v.mp4"));
    QVERIFY(!options.transfer.num_first_chunk_conditional_frames);
    const std::vector<std::string_view> counted =
        with_required_flags({"--control", "edge=e.mp4", "--video-path", "v.mp4",
                             "--num-first-chunk-conditional-frames", "3"});
    QCOMPARE(
        app::parse_generate_options(counted).transfer.num_first_chunk_conditional_frames.value_or(
            0),
        int64_t{3});
  }

  void refusesSeedFlagsThatCannotApply() {
    QVERIFY(contains_all(generate_usage_error({"--control", "edge=e.mp4",
                                               "--num-first-chunk-conditional-frames", "2"}),
                         {"counts frames of the input video", "add --video-path FILE"}));
    QVERIFY(contains_all(generate_usage_error({"--control", "edge=e.mp4", "--video-path", "v.mp4",
                                               "--num-first-chunk-conditional-frames", "0"}),
                         {"--num-first-chunk-conditional-frames 0", "leave --video-path out"}));
    QVERIFY(contains_all(generate_usage_error({"--video-path", "v.mp4",
                                               "--num-first-chunk-conditional-frames", "2"}),
                         {"apply to transfer jobs", "add --control HINT=FILE"}));
    QVERIFY(contains_all(generate_usage_error({"--control", "edge=e.mp4", "--video-path", "v.mp4",
                                               "--condition-frame-indexes", "0"}),
                         {"apply to video-to-video", "--num-first-chunk-conditional-frames"}));
    QVERIFY(
        contains_all(generate_usage_error({"--control", "edge=e.mp4", "--vision-path", "a.png"}),
                     {"--vision-path cannot be combined with --control"}));
  }

  void acceptsAVideoThatFitsTheFirstChunk() {
    QCOMPARE(seed_error(3, 32, 48, 2, 9), std::string("<no error of the expected type>"));
    // Another size of the output's aspect is resized, as the reference does.
    QCOMPARE(seed_error(2, 64, 96, 2, 9), std::string("<no error of the expected type>"));
  }

  void refusesVideosThatCannotSeedIt() {
    QVERIFY(
        contains_all(seed_error(1, 32, 48, 2, 9),
                     {"/clips/start.mp4", "has 1 frames, fewer than the 2", "ask for at most 1"}));
    QVERIFY(contains_all(seed_error(9, 32, 48, 9, 9), {"fills the whole first chunk (9 frames)",
                                                       "--num-video-frames-per-chunk"}));
    QVERIFY(contains_all(seed_error(3, 48, 48, 2, 9),
                         {"/clips/start.mp4", "48x48", "another aspect ratio than the 48x32"}));
  }
};

QTEST_APPLESS_MAIN(TransferSeedVideoTest)
#include "tst_transfer_seed_video.moc"
