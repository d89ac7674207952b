#pragma once
// Draws a queue row as two lines: the state and prompt, then progress, ETA or the failure.

#include <QStyledItemDelegate>

namespace cosmos3::ui {

class JobItemDelegate : public QStyledItemDelegate {
  Q_OBJECT

 public:
  using QStyledItemDelegate::QStyledItemDelegate;

 protected:
  void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;
};

}  // namespace cosmos3::ui
