#pragma once
// The settings' choice of the jobs' precision: bf16 (exact, the model's own arithmetic) or FP8
// (rowwise-scaled e4m3 GEMMs in all but the first and last 3 steps: faster, slightly different
// pixels). FP8 needs a CUDA GPU and bfloat16 weights; where the group has neither, the choice
// is disabled and says why.

#include <QString>
#include <QWidget>

class QComboBox;
class QLabel;

namespace cosmos3::ui {

class PrecisionChoice : public QWidget {
  Q_OBJECT

 public:
  // `precision`: "bf16" or "fp8" (anything else reads as bf16).
  explicit PrecisionChoice(const QString& precision, QWidget* parent = nullptr);

  // The user's choice, kept even while FP8 cannot run, so a later GPU group gets it back.
  QString precision() const;
  // Empty: FP8 can run. Otherwise why not; the choice is disabled and shows it.
  void setFp8Blocker(const QString& reason);
  QString fp8Blocker() const { return blocker_; }

 Q_SIGNALS:
  // The user picked another precision: FP8's weight copies change the memory per GPU.
  void precisionChanged();

 private:
  QComboBox* combo_ = nullptr;
  QLabel* reason_ = nullptr;
  QString blocker_;
};

}  // namespace cosmos3::ui
