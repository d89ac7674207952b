#include "ui/studio/action_plot_panel.h"

#include "ui/action/action_plot_widget.h"
#include "ui/action/action_sequence_model.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QLabel>
#include <QVBoxLayout>

#include <exception>

namespace cosmos3::ui {
namespace {

// The name the worker gives predicted actions (parallel/backend/action_job.cpp).
const QString kActionFileName = QStringLiteral("sample_action.json");

QString action_output_of(const QueuedJob& job) {
  if (job.state != JobState::Done) return {};
  for (const QJsonValue output : job.result.value(QStringLiteral("outputs")).toArray()) {
    if (QFileInfo(output.toString()).fileName() == kActionFileName) return output.toString();
  }
  return {};
}

}  // namespace

ActionPlotPanel::ActionPlotPanel(QWidget* parent)
    : QWidget(parent),
      sequence_(new ActionSequenceModel(this)),
      plot_(new ActionPlotWidget(this)),
      caption_(new QLabel(this)) {
  plot_->setObjectName(QStringLiteral("action_plot"));
  plot_->setModel(sequence_);
  caption_->setObjectName(QStringLiteral("action_plot_caption"));
  caption_->setWordWrap(true);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(caption_);
  layout->addWidget(plot_, 1);
  setVisible(false);
}

void ActionPlotPanel::showJob(const QueuedJob& job) {
  const QString path = action_output_of(job);
  if (path.isEmpty()) {
    sequence_->clear();
    setVisible(false);
    return;
  }
  setVisible(true);
  try {
    sequence_->load(path);
  } catch (const std::exception& error) {
    caption_->setText(
        tr("Predicted actions cannot be shown: %1").arg(QString::fromUtf8(error.what())));
    return;
  }
  caption_->setText(tr("Predicted actions of job %1: %n channel(s) over %2 steps (%3)", nullptr,
                       sequence_->columnCount())
                        .arg(job.id)
                        .arg(sequence_->rowCount())
                        .arg(path));
}

}  // namespace cosmos3::ui
