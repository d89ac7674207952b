// Image-to-video on the embedded tiny checkpoint (cosmos3-tool make-tiny-checkpoint) with the
// conditioning image encoded split by rows across real processes (cosmos3-launch starts 2, 3
// or 4 ranks; alone it is a group of one): every rank runs the whole generation twice, with
// the image encoded whole and split, and the final latents must agree.
//
// Bound: 1e-5 relative (L2, fp32). The split encode differs from the whole one only in the
// summation order of its convolutions and attention (see tst_vae_split.cpp), a few ulps of the
// conditioning latents, which two denoising steps carry into the result without growing much.
// Measured here: conditioning latents 6e-7 to 1e-6, final latents 1.0e-6 relative on 2-4
// ranks. Encoding the wrong rows, or a halo from the wrong neighbour, changes the conditioning
// frame and moves the latents by > 1e-2.

#include "core/pipeline/conditioning.h"
#include "core/pipeline/text_to_vision.h"
#include "core/vae/wan_vae.h"
#include "parallel/comm/world.h"
#include "parallel/vae/group_row_slabs.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/TensorOperators.h>
#include <ATen/ops/equal.h>
#include <ATen/ops/full.h>
#include <ATen/ops/randint.h>

#include <QtTest/QtTest>

#include <memory>
#include <optional>
#include <string>

using namespace cosmos3;
using namespace cosmos3::parallel;

namespace {

constexpr double kSplitTolerance = 1e-5;

std::string tiny_checkpoint_dir() {
  return std::string(COSMOS3_TEST_DATA_DIR) + "/tiny_checkpoint";
}

double relative_error(const at::Tensor& actual, const at::Tensor& expected) {
  return (actual - expected).norm().item<double>() / expected.norm().item<double>();
}

}  // namespace

class VaeSplitGenerationTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    const auto environment = RankEnvironment::is_launched() ? RankEnvironment::from_environment()
                                                            : RankEnvironment::single_process();
    world_ = connect_world(environment, Backend::cpu);
  }

  void imageToVideoWithSplitEncodeEqualsWhole() {
    const pipeline::PipelineFolder folder = pipeline::read_pipeline_folder(tiny_checkpoint_dir());
    pipeline::GenerationRequest request;
    request.prompt = "A red kite rises";
    request.negative_prompt = "static";
    request.num_frames = 9;
    request.height = 64;
    request.width = 96;
    request.num_steps = 2;
    request.guidance_scale = 4.0;
    request.seed = 5;
    const pipeline::ResolvedRequest resolved = pipeline::resolve_request(request, folder);
    const model::Transformer transformer =
        model::Transformer::load(folder.transformer_dir, at::kFloat, c10::kCPU);
    const pipeline::PromptTokenizer tokenizer =
        pipeline::PromptTokenizer::load(folder.text_tokenizer_dir);
    const vae::WanVae vae = vae::WanVae::load(folder.root, at::kFloat, c10::kCPU);

    // A 40 x 72 photo, resized and cropped to the request as a user's image would be; the same
    // on every rank.
    const at::Tensor image_THW3 =
        at::randint(0, 256, {1, 40, 72, 3}, at::make_generator<at::CPUGeneratorImpl>(21),
                    at::TensorOptions().dtype(at::kByte));
    const pipeline::ConditioningClip clip =
        pipeline::conditioning_clip(image_THW3, pipeline::ConditioningInput{}, request.height,
                                    request.width, request.num_frames, folder.vae_temporal_factor);
    const at::Tensor whole = vae.encode(clip.pixels_B3THW);
    const std::shared_ptr<Communicator> all = world_->communicator();
    GroupRowSlabs slabs(all, split_latent_rows(whole.size(3), all->size(), all->rank()));
    const at::Tensor split = vae.encode_split(clip.pixels_B3THW, slabs);
    qInfo("rank %d of %d: split conditioning latents %s, relative error %.3g", all->rank(),
          all->size(), at::equal(split, whole) ? "bit-identical" : "not bit-identical",
          relative_error(split, whole));

    model::ModelSeams single_rank;
    const auto generate = [&](const at::Tensor& conditioning_latents) {
      return pipeline::generate_vision_latents(
                 folder, transformer, tokenizer, resolved, c10::kCPU, single_rank, {},
                 pipeline::VisionConditioning{conditioning_latents.to(at::kFloat),
                                              clip.frame_indexes})
          .latents_BCTHW;
    };
    const at::Tensor from_whole = generate(whole);
    const at::Tensor from_split = generate(split);
    const double error = relative_error(from_split, from_whole);
    qInfo("final latents relative error %.3g", error);
    QVERIFY(all_agree(error <= kSplitTolerance));
  }

 private:
  // True on every rank when `ok` holds on every rank.
  bool all_agree(bool ok) {
    at::Tensor failures = at::full({1}, ok ? 0.0 : 1.0, at::TensorOptions().dtype(at::kFloat));
    world_->communicator()->all_reduce_sum(failures);
    return failures.item<double>() == 0.0;
  }

  std::unique_ptr<World> world_;
};

QTEST_GUILESS_MAIN(VaeSplitGenerationTest)
#include "tst_vae_split_generation.moc"
