#pragma once
// Watches a window for dropped files and hands the first local file to a callback: the
// studio restores a job from an output dropped anywhere the form (whose own drops choose the
// conditioning input) does not take it.

#include <QObject>
#include <QString>

#include <functional>

namespace cosmos3::ui {

class OutputDropFilter : public QObject {
  Q_OBJECT

 public:
  // Installs itself on `window`.
  OutputDropFilter(QWidget& window, std::function<void(const QString& path)> on_drop);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  std::function<void(const QString&)> on_drop_;
};

}  // namespace cosmos3::ui
