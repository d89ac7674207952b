#include "ui/form/control_map_preview.h"

#include "core/errors.h"
#include "core/pipeline/transfer_control_maps.h"

#include <ATen/ops/from_blob.h>

namespace cosmos3::ui {

QImage made_control_map(const QImage& frame, const ControlMapSettings& settings, QString* problem) {
  const QImage rgb = frame.convertToFormat(QImage::Format_RGB888);
  // One frame as the engine's [T, H, W, 3] uint8 clip; rows of a QImage are padded to 4 bytes.
  const at::Tensor frames_THW3 =
      at::from_blob(const_cast<uchar*>(rgb.constBits()), {1, rgb.height(), rgb.width(), 3},
                    {0, rgb.bytesPerLine(), 3, 1}, at::kByte)
          .contiguous();
  at::Tensor map_THW3;
  try {
    map_THW3 = settings.hint == pipeline::ControlHint::kEdge
                   ? pipeline::edge_control_frames(
                         frames_THW3, {settings.edge_low_threshold, settings.edge_high_threshold})
                   : pipeline::blur_control_frames(frames_THW3, {settings.blur_sigma});
  } catch (const UserError& error) {
    if (problem) *problem = QString::fromUtf8(error.what());
    return {};
  }
  map_THW3 = map_THW3.contiguous();
  const QImage view(map_THW3.const_data_ptr<uint8_t>(), static_cast<int>(map_THW3.size(2)),
                    static_cast<int>(map_THW3.size(1)), static_cast<int>(map_THW3.size(2) * 3),
                    QImage::Format_RGB888);
  return view.copy();  // the view borrows the tensor, which goes away here
}

}  // namespace cosmos3::ui
