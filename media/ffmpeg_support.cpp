#include "media/ffmpeg_support.h"

#include "core/errors.h"

extern "C" {
#include <libavutil/error.h>
}

#include <new>

namespace cosmos3::media::ffmpeg {

std::string error_text(int error_code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(error_code, text, sizeof(text));
  return text;
}

void check(int error_code, const std::string& what, const std::string& path) {
  if (error_code < 0) {
    throw MediaError(what + " " + path + ": " + error_text(error_code));
  }
}

Frame make_frame() {
  Frame frame(av_frame_alloc());
  if (!frame) {
    throw std::bad_alloc();
  }
  return frame;
}

Packet make_packet() {
  Packet packet(av_packet_alloc());
  if (!packet) {
    throw std::bad_alloc();
  }
  return packet;
}

}  // namespace cosmos3::media::ffmpeg
