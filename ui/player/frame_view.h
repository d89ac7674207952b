#pragma once
// Paints one frame scaled to fit with its aspect ratio kept (never enlarged past its own size,
// so a small still stays sharp and an image that fits shows at full resolution), or a
// placeholder text when there is no frame.

#include <QImage>
#include <QString>
#include <QWidget>

namespace cosmos3::ui {

class FrameView : public QWidget {
  Q_OBJECT

 public:
  explicit FrameView(QWidget* parent = nullptr);

  void set_image(const QImage& image);
  void set_placeholder(const QString& text);
  const QImage& image() const { return image_; }
  // Where the image lands inside the widget (empty without an image).
  QRect image_rect() const;

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  QImage image_;
  QString placeholder_;
};

}  // namespace cosmos3::ui
