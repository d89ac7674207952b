// Video with sound against the reference's enable_sound modular pipeline
// (tools/make_sound_pipeline_golden.py): same token ids, seed and scheduler config, a tiny sound
// tokenizer whose sample rate and hop set the soundtrack's length. Text-to-video with and
// without guidance and image-to-video (clean latents for frame 0): the sound latents' count,
// noise draw (after the vision's, from one generator), mRoPE positions after the vision tokens,
// timesteps, guidance and own UniPC state must all agree, and our decoder must turn the final
// sound latents into the reference's waveform.
//
// Tolerance: relative error <= 1e-5 of the final vision and sound latents, max abs error <= 1e-4
// of the waveform (in [-1, 1]). The latents agree to ~1e-6 (the transformer's reductions round
// differently from the reference's in places, as in the other pipeline goldens); the decoder is
// bit-exact by itself (tst_sound_decoder_golden), and its ~20 convolutions amplify the latents'
// ~1e-6 into ~1.5e-5 on the waveform. Any wrong position, draw, step or guidance moves the
// latents by > 1e-2.

#include "core/model/transformer.h"
#include "core/pipeline/conditioning.h"
#include "core/pipeline/denoise_loop.h"
#include "core/pipeline/generation_request.h"
#include "core/pipeline/sampler.h"
#include "core/safetensors/safetensors_file.h"
#include "core/scheduler/scheduler_config.h"
#include "core/sound/sound_decoder.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/abs.h>
#include <ATen/ops/max.h>
#include <ATen/ops/norm.h>

#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

#include <memory>

using namespace cosmos3;

