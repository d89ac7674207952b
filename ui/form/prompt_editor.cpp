#include "ui/form/prompt_editor.h"

#include "ui/form/json_prompt_check.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace cosmos3::ui {

PromptEditor::PromptEditor(const QString& placeholder, QWidget* parent)
    : QWidget(parent),
      edit_(new QPlainTextEdit(this)),
      pretty_print_button_(new QPushButton(tr("Pretty-print"), this)),
      error_label_(new QLabel(this)) {
  edit_->setObjectName(QStringLiteral("text"));
  edit_->setPlaceholderText(placeholder);
  edit_->setTabChangesFocus(true);
  pretty_print_button_->setObjectName(QStringLiteral("pretty_print"));
  pretty_print_button_->setToolTip(tr("Indent the JSON prompt, keeping its keys in order"));
  pretty_print_button_->setEnabled(false);
  error_label_->setObjectName(QStringLiteral("error"));
  error_label_->setWordWrap(true);
  error_label_->setStyleSheet(QStringLiteral("color: #c62828"));
  error_label_->setVisible(false);

  auto* actions = new QHBoxLayout;
  actions->addWidget(error_label_, 1);
  actions->addWidget(pretty_print_button_, 0, Qt::AlignTop);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(edit_);
  layout->addLayout(actions);

  connect(edit_, &QPlainTextEdit::textChanged, this, [this] {
    recheck();
    Q_EMIT textChanged();
  });
  connect(pretty_print_button_, &QPushButton::clicked, this, &PromptEditor::prettyPrint);
}

QString PromptEditor::text() const { return edit_->toPlainText(); }

void PromptEditor::setText(const QString& text) {
  if (text != edit_->toPlainText()) {
    edit_->setPlainText(text);
  }
}

void PromptEditor::setOneItemPerLine(bool one_item_per_line) {
  if (one_item_per_line != one_item_per_line_) {
    one_item_per_line_ = one_item_per_line;
    recheck();
  }
}

void PromptEditor::prettyPrint() {
  // A list of prompts stays one prompt a line, so only a whole-text JSON prompt is reformatted.
  if (one_item_per_line_) {
    return;
  }
  if (const std::optional<QString> pretty = pretty_printed_json_prompt(text())) {
    edit_->setPlainText(*pretty);
  }
}

QString PromptEditor::problem_of_text() const {
  const std::optional<JsonPromptError> error = check_json_prompt(text());
  return error ? tr("JSON prompt, %1").arg(error->describe()) : QString();
}

QString PromptEditor::problem_of_lines() const {
  const QStringList lines = text().split(QLatin1Char('\n'));
  for (qsizetype index = 0; index < lines.size(); ++index) {
    if (std::optional<JsonPromptError> error = check_json_prompt(lines[index])) {
      error->line = static_cast<int>(index) + 1;
      return tr("JSON prompt, %1 (one prompt per line: keep each JSON prompt on one line)")
          .arg(error->describe());
    }
  }
  return {};
}

void PromptEditor::recheck() {
  const bool was_valid = isValid();
  error_ = one_item_per_line_ ? problem_of_lines() : problem_of_text();
  error_label_->setText(error_);
  error_label_->setVisible(!error_.isEmpty());
  pretty_print_button_->setEnabled(!one_item_per_line_ && error_.isEmpty() &&
                                   looks_like_json_prompt(text()));
  if (was_valid != isValid()) {
    Q_EMIT validityChanged(isValid());
  }
}

}  // namespace cosmos3::ui
