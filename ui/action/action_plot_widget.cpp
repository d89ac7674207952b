#include "ui/action/action_plot_widget.h"

#include <QAbstractItemModel>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>
#include <limits>

namespace cosmos3::ui {
namespace {

constexpr int kMargin = 8;
constexpr int kAxisLabelWidth = 44;   // room for the value labels left of the plot
constexpr int kAxisLabelHeight = 30;  // room for the step labels and axis title below it
constexpr int kLegendRowHeight = 16;
constexpr int kLegendColumnWidth = 64;
constexpr int kSwatchSize = 10;

struct ValueRange {
  double low = 0;
  double high = 1;
};

ValueRange value_range(const QAbstractItemModel& model) {
  double low = std::numeric_limits<double>::infinity();
  double high = -low;
  for (int row = 0; row < model.rowCount(); ++row) {
    for (int column = 0; column < model.columnCount(); ++column) {
      const double value = model.index(row, column).data().toDouble();
      low = std::min(low, value);
      high = std::max(high, value);
    }
  }
  if (!std::isfinite(low) || !std::isfinite(high)) return {};
  if (high - low < 1e-9) return {low - 0.5, high + 0.5};  // a flat sequence still shows a line
  return {low, high};
}

// About `num_ticks` round steps across [0, last].
int tick_step(int last, int num_ticks) {
  const int raw = std::max(1, last / std::max(1, num_ticks));
  for (const int step : {1, 2, 5, 10, 20, 25, 50, 100, 200, 500}) {
    if (step >= raw) return step;
  }
  return raw;
}

}  // namespace

ActionPlotWidget::ActionPlotWidget(QWidget* parent) : QWidget(parent) {
  setAttribute(Qt::WA_OpaquePaintEvent);
}

void ActionPlotWidget::setModel(QAbstractItemModel* model) {
  if (model_) disconnect(model_, nullptr, this, nullptr);
  model_ = model;
  if (model_) {
    const auto repaint = [this] { update(); };
    connect(model_, &QAbstractItemModel::modelReset, this, repaint);
    connect(model_, &QAbstractItemModel::dataChanged, this, repaint);
    connect(model_, &QAbstractItemModel::rowsInserted, this, repaint);
    connect(model_, &QAbstractItemModel::rowsRemoved, this, repaint);
  }
  update();
}

int ActionPlotWidget::channelCount() const { return model_ ? model_->columnCount() : 0; }

int ActionPlotWidget::stepCount() const { return model_ ? model_->rowCount() : 0; }

QColor ActionPlotWidget::channelColor(int channel, int num_channels) {
  // Hues spread around the wheel; alternate lightness keeps neighbours apart for many channels.
  const int hue = num_channels > 0 ? (channel * 360 / num_channels) % 360 : 0;
  return QColor::fromHsv(hue, 200, channel % 2 == 0 ? 210 : 150);
}

void ActionPlotWidget::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), palette().base());
  painter.setRenderHint(QPainter::Antialiasing);
  const int num_channels = channelCount();
  const int num_steps = stepCount();
  if (num_channels == 0 || num_steps == 0) {
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(rect(), Qt::AlignCenter, tr("No predicted actions"));
    return;
  }
  // The legend takes as many columns as its rows need at the widget's height.
  const int num_legend_rows = std::max(1, (height() - 2 * kMargin) / kLegendRowHeight);
  const int num_legend_columns = (num_channels + num_legend_rows - 1) / num_legend_rows;
  const QRect plot(
      kMargin + kAxisLabelWidth, kMargin,
      width() - 3 * kMargin - kAxisLabelWidth - num_legend_columns * kLegendColumnWidth,
      height() - 2 * kMargin - kAxisLabelHeight);
  if (plot.width() < 20 || plot.height() < 20) return;
  const ValueRange range = value_range(*model_);
  const int last_step = std::max(1, num_steps - 1);
  const auto x_of = [&](double step) { return plot.left() + step / last_step * plot.width(); };
  const auto y_of = [&](double value) {
    return plot.bottom() - (value - range.low) / (range.high - range.low) * plot.height();
  };

  const QColor text = palette().color(QPalette::Text);
  QColor grid = text;
  grid.setAlpha(40);
  painter.setPen(text);
  painter.drawRect(plot);
  for (int tick = 0; tick <= 4; ++tick) {
    const double value = range.low + (range.high - range.low) * tick / 4;
    const double y = y_of(value);
    painter.setPen(grid);
    painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
    painter.setPen(text);
    painter.drawText(QRectF(kMargin, y - 8, kAxisLabelWidth - 4, 16),
                     Qt::AlignRight | Qt::AlignVCenter, QString::number(value, 'g', 3));
  }
  const int step_tick = tick_step(last_step, std::max(1, plot.width() / 50));
  for (int step = 0; step <= last_step; step += step_tick) {
    const double x = x_of(step);
    painter.setPen(grid);
    painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
    painter.setPen(text);
    painter.drawText(QRectF(x - 20, plot.bottom() + 2, 40, 14), Qt::AlignCenter,
                     QString::number(step));
  }
  painter.drawText(QRect(plot.left(), plot.bottom() + 15, plot.width(), 14), Qt::AlignCenter,
                   tr("action step"));

  painter.setClipRect(plot.adjusted(-1, -1, 1, 1));
  for (int channel = 0; channel < num_channels; ++channel) {
    QPainterPath line;
    for (int step = 0; step < num_steps; ++step) {
      const QPointF point(x_of(step), y_of(model_->index(step, channel).data().toDouble()));
      if (step == 0) {
        line.moveTo(point);
      } else {
        line.lineTo(point);
      }
    }
    painter.setPen(QPen(channelColor(channel, num_channels), 1.5));
    painter.drawPath(line);
  }
  painter.setClipping(false);

  const int legend_left = plot.right() + 2 * kMargin;
  for (int channel = 0; channel < num_channels; ++channel) {
    const int column = channel / num_legend_rows;
    const int row = channel % num_legend_rows;
    const QRect entry(legend_left + column * kLegendColumnWidth, kMargin + row * kLegendRowHeight,
                      kLegendColumnWidth, kLegendRowHeight);
    painter.fillRect(
        QRect(entry.left(), entry.center().y() - kSwatchSize / 2, kSwatchSize, kSwatchSize),
        channelColor(channel, num_channels));
    painter.setPen(text);
    painter.drawText(entry.adjusted(kSwatchSize + 4, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
                     model_->headerData(channel, Qt::Horizontal).toString());
  }
}

}  // namespace cosmos3::ui
