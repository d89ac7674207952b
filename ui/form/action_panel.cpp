#include "ui/form/action_panel.h"

#include "core/pipeline/action_canvas.h"
#include "core/pipeline/action_caption.h"
#include "ui/form/action_domain_list_model.h"
#include "ui/form/action_file_checker.h"
#include "ui/form/field_message.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace cosmos3::ui {
ActionPanel::ActionPanel(const CheckpointCapabilities& capabilities, QWidget* parent)
    : QWidget(parent),
      capabilities_(capabilities),
      domains_(new ActionDomainListModel(capabilities.transformer_config(), this)),
      checker_(new ActionFileChecker(this)),
      layout_(new QFormLayout(this)),
      mode_(new QComboBox(this)),
      domain_(new QComboBox(this)),
      chunk_size_(new QSpinBox(this)),
      resolution_tier_(new QComboBox(this)),
      view_point_(new QComboBox(this)),
      actions_row_(nullptr),
      actions_path_(new QLineEdit(this)),
      choose_actions_(new QPushButton(tr("Choose…"), this)),
      actions_message_(message_label(this, "actions_file_error")),
      action_message_(message_label(this, "action_error")) {
  mode_->setObjectName(QStringLiteral("action_mode"));
  for (const ActionModeChoice mode :
       {ActionModeChoice::kNone, ActionModeChoice::kPolicy, ActionModeChoice::kForwardDynamics,
        ActionModeChoice::kInverseDynamics}) {
    mode_->addItem(display_name(mode), static_cast<int>(mode));
  }
  domain_->setObjectName(QStringLiteral("action_domain"));
  domain_->setModel(domains_);
  chunk_size_->setObjectName(QStringLiteral("chunk_size"));
  // Wide on purpose: a value the engine refuses is explained, not clamped.
  chunk_size_->setRange(0, 10000);
  chunk_size_->setValue(ActionValues{}.chunk_size);
  chunk_size_->setToolTip(tr("Action steps; the clip has this many frames plus one"));
  resolution_tier_->setObjectName(QStringLiteral("resolution_tier"));
  for (const int64_t tier : pipeline::action_resolution_tiers()) {
    resolution_tier_->addItem(QString::number(tier), static_cast<int>(tier));
  }
  resolution_tier_->setCurrentIndex(resolution_tier_->findData(ActionValues{}.resolution_tier));
  view_point_->setObjectName(QStringLiteral("view_point"));
  for (const std::string& view_point : pipeline::action_view_points()) {
    view_point_->addItem(QString::fromStdString(view_point), QString::fromStdString(view_point));
  }
  view_point_->setCurrentIndex(view_point_->findData(ActionValues{}.view_point));

  layout_->setContentsMargins(0, 0, 0, 0);
  layout_->addRow(tr("Action mode"), mode_);
  layout_->addRow(tr("Domain"), domain_);
  layout_->addRow(tr("Chunk size"), chunk_size_);
  layout_->addRow(tr("Resolution tier"), resolution_tier_);
  layout_->addRow(tr("View point"), view_point_);
  actions_row_ = build_actions_row();
  layout_->addRow(tr("Actions file"), actions_row_);
  layout_->addRow(action_message_);

  const auto edited = [this] {
    if (!syncing_) Q_EMIT changed();
  };
  connect(mode_, &QComboBox::activated, this, [this, edited] {
    const auto mode = static_cast<ActionModeChoice>(mode_->currentData().toInt());
    show_mode(mode);
    Q_EMIT modeChosen(mode);
    edited();
  });
  connect(domain_, &QComboBox::currentIndexChanged, this, [this, edited] {
    check_actions_file();  // the width to check against changed
    edited();
  });
  connect(chunk_size_, &QSpinBox::valueChanged, this, edited);
  connect(resolution_tier_, &QComboBox::currentIndexChanged, this, edited);
  connect(view_point_, &QComboBox::currentIndexChanged, this, edited);
  connect(choose_actions_, &QPushButton::clicked, this, &ActionPanel::chooseActionsFile);
  connect(actions_path_, &QLineEdit::editingFinished, this,
          [this] { setActionsFile(actions_path_->text()); });
  connect(checker_, &ActionFileChecker::checked, this,
          [this](const QString& path, const QString& problem, int num_steps) {
            if (path != actions_path_->text()) return;
            actions_problem_ = problem;
            actions_path_->setToolTip(
                problem.isEmpty() ? tr("%n action step(s)", nullptr, num_steps) : problem);
            Q_EMIT changed();
          });
  show_mode(ActionModeChoice::kNone);
}

