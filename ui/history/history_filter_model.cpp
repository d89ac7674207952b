#include "ui/history/history_filter_model.h"

#include "ui/history/history_thumbnails.h"
#include "ui/queue/job_queue_model.h"

#include <QJsonArray>
#include <QPixmap>

namespace cosmos3::ui {

HistoryFilterModel::HistoryFilterModel(JobQueueModel& queue, HistoryThumbnails& thumbnails,
                                       QObject* parent)
    : QSortFilterProxyModel(parent), queue_(queue), thumbnails_(thumbnails) {
  setSourceModel(&queue_);
  setDynamicSortFilter(true);
  sort(0, Qt::DescendingOrder);
  connect(&thumbnails_, &HistoryThumbnails::thumbnailReady, this, [this](const QString& path) {
    for (int row = 0; row < rowCount(); ++row) {
      const QModelIndex item = index(row, 0);
      if (item.data(OutputPathRole).toString() == path) {
        Q_EMIT dataChanged(item, item, {Qt::DecorationRole});
      }
    }
  });
}

void HistoryFilterModel::setPromptFilter(const QString& text) {
  prompt_filter_ = text.trimmed();
  invalidateFilter();
}

void HistoryFilterModel::setModeFilter(const QString& mode) {
  mode_filter_ = mode;
  invalidateFilter();
}

QString HistoryFilterModel::output_of(const QJsonObject& result) {
  return result.value(QStringLiteral("outputs")).toArray().first().toString();
}

QString HistoryFilterModel::parameters_text(const QJsonObject& request) {
  const auto number = [&](const char* key) {
    return request.value(QLatin1String(key)).toVariant().toString();
  };
  return tr("%1×%2 · %3 frames · %4 steps · guidance %5 · seed %6")
      .arg(number("width"), number("height"), number("num_frames"), number("steps"),
           number("guidance_scale"), number("seed"));
}

qint64 HistoryFilterModel::jobId(const QModelIndex& index) const {
  return index.data(JobQueueModel::IdRole).toLongLong();
}

QVariant HistoryFilterModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  const int source_row = mapToSource(index).row();
  const QueuedJob& job = queue_.jobs().at(source_row);
  switch (role) {
    case OutputPathRole:
      return output_of(job.result);
    case ParametersRole:
      return parameters_text(job.request);
    case Qt::ToolTipRole:
      return job.request.value(QStringLiteral("prompt")).toString().left(500) +
             QStringLiteral("\n") + parameters_text(job.request);
    case Qt::DecorationRole: {
      const QImage image = thumbnails_.thumbnail(output_of(job.result));
      return image.isNull() ? QVariant() : QVariant(QPixmap::fromImage(image));
    }
    default:
      return QSortFilterProxyModel::data(index, role);
  }
}

bool HistoryFilterModel::filterAcceptsRow(int source_row, const QModelIndex&) const {
  const QueuedJob& job = queue_.jobs().at(source_row);
  if (job.state != JobState::Done || output_of(job.result).isEmpty()) return false;
  if (!mode_filter_.isEmpty() && JobQueueModel::mode_of(job.request) != mode_filter_) {
    return false;
  }
  return prompt_filter_.isEmpty() || job.request.value(QStringLiteral("prompt"))
                                         .toString()
                                         .contains(prompt_filter_, Qt::CaseInsensitive);
}

bool HistoryFilterModel::lessThan(const QModelIndex& left, const QModelIndex& right) const {
  const QueuedJob& a = queue_.jobs().at(left.row());
  const QueuedJob& b = queue_.jobs().at(right.row());
  return a.finished != b.finished ? a.finished < b.finished : a.id < b.id;
}

}  // namespace cosmos3::ui
