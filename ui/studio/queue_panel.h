#pragma once
// The queue pane: the list of jobs (drag to reorder), its buttons and context menu, the
// "pause after current" toggle and the progress line.

#include <QJsonObject>
#include <QList>
#include <QWidget>
#include <functional>

class QLabel;
class QListView;
class QPushButton;

namespace cosmos3::ui {

class JobDispatcher;
class JobQueueModel;
struct QueuedJob;

class QueuePanel : public QWidget {
  Q_OBJECT

 public:
  QueuePanel(JobQueueModel& model, JobDispatcher& dispatcher, QWidget* parent = nullptr);

  QListView* view() const { return view_; }
  QList<qint64> selectedIds() const;

 Q_SIGNALS:
  // "Duplicate into the editor" on a job.
  void duplicateRequested(const QJsonObject& request);
  // One job selected: the window shows its output when it has one.
  void jobSelected(qint64 id);
  // A queue action failed (a running job cannot be removed, ...): the message says why.
  void actionFailed(const QString& message);

 private:
  void build_actions();
  void update_buttons();
  void run_guarded(const std::function<void()>& action);
  void show_context_menu(const QPoint& position);

  JobQueueModel& model_;
  JobDispatcher& dispatcher_;
  QListView* view_;
  QLabel* progress_line_;
  QLabel* queue_eta_;
  QList<QAction*> selection_actions_;
};

}  // namespace cosmos3::ui