QWidget* ActionPanel::build_actions_row() {
  actions_path_->setObjectName(QStringLiteral("actions_path"));
  actions_path_->setPlaceholderText(tr("JSON [T, D] or [1, T, D]: forward dynamics only"));
  choose_actions_->setObjectName(QStringLiteral("choose_actions"));
  auto* row = new QWidget(this);
  auto* column = new QVBoxLayout(row);
  column->setContentsMargins(0, 0, 0, 0);
  auto* line = new QHBoxLayout;
  line->addWidget(actions_path_, 1);
  line->addWidget(choose_actions_);
  column->addLayout(line);
  column->addWidget(actions_message_);
  return row;
}

void ActionPanel::show_mode(ActionModeChoice mode) {
  const bool enabled = mode != ActionModeChoice::kNone;
  for (QWidget* field :
       {static_cast<QWidget*>(domain_), static_cast<QWidget*>(chunk_size_),
        static_cast<QWidget*>(resolution_tier_), static_cast<QWidget*>(view_point_)}) {
    layout_->setRowVisible(field, enabled);
  }
  layout_->setRowVisible(actions_row_, mode == ActionModeChoice::kForwardDynamics);
}

void ActionPanel::chooseActionsFile() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Actions for forward dynamics"),
                                                    QFileInfo(actions_path_->text()).path(),
                                                    tr("Actions (*.json);;All files (*)"));
  if (!path.isEmpty()) setActionsFile(path);
}

void ActionPanel::setActionsFile(const QString& path) {
  actions_path_->setText(path);
  check_actions_file();
  if (!syncing_) Q_EMIT changed();
}

void ActionPanel::check_actions_file() {
  const QString path = actions_path_->text();
  const int row = domain_->currentIndex();
  if (path.isEmpty() || row < 0) {
    actions_problem_.clear();
    return;
  }
  const QModelIndex index = domains_->index(row);
  const QString domain = index.data(ActionDomainListModel::kNameRole).toString();
  actions_problem_ = tr("still reading %1").arg(path);
  checker_->check(path, domain, index.data(ActionDomainListModel::kWidthRole).toInt());
}

bool ActionPanel::isCheckingActionsFile() const { return checker_->isChecking(); }

void ActionPanel::readInto(FormValues& values) const {
  ActionValues& action = values.action;
  action.mode = static_cast<ActionModeChoice>(mode_->currentData().toInt());
  action.domain = domain_->currentData(ActionDomainListModel::kNameRole).toString();
  action.chunk_size = chunk_size_->value();
  action.resolution_tier = resolution_tier_->currentData().toInt();
  action.view_point = view_point_->currentData().toString();
  action.actions_path = actions_path_->text();
  action.actions_problem = actions_path_->text().isEmpty() ? QString() : actions_problem_;
}

void ActionPanel::writeFrom(const ActionValues& values) {
  syncing_ = true;
  mode_->setCurrentIndex(mode_->findData(static_cast<int>(values.mode)));
  if (!values.domain.isEmpty()) domain_->setCurrentIndex(domains_->rowOf(values.domain));
  chunk_size_->setValue(values.chunk_size);
  resolution_tier_->setCurrentIndex(resolution_tier_->findData(values.resolution_tier));
  view_point_->setCurrentIndex(view_point_->findData(values.view_point));
  actions_path_->setText(values.actions_path);
  check_actions_file();
  show_mode(values.mode);
  syncing_ = false;
}

void ActionPanel::showMessages(const QMap<FormField, QString>& messages) {
  show_message(action_message_, messages.value(FormField::kAction));
  show_message(actions_message_, messages.value(FormField::kActionsFile));
}

}  // namespace cosmos3::ui
