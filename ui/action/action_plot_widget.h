#pragma once
// The predicted action channels of a job over time: one line per channel (a column of the
// model), the action step on the horizontal axis, the value on the vertical one, and a legend
// naming each channel's colour. Painted with QPainter: Qt Charts is not part of the stack.

#include <QPointer>
#include <QWidget>

class QAbstractItemModel;

namespace cosmos3::ui {

class ActionPlotWidget : public QWidget {
  Q_OBJECT

 public:
  explicit ActionPlotWidget(QWidget* parent = nullptr);

  // Rows are action steps, columns channels (ActionSequenceModel); the model is not owned.
  void setModel(QAbstractItemModel* model);
  int channelCount() const;
  int stepCount() const;
  // The colour of channel `channel`'s line and legend entry.
  static QColor channelColor(int channel, int num_channels);

  QSize sizeHint() const override { return {480, 220}; }
  QSize minimumSizeHint() const override { return {240, 140}; }

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  QPointer<QAbstractItemModel> model_;
};

}  // namespace cosmos3::ui
