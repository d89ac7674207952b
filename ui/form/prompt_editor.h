#pragma once
// A prompt (or negative prompt) editor for plain text and Cosmos3 JSON captions: a prompt that
// starts with '{' is checked as JSON on every edit, the parse error's line and column shown
// under the editor, and "Pretty-print" reformats it once it parses. In one-job-per-line mode
// each line is a prompt of its own and is checked on its own.

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace cosmos3::ui {

class PromptEditor : public QWidget {
  Q_OBJECT

 public:
  explicit PromptEditor(const QString& placeholder, QWidget* parent = nullptr);

  QString text() const;
  void setText(const QString& text);

  // Lines are checked one by one (a list of prompts) rather than the text as a whole.
  void setOneItemPerLine(bool one_item_per_line);

  // False while the text (or a line of it) is broken JSON.
  bool isValid() const { return error_.isEmpty(); }
  // The JSON problem shown under the editor ("line 3, column 7: ..."), empty when none.
  QString errorMessage() const { return error_; }

 public Q_SLOTS:
  void prettyPrint();

 Q_SIGNALS:
  void textChanged();
  void validityChanged(bool valid);

 private:
  void recheck();
  QString problem_of_text() const;
  QString problem_of_lines() const;

  QPlainTextEdit* edit_;
  QPushButton* pretty_print_button_;
  QLabel* error_label_;
  QString error_;
  bool one_item_per_line_ = false;
};

}  // namespace cosmos3::ui
