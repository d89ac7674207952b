// cosmos3-generate --sound end to end on the tiny checkpoint, its outputs read back by our own
// readers: sample.mp4 holds exactly one H.264 and one AAC stream, each as long as the video
// (num_frames / fps); sample.wav is the sound decoder's waveform of the sound latents the same
// run saved with --output-latents.
//
// Tolerances:
// - Durations: within one AAC frame, 1024 samples (21.3 ms at 48 kHz). The job runs at 25 fps,
//   where one sound latent frame (hop 1920 = 40 ms) spans exactly one video frame, so the
//   soundtrack going in is exactly num_frames / fps long; AAC codes whole frames of 1024
//   samples, so the stream may declare up to one frame more than went in (the padded tail).
//   A soundtrack a latent frame too long or short is off by 1920 samples, beyond that.
// - sample.wav: 32-bit float, so nothing is quantised (16-bit PCM would allow 1/32768). The
//   test decodes the saved latents with the same float32 decoder the CLI used; only a different
//   summation order under other thread counts could move a sample, by a few ulps near 1, so the
//   bound is 2^-20 (about 1e-6), far below one step of 16-bit audio.

#include "core/pipeline/pipeline_folder.h"
#include "core/safetensors/checkpoint.h"
#include "core/sound/sound_decoder.h"
#include "media/media_types.h"
#include "media/stream_probe.h"
#include "media/wav_file.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/abs.h>
#include <ATen/ops/from_blob.h>

#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

using namespace cosmos3;

namespace {

constexpr int kNumFrames = 9;
constexpr double kFps = 25;
constexpr double kAacFrameSeconds = 1024 / 48000.0;

std::filesystem::path tiny_checkpoint_dir() {
  return std::filesystem::path(COSMOS3_TEST_DATA_DIR) / "tiny_checkpoint";
}

}  // namespace

class GenerateSoundOutputsTest : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  std::filesystem::path output_dir_;
  nlohmann::json metadata_;

 private Q_SLOTS:
  void initTestCase();
  void mp4HoldsOneH264AndOneAacStreamAsLongAsTheVideo();
  void wavIsTheDecodedWaveformOfTheSavedSoundLatents();
};

void GenerateSoundOutputsTest::initTestCase() {
  QVERIFY(dir_.isValid());
  output_dir_ = std::filesystem::path(dir_.path().toStdString()) / "out";
  QProcess generate;
  generate.setProcessChannelMode(QProcess::ForwardedChannels);
  generate.start(QStringLiteral(COSMOS3_GENERATE_PROGRAM),
                 {"--model",
                  QString::fromStdString(tiny_checkpoint_dir().string()),
                  "--prompt",
                  "waves breaking on a rocky shore",
                  "--num-frames",
                  QString::number(kNumFrames),
                  "--fps",
                  QString::number(kFps),
                  "--height",
                  "128",
                  "--width",
                  "192",
                  "--steps",
                  "2",
                  "--seed",
                  "11",
                  "--sound",
                  "--output-dir",
                  QString::fromStdString(output_dir_.string()),
                  "--output-latents",
                  QString::fromStdString((output_dir_ / "latents.safetensors").string())});
  QVERIFY(generate.waitForFinished(300000));
  QCOMPARE(generate.exitStatus(), QProcess::NormalExit);
  QCOMPARE(generate.exitCode(), 0);
  std::ifstream metadata(output_dir_ / "generation.json");
  QVERIFY(metadata.is_open());
  metadata_ = nlohmann::json::parse(metadata);
  QVERIFY(metadata_.contains("sound"));
}

void GenerateSoundOutputsTest::mp4HoldsOneH264AndOneAacStreamAsLongAsTheVideo() {
  const std::vector<media::StreamInfo> streams = media::probe_streams(output_dir_ / "sample.mp4");
  QCOMPARE(streams.size(), size_t{2});
  const double video_seconds = kNumFrames / kFps;
  int num_video = 0;
  int num_audio = 0;
  for (const media::StreamInfo& stream : streams) {
    qInfo("%s %s %.5f s (video %.5f s)", stream.kind.c_str(), stream.codec.c_str(),
          stream.duration_seconds, video_seconds);
    QVERIFY2(std::abs(stream.duration_seconds - video_seconds) <= kAacFrameSeconds,
             stream.kind.c_str());
    if (stream.kind == "video") {
      ++num_video;
      QCOMPARE(stream.codec, std::string("h264"));
    } else {
      ++num_audio;
      QCOMPARE(stream.kind, std::string("audio"));
      QCOMPARE(stream.codec, std::string("aac"));
      QCOMPARE(stream.sample_rate, metadata_["sound"]["sample_rate"].get<int>());
      QCOMPARE(stream.num_channels, 2);
    }
  }
  QCOMPARE(num_video, 1);
  QCOMPARE(num_audio, 1);
}

void GenerateSoundOutputsTest::wavIsTheDecodedWaveformOfTheSavedSoundLatents() {
  const safetensors::Checkpoint latents(output_dir_ / "latents.safetensors");
  QVERIFY(latents.contains("sound_latents"));
  const at::Tensor sound_latents_CT = latents.load("sound_latents");
  QCOMPARE(sound_latents_CT.size(1), metadata_["sound"]["num_latent_frames"].get<int64_t>());

  const pipeline::PipelineFolder folder = pipeline::read_pipeline_folder(tiny_checkpoint_dir());
  const sound::SoundDecoder decoder =
      sound::SoundDecoder::load(folder.sound_tokenizer_dir, at::kFloat, at::kCPU);
  const at::Tensor expected_CN = decoder.decode(sound_latents_CT);

  media::AudioSamples wav = media::read_wav(output_dir_ / "sample.wav");
  QCOMPARE(wav.sample_rate, metadata_["sound"]["sample_rate"].get<int>());
  QCOMPARE(static_cast<int64_t>(wav.num_channels), expected_CN.size(0));
  QCOMPARE(wav.num_frames(), expected_CN.size(1));
  QCOMPARE(wav.num_frames(), metadata_["sound"]["num_samples"].get<int64_t>());
  // At 25 fps the soundtrack is exactly the video's length in samples.
  QCOMPARE(wav.num_frames(),
           static_cast<int64_t>(std::lround(kNumFrames / kFps * wav.sample_rate)));

  const at::Tensor wav_CN =
      at::from_blob(wav.interleaved.data(), {wav.num_frames(), wav.num_channels}, at::kFloat).t();
  const double max_difference = at::abs(wav_CN - expected_CN).max().item<double>();
  qInfo("sample.wav vs decoder: max |difference| %.3g over %lld samples", max_difference,
        static_cast<long long>(wav_CN.numel()));
  QVERIFY(max_difference <= std::ldexp(1.0, -20));
  // A silent or constant track would pass the comparison trivially; the tiny decoder's is not.
  QVERIFY(at::abs(expected_CN).max().item<double>() > 1e-4);
}

QTEST_GUILESS_MAIN(GenerateSoundOutputsTest)
#include "tst_generate_sound_outputs.moc"
