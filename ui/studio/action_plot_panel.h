#pragma once
// Beside the player: the predicted action channels of the job shown (policy and inverse
// dynamics write them as sample_action.json among the job's outputs), with the file it came
// from. Hidden for jobs without predicted actions.

#include "ui/queue/queued_job.h"

#include <QWidget>

class QLabel;

namespace cosmos3::ui {

class ActionPlotWidget;
class ActionSequenceModel;

class ActionPlotPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ActionPlotPanel(QWidget* parent = nullptr);

  // Shows `job`'s predicted actions, or hides the panel when it has none. A file that cannot be
  // read is named in the panel instead of a plot.
  void showJob(const QueuedJob& job);

  ActionPlotWidget& plot() { return *plot_; }
  ActionSequenceModel& sequence() { return *sequence_; }

 private:
  ActionSequenceModel* sequence_;
  ActionPlotWidget* plot_;
  QLabel* caption_;
};

}  // namespace cosmos3::ui
