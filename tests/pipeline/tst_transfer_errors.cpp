// Transfer requests that must be refused before any weight is read, each with a message that
// names the control, the problem and the fix: control videos of the wrong size or aspect, too
// short, empty or given twice; hints and flags cosmos3-generate cannot take; chunk settings
// that leave no new frame. Also the presets a run starts from and the reference's rules for
// padding controls in time and planning chunks, on small hand-checked cases.

#include "core/pipeline/transfer_chunks.h"
#include "core/pipeline/transfer_controls.h"
#include "core/pipeline/transfer_denoise_loop.h"
#include "parallel/backend/generate_options.h"
#include "tests/test_support.h"

#include <ATen/ops/arange.h>
#include <ATen/ops/equal.h>
#include <ATen/ops/tensor.h>
#include <ATen/ops/zeros.h>

#include <QtTest/QtTest>

using namespace cosmos3;
using pipeline::RequestError;
using test::contains_all;

namespace {

pipeline::ControlFrames control(pipeline::ControlHint hint, int64_t frames, int64_t height,
                                int64_t width) {
  return {hint, "/clips/" + pipeline::control_hint_name(hint) + ".mp4",
          at::zeros({frames, height, width, 3}, at::kByte)};
}

pipeline::TransferRequest request_of(int64_t height, int64_t width,
                                     std::optional<int64_t> num_frames = std::nullopt) {
  pipeline::TransferRequest request;
  request.prompt = "{\"caption\": \"a street\"}";
  request.height = height;
  request.width = width;
  request.num_frames = num_frames;
  return request;
}

std::string controls_error(const std::vector<pipeline::ControlFrames>& controls,
                           const pipeline::TransferRequest& request) {
  return test::error_message_of<RequestError>(
      [&] { pipeline::check_control_frames(controls, request); });
}

std::string usage_error(std::vector<std::string_view> arguments) {
  std::vector<std::string_view> full{"--model", "m", "--output-dir", "o", "--prompt", "p"};
  full.insert(full.end(), arguments.begin(), arguments.end());
  return test::error_message_of<app::UsageError>([&] { app::parse_generate_options(full); });
}

// A clip [1, 1, T, 1, 1] whose frame t holds t, to read the padding's frame order.
at::Tensor numbered_frames(int64_t count) {
  return at::arange(count, at::kFloat).view({1, 1, count, 1, 1});
}

std::vector<int64_t> frame_numbers(const at::Tensor& clip) {
  const at::Tensor flat = clip.flatten().to(at::kLong).contiguous();
  return {flat.data_ptr<int64_t>(), flat.data_ptr<int64_t>() + flat.numel()};
}

}  // namespace

class TransferErrorsTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void acceptsMatchingControls() {
    using pipeline::ControlHint;
    // Same aspect as the output but another size: resized, as the reference does.
    pipeline::check_control_frames(
        {control(ControlHint::kDepth, 12, 36, 64), control(ControlHint::kEdge, 9, 36, 64)},
        request_of(720, 1280, 9));
    QCOMPARE(pipeline::transfer_output_frames(
                 {control(ControlHint::kDepth, 12, 36, 64), control(ControlHint::kEdge, 9, 36, 64)},
                 std::nullopt),
             int64_t{9});
  }

  void refusesMalformedControls() {
    using pipeline::ControlHint;
    const pipeline::TransferRequest output = request_of(720, 1280);
    QVERIFY(contains_all(controls_error({control(ControlHint::kEdge, 9, 36, 64),
                                         control(ControlHint::kSeg, 9, 72, 128)},
                                        output),
                         {"control video seg (/clips/seg.mp4) is 128x72",
                          "edge (/clips/edge.mp4) is 64x36", "all at one size"}));
    QVERIFY(contains_all(controls_error({control(ControlHint::kBlur, 9, 64, 64)}, output),
                         {"control video blur (/clips/blur.mp4) is 64x64", "1280x720 output",
                          "stretched", "--height and --width"}));
    QVERIFY(contains_all(
        controls_error({control(ControlHint::kEdge, 5, 36, 64)}, request_of(720, 1280, 9)),
        {"control video edge (/clips/edge.mp4) has 5 frames", "fewer than the 9", "--num-frames"}));
    QVERIFY(contains_all(controls_error({control(ControlHint::kEdge, 9, 36, 64),
                                         control(ControlHint::kWsm, 4, 36, 64)},
                                        output),
                         {"control video wsm (/clips/wsm.mp4) has 4 frames", "fewer than the 9",
                          "the edge control's length"}));
    QVERIFY(contains_all(controls_error({control(ControlHint::kDepth, 0, 36, 64)}, output),
                         {"control video depth (/clips/depth.mp4) has no frames"}));
    QVERIFY(contains_all(controls_error({control(ControlHint::kDepth, 9, 36, 64),
                                         control(ControlHint::kDepth, 9, 36, 64)},
                                        output),
                         {"'depth' is given twice", "one video per hint"}));
    QVERIFY(contains_all(controls_error({}, output), {"at least one control video"}));
  }

  void refusesBadHintsAndFlags() {
    QVERIFY(contains_all(
        test::error_message_of<RequestError>([] { pipeline::parse_control_hint("canny"); }),
        {"unknown control hint 'canny'", "edge, blur, depth, seg, wsm"}));
    QVERIFY(contains_all(usage_error({"--control", "edges.mp4"}),
                         {"--control", "unknown control hint 'edges.mp4'"}));
    QVERIFY(contains_all(usage_error({"--control", "edge="}), {"--control takes HINT=FILE"}));
    QVERIFY(contains_all(usage_error({"--control", "normal=n.mp4"}),
                         {"--control", "unknown control hint 'normal'"}));
    QVERIFY(contains_all(usage_error({"--control-guidance", "2"}),
                         {"apply to transfer jobs", "--control HINT=FILE"}));
    QVERIFY(contains_all(usage_error({"--control", "edge=e.mp4", "--vision-path", "a.png"}),
                         {"--vision-path cannot be combined with --control"}));
    QVERIFY(contains_all(usage_error({"--control", "edge=e.mp4", "--control-guidance", "x"}),
                         {"--control-guidance"}));
  }

  void refusesControlsThatCannotBeMade() {
    QVERIFY(contains_all(usage_error({"--control", "depth", "--control-source", "s.mp4"}),
                         {"--control depth needs a file", "only edge and blur"}));
    QVERIFY(contains_all(usage_error({"--control", "edge"}), {"add --control-source FILE"}));
    QVERIFY(contains_all(usage_error({"--control", "edge=e.mp4", "--control-source", "s.mp4"}),
                         {"--control-source is only read", "--control edge"}));
    QVERIFY(contains_all(usage_error({"--control", "blur", "--control-source", "s.mp4",
                                      "--edge-thresholds", "10,20"}),
                         {"--edge-thresholds apply to an edge control made here"}));
    QVERIFY(contains_all(
        usage_error({"--control", "edge", "--control-source", "s.mp4", "--edge-thresholds", "10"}),
        {"--edge-thresholds takes LOW,HIGH"}));
    QVERIFY(contains_all(usage_error({"--blur-sigma", "3"}), {"apply to transfer jobs"}));
    const std::vector<std::string_view> arguments{
        "--model",           "m",      "--output-dir", "o",    "--prompt",         "p",
        "--control",         "edge",   "--control",    "blur", "--control-source", "s.mp4",
        "--edge-thresholds", "50,150", "--blur-sigma", "2.5"};
    const app::GenerateOptions options = app::parse_generate_options(arguments);
    QVERIFY(options.transfer.controls[0].made() && options.transfer.controls[1].made());
    QCOMPARE(options.transfer.edge_map->high_threshold, 150.0);
    QCOMPARE(options.transfer.blur_map->sigma, 2.5);
  }

  void parsesRepeatedControls() {
    const std::vector<std::string_view> arguments{"--model",
                                                  "m",
                                                  "--output-dir",
                                                  "o",
                                                  "--prompt",
                                                  "p",
                                                  "--control",
                                                  "depth=d.mp4",
                                                  "--control",
                                                  "edge=dir/e=1.mp4",
                                                  "--control-guidance",
                                                  "2.5",
                                                  "--fps",
                                                  "12"};
    const app::GenerateOptions options = app::parse_generate_options(arguments);
    QCOMPARE(options.transfer.controls.size(), std::size_t{2});
    QVERIFY(options.transfer.controls[0].hint == pipeline::ControlHint::kDepth);
    QVERIFY(options.transfer.controls[1].hint == pipeline::ControlHint::kEdge);
    QCOMPARE(options.transfer.controls[1].path.string(), std::string("dir/e=1.mp4"));
    QCOMPARE(options.transfer.control_guidance.value_or(0), 2.5);
    QVERIFY(options.transfer.fps_given);
    QVERIFY(!options.transfer.num_frames_given);
  }

  void refusesChunksWithoutNewFrames() {
    QVERIFY(contains_all(test::error_message_of<RequestError>(
                             [] { pipeline::plan_transfer_chunks(30, std::nullopt, 9, 9, 4); }),
                         {"num_conditional_frames (9)", "chunk length (9 frames)"}));
    pipeline::TransferRequest request = request_of(720, 1000);
    QVERIFY(contains_all(test::error_message_of<RequestError>([&] {
                           pipeline::check_transfer_request(request, pipeline::PipelineFolder{});
                         }),
                         {"width 1000", "multiple of 16"}));
    request = request_of(720, 1280);
    request.guidance.control_guidance_interval = std::make_pair(900.0, 100.0);
    QVERIFY(contains_all(test::error_message_of<RequestError>([&] {
                           pipeline::check_transfer_request(request, pipeline::PipelineFolder{});
                         }),
                         {"control_guidance_interval [900, 100] is empty"}));
  }

  void padsAndPlansAsTheReference() {
    // The clip played backwards from its last frame, then that longer clip backwards again; a
    // one-frame clip repeats its frame.
    QCOMPARE(frame_numbers(pipeline::pad_frames_in_time(numbered_frames(3), 9)),
             (std::vector<int64_t>{0, 1, 2, 2, 1, 1, 2, 2, 1}));
    QCOMPARE(frame_numbers(pipeline::pad_frames_in_time(numbered_frames(1), 3)),
             (std::vector<int64_t>{0, 0, 0}));
    // 30 frames in chunks of 10 (rounded up to 13) sharing 1 frame: stride 12, 3 chunks.
    const pipeline::TransferChunkPlan plan =
        pipeline::plan_transfer_chunks(30, std::nullopt, 10, 1, 4);
    QCOMPARE(plan.chunk_frames, int64_t{13});
    QCOMPARE(plan.stride, int64_t{12});
    QCOMPARE(plan.num_chunks, int64_t{3});
    // The last chunk's controls (frames 24..29) are padded to a whole chunk by reflection.
    QCOMPARE(frame_numbers(pipeline::chunk_control_pixels(numbered_frames(30), plan, 2)),
             (std::vector<int64_t>{24, 25, 26, 27, 28, 29, 29, 28, 27, 26, 25, 25, 26}));
  }

  void presetsFollowTheFirstHint() {
    using pipeline::ControlHint;
    const pipeline::TransferPreset& wsm = pipeline::transfer_preset(ControlHint::kWsm);
    QCOMPARE(wsm.num_frames, 101);
    QCOMPARE(wsm.fps, 10.0);
    QCOMPARE(pipeline::transfer_preset_for({ControlHint::kWsm, ControlHint::kSeg}).control_guidance,
             2.0);
  }

  void passesFollowTheirIntervals() {
    pipeline::TransferGuidance guidance;
    guidance.guidance_scale = 3.0;
    guidance.control_guidance = 1.5;
    guidance.guidance_interval = std::make_pair(0.0, 500.0);
    using pipeline::TransferPass;
    QVERIFY((pipeline::transfer_passes_at(guidance, 900) ==
             std::vector<TransferPass>{TransferPass::kCondFull, TransferPass::kCondNoControl}));
    QVERIFY((pipeline::transfer_passes_at(guidance, 500) ==
             std::vector<TransferPass>{TransferPass::kCondFull, TransferPass::kCondNoControl,
                                       TransferPass::kUncondFull}));
    guidance.control_guidance = 1.0;
    QVERIFY((pipeline::transfer_passes_at(guidance, 900) ==
             std::vector<TransferPass>{TransferPass::kCondFull}));
  }
};

QTEST_APPLESS_MAIN(TransferErrorsTest)
#include "tst_transfer_errors.moc"
