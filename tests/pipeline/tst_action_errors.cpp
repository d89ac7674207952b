// Action jobs that must be refused before any weight is read, each with a message that names
// the problem: malformed action files, bad mode/input combinations, domains and tiers the
// checkpoint or the reference cannot run. Also the recipe's defaults and the canvas rules on
// inputs whose size is not a multiple of 16.

#include "core/pipeline/action_canvas.h"
#include "core/pipeline/action_file.h"
#include "core/pipeline/action_request.h"
#include "tests/test_support.h"

#include <ATen/ops/allclose.h>
#include <ATen/ops/max.h>
#include <ATen/ops/ones.h>
#include <ATen/ops/tensor.h>
#include <ATen/ops/zeros.h>

#include <QtTest/QtTest>

#include <filesystem>

using namespace cosmos3;
using pipeline::ActionFileError;
using pipeline::RequestError;
using test::contains_all;

namespace {

std::string file_error(const std::string& text, int64_t width = 10) {
  return test::error_message_of<ActionFileError>(
      [&] { pipeline::parse_actions(text, width, "bridge_orig_lerobot", "acts.json"); });
}

pipeline::ActionRequest valid_policy() {
  pipeline::ActionRequest action;
  action.mode = pipeline::ActionMode::kPolicy;
  action.chunk_size = 4;
  action.domain = "bridge_orig_lerobot";
  action.resolution_tier = 256;
  return action;
}

model::TransformerConfig action_config() {
  model::TransformerConfig config;
  config.action_gen = true;
  config.action_dim = 12;
  config.num_embodiment_domains = 21;
  return config;
}

pipeline::GenerationRequest prompt_only() {
  pipeline::GenerationRequest request;
  request.prompt = "pick up the cup";
  return request;
}

std::string plan_error(const pipeline::ActionRequest& action,
                       const model::TransformerConfig& config = action_config(),
                       const pipeline::PipelineFolder& folder = {}, int64_t height = 224,
                       int64_t width = 400) {
  return test::error_message_of<RequestError>(
      [&] { pipeline::plan_action(prompt_only(), action, folder, config, height, width); });
}

}  // namespace

class ActionErrorsTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void acceptsBothFileRanks() {
    const at::Tensor rank2 = pipeline::parse_actions("[[1, 2], [3, 4.5]]", 2, "pusht", "a");
    const at::Tensor rank3 = pipeline::parse_actions("[[[1, 2], [3, 4.5]]]", 2, "pusht", "b");
    QVERIFY(rank2.sizes() == at::IntArrayRef({2, 2}));
    QVERIFY(at::allclose(rank2, rank3));
    QCOMPARE(rank2[1][1].item<float>(), 4.5f);
  }

  void refusesMalformedFiles() {
    QVERIFY(contains_all(file_error("[[1, 2"), {"acts.json", "is not JSON"}));
    QVERIFY(contains_all(file_error(""), {"acts.json", "is not JSON"}));
    QVERIFY(contains_all(file_error("[]"), {"acts.json", "is empty"}));
    QVERIFY(contains_all(file_error("[[]]"), {"row 0 has 0 values", "width 10"}));
    QVERIFY(contains_all(file_error("{\"a\": 1}"), {"must be a JSON array", "[T, D]"}));
    QVERIFY(contains_all(file_error("[1, 2, 3]"), {"row 0 is not an array", "rank 1"}));
    QVERIFY(contains_all(file_error("[[[1, 2]], [[3, 4]]]", 2), {"[2, T, D]", "[1, T, D]"}));
    QVERIFY(contains_all(file_error("[[[[1]]]]", 1), {"more than 3 dimensions"}));
    QVERIFY(contains_all(file_error("[[1, 2, 3]]"),
                         {"row 0 has 3 values", "bridge_orig_lerobot", "width 10"}));
    QVERIFY(contains_all(file_error("[[1, 2], [3]]", 2), {"row 1 has 1 values"}));
    QVERIFY(contains_all(file_error("[[1, \"x\"]]", 2), {"row 0 column 1", "not a number"}));
    QVERIFY(contains_all(file_error("[[1, NaN]]", 2), {"NaN", "finite"}));
    QVERIFY(contains_all(file_error("[[1, -Infinity]]", 2), {"Infinity", "finite"}));
    QVERIFY(contains_all(file_error("[[1, 1e39]]", 2), {"row 0 column 1", "finite float32"}));
  }

  void refusesMissingFile() {
    const std::string message = test::error_message_of<ActionFileError>(
        [] { pipeline::read_action_file("/nonexistent/acts.json", 10, "fractal"); });
    QVERIFY(contains_all(message, {"/nonexistent/acts.json", "cannot be opened", "--actions"}));
  }

  void writtenFileReadsBack() {
    const std::string path = QDir::tempPath().toStdString() + "/tst_action_errors_actions.json";
    const at::Tensor actions = at::tensor({0.25f, -1.5f, 3.0f, 1e-7f}).view({2, 2});
    pipeline::write_action_file(path, actions);
    QVERIFY(at::allclose(pipeline::read_action_file(path, 2, "pusht"), actions, 0, 0));
    std::filesystem::remove(path);
  }

  void refusesBadModeAndInputCombinations() {
    pipeline::ActionRequest inverse_from_image = valid_policy();
    inverse_from_image.mode = pipeline::ActionMode::kInverseDynamics;
    QVERIFY(contains_all(plan_error(inverse_from_image), {"inverse_dynamics", "--video-path"}));

    pipeline::ActionRequest forward_without_actions = valid_policy();
    forward_without_actions.mode = pipeline::ActionMode::kForwardDynamics;
    QVERIFY(contains_all(plan_error(forward_without_actions), {"forward_dynamics", "--actions"}));

    pipeline::ActionRequest policy_with_actions = valid_policy();
    policy_with_actions.has_actions = true;
    QVERIFY(contains_all(plan_error(policy_with_actions), {"--actions", "policy", "leave"}));

    QVERIFY(contains_all(
        test::error_message_of<RequestError>([] { pipeline::parse_action_mode("planning"); }),
        {"'planning'", "policy", "forward_dynamics", "inverse_dynamics"}));
  }

  void refusesBadSettings() {
    pipeline::ActionRequest action = valid_policy();
    action.chunk_size = 0;
    QVERIFY(contains_all(plan_error(action), {"--chunk-size", "got 0"}));
    action = valid_policy();
    action.resolution_tier = 512;
    QVERIFY(contains_all(plan_error(action), {"--resolution-tier", "256, 480, 704 or 720", "512"}));
    action = valid_policy();
    action.view_point = "top_view";
    QVERIFY(contains_all(plan_error(action), {"'top_view'", "ego_view", "wrist_view"}));
    action = valid_policy();
    action.domain = "spot";
    QVERIFY(contains_all(plan_error(action), {"'spot'", "bridge_orig_lerobot", "fractal"}));
    action.domain = "libero";
    QVERIFY(contains_all(plan_error(action), {"'libero'", "no fixed action width"}));
    QVERIFY(contains_all(plan_error(valid_policy(), action_config(), {}, 8, 400),
                         {"8x400", "at least 16x16"}));
  }

  void refusesWhatTheCheckpointCannotRun() {
    model::TransformerConfig no_actions = action_config();
    no_actions.action_gen = false;
    QVERIFY(
        contains_all(plan_error(valid_policy(), no_actions), {"action_gen", "action checkpoint"}));

    model::TransformerConfig narrow = action_config();
    narrow.action_dim = 6;
    QVERIFY(contains_all(plan_error(valid_policy(), narrow), {"width 10", "action_dim 6"}));

    model::TransformerConfig few_domains = action_config();
    few_domains.num_embodiment_domains = 3;
    QVERIFY(contains_all(plan_error(valid_policy(), few_domains), {"id 7", "3 embodiment"}));

    pipeline::PipelineFolder distilled;
    distilled.distilled_sigmas = std::vector<double>{1.0, 0.5};
    QVERIFY(contains_all(plan_error(valid_policy(), action_config(), distilled), {"distilled"}));
  }

  void fillsTheRecipeDefaults() {
    const pipeline::ActionPlan plan =
        pipeline::plan_action(prompt_only(), valid_policy(), {}, action_config(), 224, 400);
    QCOMPARE(plan.resolved.num_steps, int64_t{30});
    QCOMPARE(plan.resolved.guidance_scale, 1.0);
    QCOMPARE(*plan.resolved.request.flow_shift, 10.0);
    QVERIFY(!plan.resolved.use_system_prompt);
    QCOMPARE(plan.resolved.request.num_frames, 5);
    QCOMPARE(plan.resolved.request.height, 192);
    QCOMPARE(plan.resolved.request.width, 320);
    QCOMPARE(plan.raw_action_width, int64_t{10});
  }

  // 100x170 snaps to 96x160 (ratio 0.6: the 192x320 bin), never upscaled: content 96x160.
  void snapsAndNeverUpscales() {
    const pipeline::ActionCanvas canvas = pipeline::action_canvas(100, 170, 256);
    QCOMPARE(canvas.height, int64_t{192});
    QCOMPARE(canvas.width, int64_t{320});
    QCOMPARE(canvas.content_height, int64_t{96});
    QCOMPARE(canvas.content_width, int64_t{160});
    const at::Tensor frames = at::zeros({2, 100, 170, 3}, at::kByte);
    const at::Tensor pixels = pipeline::action_canvas_pixels(frames, canvas, 5);
    QVERIFY(pixels.sizes() == at::IntArrayRef({1, 3, 5, 192, 320}));
    QCOMPARE(pixels.max().item<float>(), -1.0f);
    // 720p at tier 480 is shrunk into 480x832: 468x832 of content, 12 rows of padding.
    const pipeline::ActionCanvas shrunk = pipeline::action_canvas(720, 1280, 480);
    QCOMPARE(shrunk.height, int64_t{480});
    QCOMPARE(shrunk.content_height, int64_t{468});
    QCOMPARE(shrunk.content_width, int64_t{832});
  }
};

QTEST_APPLESS_MAIN(ActionErrorsTest)
#include "tst_action_errors.moc"
