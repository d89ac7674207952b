#pragma once
// The history gallery: finished outputs as first-frame thumbnails with their parameters,
// filtered by prompt text and mode. Per selected output: open it, reveal its folder, copy its
// job's parameters (JSON), use it as the input of image/video to video, or delete it (its
// folder goes to the desktop's trash, the job leaves the queue).

#include <QJsonObject>
#include <QString>
#include <QWidget>

class QComboBox;
class QLineEdit;
class QListView;
class QPushButton;

namespace cosmos3::ui {

class HistoryFilterModel;
class HistoryThumbnails;
class JobQueueModel;

class HistoryPanel : public QWidget {
  Q_OBJECT

 public:
  explicit HistoryPanel(JobQueueModel& queue, QWidget* parent = nullptr);

  HistoryFilterModel& model() { return *model_; }
  QListView& view() { return *view_; }
  // The selected output, empty when none.
  QString selectedOutput() const;

 public Q_SLOTS:
  void openSelected();
  void revealSelected();
  // The selected job's request as indented JSON on the clipboard.
  void copySelectedParameters();
  void useSelectedAsInput();
  // Moves the selected job's output folder to the trash and removes the job.
  void deleteSelected();

 Q_SIGNALS:
  // An image (image to video) or a video (video to video) to condition the next job on.
  void useAsInputRequested(const QString& path);
  void actionFailed(const QString& message);

 private:
  qint64 selected_id() const;
  QJsonObject selected_request() const;
  void update_buttons();

  JobQueueModel& queue_;
  HistoryThumbnails* thumbnails_;
  HistoryFilterModel* model_;
  QLineEdit* prompt_filter_;
  QComboBox* mode_filter_;
  QListView* view_;
  QList<QPushButton*> selection_buttons_;
};

}  // namespace cosmos3::ui
