#include "ui/player/frame_view.h"

#include <QPainter>

namespace cosmos3::ui {

FrameView::FrameView(QWidget* parent) : QWidget(parent) {
  setMinimumSize(160, 90);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  // Every pixel is painted (frame plus letterbox bars), so Qt need not clear first.
  setAttribute(Qt::WA_OpaquePaintEvent);
}

void FrameView::set_image(const QImage& image) {
  image_ = image;
  placeholder_.clear();
  update();
}

void FrameView::set_placeholder(const QString& text) {
  image_ = QImage();
  placeholder_ = text;
  update();
}

QRect FrameView::image_rect() const {
  if (image_.isNull()) {
    return {};
  }
  QSize fitted = image_.size();
  if (fitted.width() > width() || fitted.height() > height()) {
    fitted.scale(size(), Qt::KeepAspectRatio);
  }
  QRect placed(QPoint(0, 0), fitted);
  placed.moveCenter(rect().center());
  return placed;
}

void FrameView::paintEvent(QPaintEvent* /*event*/) {
  QPainter painter(this);
  painter.fillRect(rect(), Qt::black);
  if (image_.isNull()) {
    painter.setPen(palette().color(QPalette::Disabled, QPalette::Text));
    painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, placeholder_);
    return;
  }
  painter.setRenderHint(QPainter::SmoothPixmapTransform);
  painter.drawImage(image_rect(), image_);
}

}  // namespace cosmos3::ui
