#pragma once
// Where the player's "Play sound" finds a video's soundtrack. The fixed stack has no audio
// output of its own (no Qt Multimedia, and the media module links no libavdevice), so the sound
// is handed to the system's player, which plays it beside our frame-accurate video.

#include <QString>

namespace cosmos3::ui {

// The file to hear `path`'s soundtrack from: the WAV of the same name beside it (a generation's
// sample.wav, lossless) when there is one, else `path` itself; empty when `path` has no audio
// stream (silent videos, images) or cannot be probed. Probes with the media module, so it is
// safe on any thread and belongs off the UI thread.
QString soundtrack_file(const QString& path);

}  // namespace cosmos3::ui
