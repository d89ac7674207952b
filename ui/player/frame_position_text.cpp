#include "ui/player/frame_position_text.h"

#include <cmath>

namespace cosmos3::ui {

QString frame_position_text(int frame_index, int num_frames, double fps) {
  const double seconds = fps > 0 ? frame_index / fps : 0.0;
  // Hundredths, truncated so a frame never shows a time later than its start.
  const auto hundredths = static_cast<long long>(std::floor(seconds * 100.0 + 1e-6));
  return QStringLiteral("frame %1 / %2, %3:%4.%5")
      .arg(frame_index + 1)
      .arg(num_frames)
      .arg(hundredths / 6000, 2, 10, QLatin1Char('0'))
      .arg(hundredths / 100 % 60, 2, 10, QLatin1Char('0'))
      .arg(hundredths % 100, 2, 10, QLatin1Char('0'));
}

}  // namespace cosmos3::ui
