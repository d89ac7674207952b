#include "media/image_writer.h"

#include "core/errors.h"
#include "media/atomic_output.h"
#include "media/ffmpeg_support.h"

#include <algorithm>
#include <cctype>
#include <fstream>

namespace cosmos3::media {
namespace {

struct ImageFormat {
  AVCodecID codec;
  AVPixelFormat pixel_format;
};

ImageFormat format_for(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".png") {
    return {AV_CODEC_ID_PNG, AV_PIX_FMT_RGB24};
  }
  if (extension == ".jpg" || extension == ".jpeg") {
    // Full-range 4:4:4: stills are small, and 4:2:0 chroma misaligns on odd sizes.
    return {AV_CODEC_ID_MJPEG, AV_PIX_FMT_YUVJ444P};
  }
  throw MediaError("cannot write " + path.string() + ": use a .png, .jpg or .jpeg name");
}

ffmpeg::Frame converted_frame(const std::vector<std::uint8_t>& rgb, int width, int height,
                              AVPixelFormat pixel_format, const std::string& path) {
  ffmpeg::Frame frame = ffmpeg::make_frame();
  frame->format = pixel_format;
  frame->width = width;
  frame->height = height;
  ffmpeg::check(av_frame_get_buffer(frame.get(), 0), "cannot allocate an image for", path);
  ffmpeg::Scaler scaler(sws_getContext(width, height, AV_PIX_FMT_RGB24, width, height, pixel_format,
                                       SWS_BICUBIC | SWS_ACCURATE_RND, nullptr, nullptr, nullptr));
  const std::uint8_t* source[1] = {rgb.data()};
  const int source_stride[1] = {width * 3};
  sws_scale(scaler.get(), source, source_stride, 0, height, frame->data, frame->linesize);
  return frame;
}

}  // namespace

void write_image(const std::filesystem::path& path, const std::vector<std::uint8_t>& rgb, int width,
                 int height) {
  const std::string path_text = path.string();
  if (width <= 0 || height <= 0 || rgb.size() != static_cast<std::size_t>(width) * height * 3) {
    throw MediaError("cannot write " + path_text + ": the image is not " + std::to_string(width) +
                     "x" + std::to_string(height) + " RGB");
  }
  const ImageFormat format = format_for(path);
  const AVCodec* codec = avcodec_find_encoder(format.codec);
  if (codec == nullptr) {
    throw MediaError("cannot write " + path_text + ": this FFmpeg lacks the " +
                     avcodec_get_name(format.codec) + " encoder");
  }
  ffmpeg::CodecContext context(avcodec_alloc_context3(codec));
  context->width = width;
  context->height = height;
  context->pix_fmt = format.pixel_format;
  context->time_base = AVRational{1, 1};
  context->flags |= AV_CODEC_FLAG_QSCALE;
  context->global_quality = FF_QP2LAMBDA * 2;  // near-lossless JPEG; ignored by PNG
  ffmpeg::check(avcodec_open2(context.get(), codec, nullptr), "cannot open the encoder for",
                path_text);

  ffmpeg::Frame frame = converted_frame(rgb, width, height, format.pixel_format, path_text);
  // With a fixed quantizer the encoder reads the quality of each frame, not the context's.
  frame->quality = context->global_quality;
  ffmpeg::check(avcodec_send_frame(context.get(), frame.get()), "cannot encode", path_text);
  ffmpeg::check(avcodec_send_frame(context.get(), nullptr), "cannot encode", path_text);
  ffmpeg::Packet packet = ffmpeg::make_packet();
  ffmpeg::check(avcodec_receive_packet(context.get(), packet.get()), "cannot encode", path_text);

  AtomicOutput output(path);
  std::ofstream file(output.temporary_path(), std::ios::binary);
  file.write(reinterpret_cast<const char*>(packet->data), packet->size);
  file.close();
  if (!file) {
    throw MediaError("cannot write " + path_text + ": disk full or not writable");
  }
  output.commit();
}

}  // namespace cosmos3::media
