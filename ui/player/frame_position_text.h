#pragma once
// The player's position label: "frame 12 / 189, 00:00.46". Frames are counted from 1 as a
// viewer counts them (frame index 0 is "frame 1"); the time is when that frame starts.

#include <QString>

namespace cosmos3::ui {

QString frame_position_text(int frame_index, int num_frames, double fps);

}  // namespace cosmos3::ui
