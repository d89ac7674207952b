#pragma once
// The files a generation job (cosmos3-generate, the worker group) reads and writes through the
// media module: conditioning images
// and videos in, sample.jpg / sample.mp4 out. Builds without FFmpeg (the GPU machines) keep the
// latents and metadata outputs and refuse media flags with a clear message.
//
// Shape legend: pixels_B3THW float in [-1, 1]; frames_THW3 uint8 RGB.

#include <ATen/core/Tensor.h>

#include <filesystem>
#include <string>
#include <vector>

namespace cosmos3::backend {

bool media_available();

// Frames of an image (T = 1) or video file as [T, H, W, 3] uint8, at most `max_frames` (0:
// all). Throws MediaError naming the file.
at::Tensor read_frames(const std::filesystem::path& path, int max_frames = 0);

// Writes decoded pixels as `output_dir`/sample.jpg (one frame) or sample.mp4 with
// `metadata_json` embedded; without the media module, as sample_frames.safetensors (uint8
// frames [T, H, W, 3] and the metadata). Returns the path written.
std::filesystem::path write_sample(const std::filesystem::path& output_dir,
                                   const at::Tensor& pixels_B3THW, double fps,
                                   const std::string& metadata_json);

// The same for a video with its soundtrack (`waveform_CN` float in [-1, 1], C channels at
// `sample_rate`): sample.mp4 with the sound as its AAC stream and sample.wav beside it (32-bit
// float, the waveform exactly); without the media module, sample_frames.safetensors and
// sample_sound.safetensors. Returns the paths written.
std::vector<std::filesystem::path> write_sample_with_sound(
    const std::filesystem::path& output_dir, const at::Tensor& pixels_B3THW, double fps,
    const at::Tensor& waveform_CN, int sample_rate, const std::string& metadata_json);

// The live previews' file type: ".jpg" through the media module, else ".ppm" (binary PPM, which
// QImage and every viewer read), so headless GPU builds without FFmpeg still preview.
std::string preview_image_extension();

// Writes the first frame of `pixels_B3THW` as an image at `path` (atomically: a reader never
// sees half a file), for live previews.
void write_preview_image(const std::filesystem::path& path, const at::Tensor& pixels_B3THW);

}  // namespace cosmos3::backend
