#pragma once
// An optional guidance interval of the transfer panel: an "on" box and the LOW and HIGH
// timesteps (0..1000) between which the guidance acts; off, the guidance acts at every step.
// Whole timesteps, as the reference's intervals are written.

#include <QWidget>

#include <optional>
#include <utility>

class QCheckBox;
class QLabel;
class QSpinBox;

namespace cosmos3::ui {

using TimestepInterval = std::optional<std::pair<int, int>>;

class GuidanceIntervalField : public QWidget {
  Q_OBJECT

 public:
  // `name` prefixes the children's object names: NAME_on, NAME_low, NAME_high, NAME_error.
  GuidanceIntervalField(const QString& name, QWidget* parent = nullptr);

  TimestepInterval interval() const;
  void setInterval(const TimestepInterval& interval);
  void showMessage(const QString& message);

 Q_SIGNALS:
  void changed();

 private:
  QCheckBox* on_;
  QSpinBox* low_;
  QSpinBox* high_;
  QLabel* message_;
};

}  // namespace cosmos3::ui
