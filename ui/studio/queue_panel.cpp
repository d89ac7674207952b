#include "ui/studio/queue_panel.h"

#include "ui/queue/job_queue_model.h"
#include "ui/studio/job_dispatcher.h"
#include "ui/studio/job_item_delegate.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QToolButton>
#include <QVBoxLayout>

#include <exception>

namespace cosmos3::ui {

QueuePanel::QueuePanel(JobQueueModel& model, JobDispatcher& dispatcher, QWidget* parent)
    : QWidget(parent),
      model_(model),
      dispatcher_(dispatcher),
      view_(new QListView(this)),
      progress_line_(new QLabel(this)),
      queue_eta_(new QLabel(this)) {
  view_->setObjectName(QStringLiteral("queue_view"));
  view_->setModel(&model_);
  view_->setItemDelegate(new JobItemDelegate(view_));
  view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  view_->setDragDropMode(QAbstractItemView::InternalMove);
  view_->setDefaultDropAction(Qt::MoveAction);
  view_->setContextMenuPolicy(Qt::CustomContextMenu);
  view_->setAlternatingRowColors(true);
  progress_line_->setObjectName(QStringLiteral("progress_line"));
  queue_eta_->setObjectName(QStringLiteral("queue_eta"));
  progress_line_->setText(tr("Idle"));

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(new QLabel(tr("<b>Queue</b>"), this));
  layout->addWidget(view_, 1);
  build_actions();
  layout->addWidget(progress_line_);
  layout->addWidget(queue_eta_);

  connect(&dispatcher_, &JobDispatcher::progressTextChanged, this, [this](const QString& text) {
    progress_line_->setText(text.isEmpty() ? tr("Idle") : text);
  });
  connect(&model_, &JobQueueModel::queue_eta_changed, this, [this](const QString& text) {
    queue_eta_->setText(text.isEmpty() ? QString() : tr("Queue: %1").arg(text));
  });
  connect(view_, &QWidget::customContextMenuRequested, this, &QueuePanel::show_context_menu);
  connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
    update_buttons();
    const QList<qint64> ids = selectedIds();
    if (ids.size() == 1) Q_EMIT jobSelected(ids.first());
  });
  update_buttons();
}

QList<qint64> QueuePanel::selectedIds() const {
  return model_.ids_of(view_->selectionModel()->selectedIndexes());
}

void QueuePanel::run_guarded(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::exception& error) {
    Q_EMIT actionFailed(QString::fromUtf8(error.what()));
  }
}

void QueuePanel::build_actions() {
  const auto make = [this](const QString& text, const QString& name, auto handler) {
    auto* action = new QAction(text, this);
    action->setObjectName(name);
    connect(action, &QAction::triggered, this, [this, handler] { run_guarded(handler); });
    return action;
  };
  QAction* cancel = make(tr("Cancel / remove"), QStringLiteral("cancel_or_remove"),
                         [this] { dispatcher_.cancelOrRemove(selectedIds()); });
  QAction* retry =
      make(tr("Retry"), QStringLiteral("retry"), [this] { dispatcher_.retry(selectedIds()); });
  QAction* duplicate = make(tr("Duplicate into editor"), QStringLiteral("duplicate"), [this] {
    const int row = model_.row_of(selectedIds().value(0));
    if (row >= 0) Q_EMIT duplicateRequested(model_.jobs().at(row).request);
  });
  QAction* front = make(tr("Move to front"), QStringLiteral("move_to_front"),
                        [this] { model_.move_to_front(selectedIds()); });
  QAction* clear = make(tr("Clear finished"), QStringLiteral("clear_finished"),
                        [this] { model_.clear_finished(); });
  auto* pause = new QAction(tr("Pause after current"), this);
  pause->setObjectName(QStringLiteral("pause_after_current"));
  pause->setCheckable(true);
  connect(pause, &QAction::toggled, &dispatcher_, &JobDispatcher::setPaused);
  connect(&dispatcher_, &JobDispatcher::pausedChanged, pause, &QAction::setChecked);
  selection_actions_ = {cancel, retry, duplicate, front};

  auto* buttons = new QHBoxLayout;
  for (QAction* action : {cancel, retry, duplicate, front, clear, pause}) {
    auto* button = new QToolButton(this);
    button->setDefaultAction(action);
    buttons->addWidget(button);
    view_->addAction(action);
  }
  buttons->addStretch(1);
  static_cast<QVBoxLayout*>(layout())->addLayout(buttons);
}

void QueuePanel::update_buttons() {
  const bool any = !selectedIds().isEmpty();
  for (QAction* action : selection_actions_) action->setEnabled(any);
}

void QueuePanel::show_context_menu(const QPoint& position) {
  QMenu menu(this);
  menu.addActions(view_->actions());
  menu.exec(view_->viewport()->mapToGlobal(position));
}

}  // namespace cosmos3::ui
