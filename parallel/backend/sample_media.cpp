#include "parallel/backend/sample_media.h"

#include "core/errors.h"
#include "core/safetensors/writer.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/from_blob.h>
#include <ATen/ops/stack.h>

#ifdef COSMOS3_HAVE_MEDIA
#include "media/image_writer.h"
#include "media/media_reader.h"
#include "media/video_writer.h"
#include "media/wav_file.h"
#endif

#include <fstream>

namespace cosmos3::backend {
namespace {

// [-1, 1] -> 8-bit as the reference's PIL output does: (x / 2 + 0.5) clamped, * 255, rounded.
at::Tensor to_frames_THW3(const at::Tensor& pixels_B3THW) {
  const at::Tensor unit =
      (pixels_B3THW.select(0, 0).to(at::kCPU, at::kFloat) / 2.0 + 0.5).clamp(0, 1);
  return (unit * 255.0).round().to(at::kByte).permute({1, 2, 3, 0}).contiguous();
}

// [C, N] -> [N, C]: channels interleaved, as sound files store them.
at::Tensor interleaved_NC(const at::Tensor& waveform_CN) {
  return waveform_CN.to(at::kCPU, at::kFloat).t().contiguous();
}

}  // namespace

#ifdef COSMOS3_HAVE_MEDIA
std::string preview_image_extension() { return ".jpg"; }

bool media_available() { return true; }

at::Tensor read_frames(const std::filesystem::path& path, int max_frames) {
  media::VideoFrames video = media::read_video(path, max_frames);
  std::vector<at::Tensor> frames;
  frames.reserve(video.frames.size());
  for (std::vector<std::uint8_t>& frame : video.frames) {
    frames.push_back(
        at::from_blob(frame.data(), {video.height, video.width, 3}, at::kByte).clone());
  }
  return at::stack(frames, 0);
}

namespace {

media::VideoFrames video_frames(const at::Tensor& pixels_B3THW, double fps) {
  const at::Tensor frames_THW3 = to_frames_THW3(pixels_B3THW);
  media::VideoFrames video;
  video.height = static_cast<int>(frames_THW3.size(1));
  video.width = static_cast<int>(frames_THW3.size(2));
  video.fps = fps;
  for (int64_t index = 0; index < frames_THW3.size(0); ++index) {
    const at::Tensor frame = frames_THW3[index];
    const auto* data = frame.const_data_ptr<std::uint8_t>();
    video.frames.emplace_back(data, data + frame.numel());
  }
  return video;
}

media::AudioSamples audio_samples(const at::Tensor& waveform_CN, int sample_rate) {
  const at::Tensor samples_NC = interleaved_NC(waveform_CN);
  media::AudioSamples audio;
  audio.sample_rate = sample_rate;
  audio.num_channels = static_cast<int>(samples_NC.size(1));
  const float* data = samples_NC.const_data_ptr<float>();
  audio.interleaved.assign(data, data + samples_NC.numel());
  return audio;
}

}  // namespace

std::filesystem::path write_sample(const std::filesystem::path& output_dir,
                                   const at::Tensor& pixels_B3THW, double fps,
                                   const std::string& metadata_json) {
  const media::VideoFrames video = video_frames(pixels_B3THW, fps);
  if (video.num_frames() == 1) {
    const std::filesystem::path path = output_dir / "sample.jpg";
    media::write_image(path, video.frames.front(), video.width, video.height);
    return path;
  }
  const std::filesystem::path path = output_dir / "sample.mp4";
  media::write_mp4(path, video, nullptr, metadata_json);
  return path;
}

std::vector<std::filesystem::path> write_sample_with_sound(
    const std::filesystem::path& output_dir, const at::Tensor& pixels_B3THW, double fps,
    const at::Tensor& waveform_CN, int sample_rate, const std::string& metadata_json) {
  const media::AudioSamples audio = audio_samples(waveform_CN, sample_rate);
  const std::filesystem::path video_path = output_dir / "sample.mp4";
  media::write_mp4(video_path, video_frames(pixels_B3THW, fps), &audio, metadata_json);
  const std::filesystem::path wav_path = output_dir / "sample.wav";
  media::write_wav(wav_path, audio);
  return {video_path, wav_path};
}

void write_preview_image(const std::filesystem::path& path, const at::Tensor& pixels_B3THW) {
  const at::Tensor frame_HW3 = to_frames_THW3(pixels_B3THW)[0].contiguous();
  const auto* data = frame_HW3.const_data_ptr<std::uint8_t>();
  media::write_image(path, std::vector<std::uint8_t>(data, data + frame_HW3.numel()),
                     static_cast<int>(frame_HW3.size(1)), static_cast<int>(frame_HW3.size(0)));
}

#else
namespace {

[[noreturn]] void no_media(const std::string& what) {
  throw UserError(what +
                  " needs the media module, which this build left out "
                  "(configure with -DCOSMOS3_BUILD_MEDIA=ON on a machine with FFmpeg)");
}

}  // namespace

bool media_available() { return false; }

at::Tensor read_frames(const std::filesystem::path& path, int) {
  no_media("reading " + path.string());
}

// Without FFmpeg the decoded frames are still the job's result: written as a tensor file that
// any safetensors reader (or a later cosmos3-tool) turns into a video.
std::filesystem::path write_sample(const std::filesystem::path& output_dir,
                                   const at::Tensor& pixels_B3THW, double fps,
                                   const std::string& metadata_json) {
  const std::filesystem::path path = output_dir / "sample_frames.safetensors";
  safetensors::write_file(path, {{"frames_THW3", to_frames_THW3(pixels_B3THW)}},
                          {{"generation", metadata_json}, {"fps", std::to_string(fps)}});
  return path;
}

std::vector<std::filesystem::path> write_sample_with_sound(
    const std::filesystem::path& output_dir, const at::Tensor& pixels_B3THW, double fps,
    const at::Tensor& waveform_CN, int sample_rate, const std::string& metadata_json) {
  const std::filesystem::path sound_path = output_dir / "sample_sound.safetensors";
  safetensors::write_file(
      sound_path, {{"waveform_NC", interleaved_NC(waveform_CN)}},
      {{"generation", metadata_json}, {"sample_rate", std::to_string(sample_rate)}});
  return {write_sample(output_dir, pixels_B3THW, fps, metadata_json), sound_path};
}

std::string preview_image_extension() { return ".ppm"; }

void write_preview_image(const std::filesystem::path& path, const at::Tensor& pixels_B3THW) {
  const at::Tensor frame_HW3 = to_frames_THW3(pixels_B3THW)[0].contiguous();
  std::filesystem::path partial = path;
  partial += ".partial";
  {
    std::ofstream output(partial, std::ios::binary);
    output << "P6\n" << frame_HW3.size(1) << ' ' << frame_HW3.size(0) << "\n255\n";
    output.write(reinterpret_cast<const char*>(frame_HW3.const_data_ptr<std::uint8_t>()),
                 frame_HW3.numel());
    if (!output) {
      throw UserError("cannot write the preview " + partial.string() +
                      "; check that the output folder is writable and has free space");
    }
  }
  std::filesystem::rename(partial, path);
}

#endif

}  // namespace cosmos3::backend
