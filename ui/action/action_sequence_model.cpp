#include "ui/action/action_sequence_model.h"

#include "core/errors.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace cosmos3::ui {
namespace {

// sample_action.json holds chunk x width numbers (hundreds, about 1 MB at the largest chunk and
// domain); a larger file is not one, and is not parsed on the UI thread.
constexpr qint64 kMaxFileBytes = 4 * 1024 * 1024;

[[noreturn]] void refuse(const QString& path, const QString& problem) {
  throw UserError(QStringLiteral("%1: %2").arg(path, problem).toStdString());
}

// [T, D] or [1, T, D], as the engine writes and reads action files.
QJsonArray rows_of(const QJsonDocument& document, const QString& path) {
  if (!document.isArray() || document.array().isEmpty()) {
    refuse(path, QStringLiteral("not a JSON array of action steps"));
  }
  QJsonArray rows = document.array();
  if (rows.size() == 1 && rows.first().isArray() && !rows.first().toArray().isEmpty() &&
      rows.first().toArray().first().isArray()) {
    rows = rows.first().toArray();
  }
  return rows;
}

}  // namespace

ActionSequenceModel::ActionSequenceModel(QObject* parent) : QAbstractTableModel(parent) {}

void ActionSequenceModel::load(const QString& path) {
  clear();
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) refuse(path, file.errorString());
  if (file.size() > kMaxFileBytes) refuse(path, QStringLiteral("too large for an action sequence"));
  QJsonParseError error{};
  const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
  if (error.error != QJsonParseError::NoError) {
    refuse(path, QStringLiteral("not JSON (%1)").arg(error.errorString()));
  }
  QVector<QVector<double>> rows;
  for (const QJsonValue row : rows_of(document, path)) {
    const QJsonArray numbers = row.toArray();
    if (!row.isArray() || numbers.isEmpty()) {
      refuse(path, QStringLiteral("step %1 is not an array of numbers").arg(rows.size()));
    }
    QVector<double> values;
    for (const QJsonValue number : numbers) {
      if (!number.isDouble()) {
        refuse(path,
               QStringLiteral("step %1 holds something other than a number").arg(rows.size()));
      }
      values.push_back(number.toDouble());
    }
    if (!rows.isEmpty() && values.size() != rows.first().size()) {
      refuse(path, QStringLiteral("step %1 has %2 channels, step 0 has %3")
                       .arg(rows.size())
                       .arg(values.size())
                       .arg(rows.first().size()));
    }
    rows.push_back(std::move(values));
  }
  beginResetModel();
  rows_ = std::move(rows);
  path_ = path;
  endResetModel();
}

void ActionSequenceModel::clear() {
  beginResetModel();
  rows_.clear();
  path_.clear();
  endResetModel();
}

int ActionSequenceModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int ActionSequenceModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() || rows_.isEmpty() ? 0 : static_cast<int>(rows_.first().size());
}

QVariant ActionSequenceModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || role != Qt::DisplayRole || index.row() >= rowCount() ||
      index.column() >= columnCount()) {
    return {};
  }
  return rows_[index.row()][index.column()];
}

QVariant ActionSequenceModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (role != Qt::DisplayRole) return {};
  return orientation == Qt::Horizontal ? tr("ch %1").arg(section) : QVariant(section);
}

}  // namespace cosmos3::ui
