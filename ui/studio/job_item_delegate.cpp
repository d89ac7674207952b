#include "ui/studio/job_item_delegate.h"

#include "ui/queue/job_queue_model.h"

namespace cosmos3::ui {

void JobItemDelegate::initStyleOption(QStyleOptionViewItem* option,
                                      const QModelIndex& index) const {
  QStyledItemDelegate::initStyleOption(option, index);
  const QString state = index.data(JobQueueModel::StateRole).toString();
  QString detail = index.data(JobQueueModel::FailureTextRole).toString();
  if (detail.isEmpty()) {
    QStringList parts;
    for (const int role : {JobQueueModel::ProgressTextRole, JobQueueModel::EtaTextRole}) {
      QString part = index.data(role).toString();
      if (part == QLatin1String("unknown")) part = tr("ETA unknown until a job of this size ran");
      if (!part.isEmpty()) parts.append(part);
    }
    detail = parts.join(QStringLiteral(" · "));
  }
  QString text = QStringLiteral("#%1 [%2] %3")
                     .arg(index.data(JobQueueModel::IdRole).toLongLong())
                     .arg(state, index.data(Qt::DisplayRole).toString());
  // A line separator, not '\n': item views lay text out with QTextLayout, which ignores '\n'.
  if (!detail.isEmpty()) text += QChar(QChar::LineSeparator) + detail;
  option->text = text;
  // Two lines: the view's uniform single-line height would cut the detail off.
  option->features |= QStyleOptionViewItem::WrapText;
}

}  // namespace cosmos3::ui