namespace {

std::string data_dir() { return std::string(COSMOS3_TEST_DATA_DIR); }
std::string sound_tokenizer_dir() { return data_dir() + "/sound_pipeline/sound_tokenizer"; }

std::vector<int64_t> ids_of(const at::Tensor& tensor) {
  const at::Tensor values = tensor.to(at::kLong).contiguous();
  return {values.const_data_ptr<int64_t>(), values.const_data_ptr<int64_t>() + values.numel()};
}

struct GoldenCase {
  nlohmann::json parameters;
  std::string scheduler_json;
  std::map<std::string, at::Tensor> tensors;
};

GoldenCase load_case(const std::string& name) {
  const std::string path = data_dir() + "/sound_pipeline/" + name + ".safetensors";
  const safetensors::SafetensorsFile file(path);
  return GoldenCase{nlohmann::json::parse(file.metadata().at("case")),
                    file.metadata().at("scheduler"), model::load_named_tensors(path)};
}

struct SoundResult {
  pipeline::DenoiseResult denoised;
  int64_t num_sound_frames = 0;
};

SoundResult run_case(const GoldenCase& golden) {
  const auto& parameters = golden.parameters;
  const model::Transformer transformer = model::Transformer::load(
      data_dir() + "/transformer/" + parameters["family"].get<std::string>(), at::kFloat,
      c10::kCPU);
  const model::TransformerConfig& config = transformer.config();
  const scheduler::SchedulerConfig scheduler_config =
      scheduler::parse_scheduler_config(golden.scheduler_json, "golden scheduler config");
  const sound::SoundTokenizerConfig tokenizer =
      sound::load_sound_tokenizer_config(sound_tokenizer_dir() + "/config.json");

  const int64_t frames = parameters["num_frames"].get<int64_t>();
  const double fps = parameters["fps"].get<double>();
  const std::vector<int64_t> latent_shape{1, config.latent_channel, (frames - 1) / 4 + 1,
                                          parameters["height"].get<int64_t>() / 16,
                                          parameters["width"].get<int64_t>() / 16};
  const bool image_conditioned = parameters["image_conditioned"].get<bool>();
  const std::vector<int64_t> condition_frames =
      image_conditioned ? std::vector<int64_t>{0} : std::vector<int64_t>{};
  const int64_t num_sound_frames =
      pipeline::num_sound_latent_frames(frames, fps, tokenizer.sampling_rate, tokenizer.hop_size);

  const double guidance = parameters["guidance"].get<double>();
  pipeline::BranchLayout cond = pipeline::build_branch(
      ids_of(golden.tensors.at("cond_input_ids")), latent_shape, fps, condition_frames, config, 4);
  pipeline::add_sound_segment(cond, num_sound_frames, config);
  std::optional<pipeline::BranchLayout> uncond;
  if (guidance != 1.0) {
    uncond = pipeline::build_branch(ids_of(golden.tensors.at("uncond_input_ids")), latent_shape,
                                    fps, condition_frames, config, 4);
    pipeline::add_sound_segment(*uncond, num_sound_frames, config);
  }

  at::Generator generator = pipeline::seeded_generator(parameters["seed"].get<uint64_t>());
  at::Tensor latents = pipeline::initial_noise(latent_shape, generator);
  const at::Tensor mask_T11 = pipeline::condition_mask(latent_shape[2], condition_frames);
  if (image_conditioned) {
    latents = pipeline::conditioned_initial_latents(mask_T11, golden.tensors.at("clean_latents"),
                                                    latents);
  }
  const auto steps = parameters["steps"].get<int64_t>();
  pipeline::SoundTrack sound{
      pipeline::initial_noise({config.sound_dim, num_sound_frames}, generator),
      std::make_unique<pipeline::UniPCSampler>(scheduler::UniPCMultistepScheduler(scheduler_config),
                                               steps, std::nullopt, false)};
  pipeline::UniPCSampler sampler(scheduler::UniPCMultistepScheduler(scheduler_config), steps,
                                 std::nullopt, false);
  model::ModelSeams single_rank;
  pipeline::SequentialGuidance sequential(single_rank);
  return {pipeline::denoise_vision(transformer, cond, uncond, sampler, latents, mask_T11, guidance,
                                   sequential, {}, &sound),
          num_sound_frames};
}

QString request_error_of(const pipeline::GenerationRequest& request,
                         const pipeline::PipelineFolder& folder) {
  try {
    pipeline::resolve_request(request, folder);
  } catch (const pipeline::RequestError& error) {
    return QString::fromStdString(error.what());
  }
  return {};
}

double relative_error(const at::Tensor& actual, const at::Tensor& expected) {
  return (actual - expected).norm().item<double>() / expected.norm().item<double>();
}

}  // namespace

class SoundPipelineGoldenTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void latentsAndWaveformMatchReference_data() {
    QTest::addColumn<QString>("name");
    for (const char* name : {"t2v_sound_cfg", "t2v_sound_no_cfg", "i2v_sound"}) {
      QTest::newRow(name) << QString(name);
    }
  }

  void latentsAndWaveformMatchReference() {
    QFETCH(QString, name);
    const GoldenCase golden = load_case(name.toStdString());
    const SoundResult result = run_case(golden);
    const at::Tensor& expected_latents = golden.tensors.at("latents");
    const at::Tensor& expected_sound = golden.tensors.at("sound_latents");
    QCOMPARE(result.num_sound_frames, expected_sound.size(1));
    QCOMPARE(result.denoised.latents.sizes().vec(), expected_latents.sizes().vec());
    QCOMPARE(result.denoised.sound_latents_CT.sizes().vec(), expected_sound.sizes().vec());
    const double vision_error = relative_error(result.denoised.latents, expected_latents);
    const double sound_error = relative_error(result.denoised.sound_latents_CT, expected_sound);

    const sound::SoundDecoder decoder =
        sound::SoundDecoder::load(sound_tokenizer_dir(), at::kFloat, c10::kCPU);
    const at::Tensor waveform = decoder.decode(result.denoised.sound_latents_CT);
    const at::Tensor& expected_waveform = golden.tensors.at("sound");
    QCOMPARE(waveform.sizes().vec(), expected_waveform.sizes().vec());
    const double waveform_error = (waveform - expected_waveform).abs().max().item<double>();
    qInfo("relative error: vision %g, sound %g; waveform max abs error %g", vision_error,
          sound_error, waveform_error);
    QVERIFY(vision_error <= 1e-5);
    QVERIFY(sound_error <= 1e-5);
    QVERIFY(waveform_error <= 1e-4);
  }

  void soundLengthFollowsTheVideoDuration() {
    // 189 frames at 24 fps at 48 kHz: 378000 samples, 197 latent frames of 1920.
    QCOMPARE(pipeline::num_sound_latent_frames(189, 24.0, 48000, 1920), int64_t{197});
    // 121 frames at 30 fps: 193600 samples, 100.8 latent frames, rounded up.
    QCOMPARE(pipeline::num_sound_latent_frames(121, 30.0, 48000, 1920), int64_t{101});
    QCOMPARE(pipeline::num_sound_latent_frames(17, 24.0, 48000, 1920), int64_t{18});
  }

  void soundRequestsAreResolvedAgainstTheTokenizer() {
    pipeline::PipelineFolder folder;
    folder.root = data_dir() + "/sound_pipeline";
    folder.sound_tokenizer_dir = sound_tokenizer_dir();
    folder.transformer_sound_gen = true;
    pipeline::GenerationRequest request;
    request.prompt = "a bell rings";
    request.num_frames = 9;
    request.height = 32;
    request.width = 48;
    request.enable_sound = true;
    // 9 frames at 24 fps at the golden tokenizer's 1 kHz: 375 samples, 38 frames of 10.
    const pipeline::ResolvedRequest resolved = pipeline::resolve_request(request, folder);
    QCOMPARE(resolved.num_sound_frames, int64_t{38});
    QCOMPARE(resolved.sound_sampling_rate, int64_t{1000});

    request.num_frames = 1;
    QVERIFY(request_error_of(request, folder).contains("--sound"));
    request.num_frames = 9;
    pipeline::PipelineFolder silent_transformer = folder;
    silent_transformer.transformer_sound_gen = false;
    QVERIFY(request_error_of(request, silent_transformer).contains("sound_gen"));
    pipeline::PipelineFolder no_tokenizer = folder;
    no_tokenizer.sound_tokenizer_dir.clear();
    QVERIFY(request_error_of(request, no_tokenizer).contains("sound_tokenizer"));
    request.enable_sound = false;
    QVERIFY(request_error_of(request, no_tokenizer).isEmpty());
    QCOMPARE(pipeline::resolve_request(request, folder).num_sound_frames, int64_t{0});
  }

  void soundTokensFollowTheVisionTokens() {
    const GoldenCase golden = load_case("t2v_sound_cfg");
    const model::Transformer transformer =
        model::Transformer::load(data_dir() + "/transformer/nano", at::kFloat, c10::kCPU);
    pipeline::BranchLayout branch =
        pipeline::build_branch(ids_of(golden.tensors.at("cond_input_ids")), {1, 4, 3, 4, 6}, 24.0,
                               {}, transformer.config(), 4);
    const int64_t vision_end = branch.sequence_length;
    pipeline::add_sound_segment(branch, 5, transformer.config());
    QCOMPARE(branch.sequence_length, vision_end + 5);
    QCOMPARE(branch.position_ids.size(1), vision_end + 5);
    QCOMPARE(branch.sound->sequence_indexes[0].item<int64_t>(), vision_end);
    // Same temporal start as the vision (simultaneous, not sequential), h = w = 0.
    QCOMPARE(branch.sound->positions_3N[0][0].item<double>(),
             branch.vision.positions_3N[0][0].item<double>());
    QCOMPARE(branch.sound->positions_3N[1].abs().max().item<double>(), 0.0);
  }
};

QTEST_APPLESS_MAIN(SoundPipelineGoldenTest)
#include "tst_sound_pipeline_golden.moc"
