#include "ui/settings/layout_list_model.h"

#include <QFont>

namespace cosmos3::ui {
namespace {

QString gib(qint64 bytes) {
  return QStringLiteral("%1 GiB").arg(static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0), 0,
                                      'f', 1);
}

}  // namespace

LayoutListModel::LayoutListModel(QObject* parent) : QAbstractTableModel(parent) {}

void LayoutListModel::setOptions(std::vector<parallel::LayoutOption> options, int num_passes) {
  beginResetModel();
  options_ = std::move(options);
  num_passes_ = num_passes;
  endResetModel();
}

int LayoutListModel::rowOf(const parallel::ParallelDegrees& degrees) const {
  for (std::size_t row = 0; row < options_.size(); ++row) {
    const parallel::ParallelDegrees& own = options_[row].degrees;
    if (own.cfg == degrees.cfg && own.tp == degrees.tp && own.cp == degrees.cp) {
      return static_cast<int>(row);
    }
  }
  return -1;
}

int LayoutListModel::recommendedRow() const {
  for (std::size_t row = 0; row < options_.size(); ++row) {
    if (options_[row].recommended) return static_cast<int>(row);
  }
  return -1;
}

int LayoutListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(options_.size());
}

int LayoutListModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : NumColumns;
}

QString LayoutListModel::layoutText(const parallel::ParallelDegrees& degrees) {
  QStringList parts;
  if (degrees.cfg > 1) parts << QStringLiteral("CFG %1").arg(degrees.cfg);
  if (degrees.tp > 1) parts << QStringLiteral("TP %1").arg(degrees.tp);
  if (degrees.cp > 1) parts << QStringLiteral("CP %1").arg(degrees.cp);
  return parts.isEmpty() ? tr("one rank") : parts.join(QStringLiteral(" × "));
}

QString LayoutListModel::note(const parallel::LayoutOption& option) const {
  if (!option.fits) return tr("does not fit: %1").arg(QString::fromStdString(option.reason));
  QStringList parts;
  if (option.recommended) parts << tr("recommended");
  if (option.seconds_measured) parts << tr("time measured here");
  if (option.peak_measured) parts << tr("memory measured here");
  // The planner prices the groups' passes; this says why more groups did not pay.
  if (option.degrees.cfg > num_passes_) {
    const int num_idle = option.degrees.cfg - num_passes_;
    parts << tr("this job runs %1 a step: CFG %2 leaves %3 without a pass of its own")
                 .arg(num_passes_ == 1 ? tr("1 pass") : tr("%1 passes").arg(num_passes_))
                 .arg(option.degrees.cfg)
                 .arg(num_idle == 1 ? tr("1 group") : tr("%1 groups").arg(num_idle));
    if (option.degrees.cfg == 3) {
      parts << tr("CFG 3 pays for transfer jobs with control guidance and guidance both on");
    }
  }
  return parts.join(QStringLiteral(", "));
}

QVariant LayoutListModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const parallel::LayoutOption& option = options_[static_cast<std::size_t>(index.row())];
  if (role == DegreesRole) {
    return QStringLiteral("%1,%2,%3")
        .arg(option.degrees.cfg)
        .arg(option.degrees.tp)
        .arg(option.degrees.cp);
  }
  if (role == RecommendedRole) return option.recommended;
  if (role == Qt::FontRole && option.recommended) {
    QFont bold;
    bold.setBold(true);
    return bold;
  }
  if (role == Qt::ToolTipRole) {
    return tr("%1 ranks; heads per rank %2 query / %3 key-value; context parallelism %4 Ulysses "
              "× %5 ring. Memory per GPU: %6 weights + %7 activations (predicted)%8.")
        .arg(option.degrees.num_ranks())
        .arg(option.heads.num_local_query_heads)
        .arg(option.heads.num_local_key_value_heads)
        .arg(option.heads.ulysses)
        .arg(option.heads.ring)
        .arg(gib(option.predicted_memory.weight_bytes),
             gib(option.predicted_memory.activation_bytes),
             option.peak_measured ? tr("; measured peak %1").arg(gib(option.peak_bytes))
                                  : QString());
  }
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case LayoutColumn:
      return layoutText(option.degrees);
    case MemoryColumn:
      return gib(option.peak_bytes);
    case SecondsColumn:
      return QStringLiteral("%1 s").arg(option.seconds_per_step, 0, 'g', 3);
    case NoteColumn:
      return note(option);
    default:
      return {};
  }
}

QVariant LayoutListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case LayoutColumn:
      return tr("Layout");
    case MemoryColumn:
      return tr("Memory per GPU");
    case SecondsColumn:
      return tr("Seconds per step");
    case NoteColumn:
      return tr("Note");
    default:
      return {};
  }
}

Qt::ItemFlags LayoutListModel::flags(const QModelIndex& index) const {
  if (!index.isValid()) return Qt::NoItemFlags;
  const bool fits = options_[static_cast<std::size_t>(index.row())].fits;
  return fits ? Qt::ItemIsEnabled | Qt::ItemIsSelectable : Qt::NoItemFlags;
}

}  // namespace cosmos3::ui
