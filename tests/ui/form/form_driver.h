#pragma once
// Drives a GenerationForm as a user does: typing into its fields, picking combo items with the
// keyboard, clicking buttons; finds its widgets by their object names.

#include "ui/form/generation_form.h"
#include "ui/form/prompt_editor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QtTest/QtTest>

namespace cosmos3::test {

template <typename Widget>
Widget* child(QWidget& parent, const char* name) {
  auto* widget = parent.findChild<Widget*>(QLatin1String(name));
  if (widget == nullptr) {
    qWarning("no %s named '%s'", Widget::staticMetaObject.className(), name);
  }
  return widget;
}

inline QPlainTextEdit* text_of(ui::PromptEditor* editor) {
  return editor->findChild<QPlainTextEdit*>(QStringLiteral("text"));
}

// Replaces the editor's text by typing it (newlines as Return presses).
inline void type_prompt(ui::PromptEditor* editor, const QString& text) {
  QPlainTextEdit* edit = text_of(editor);
  edit->setFocus();
  edit->selectAll();
  QTest::keyClick(edit, Qt::Key_Delete);
  // keyClicks has no key for '\n': a line break is a Return press, as a user types it.
  const QStringList lines = text.split(QLatin1Char('\n'));
  for (qsizetype index = 0; index < lines.size(); ++index) {
    if (index > 0) {
      QTest::keyClick(edit, Qt::Key_Return);
    }
    QTest::keyClicks(edit, lines[index]);
  }
}

inline void type_into(QSpinBox* box, int value) {
  box->selectAll();
  QTest::keyClicks(box, QString::number(value));
}

inline void type_into(QLineEdit* edit, const QString& text) {
  edit->selectAll();
  QTest::keyClicks(edit, text);
}

// A click on the box itself: a check box in a layout is wider than the part that takes clicks.
inline void click(QCheckBox* box) {
  QTest::mouseClick(box, Qt::LeftButton, Qt::NoModifier, QPoint(6, box->height() / 2));
}

// Home, then Down until the item: each key press is a user's choice (QComboBox::activated).
inline bool choose(QComboBox* combo, const QString& item) {
  const int index = combo->findText(item);
  if (index < 0) {
    return false;
  }
  QTest::keyClick(combo, Qt::Key_Home);
  for (int step = 0; step < index; ++step) {
    QTest::keyClick(combo, Qt::Key_Down);
  }
  return combo->currentIndex() == index;
}

// Jobs as indented JSON text with sorted keys: a readable difference when a comparison fails.
inline QString json_text(const QList<QJsonObject>& jobs) {
  QString text;
  for (const QJsonObject& job : jobs) {
    text += QString::fromUtf8(QJsonDocument(job).toJson());
  }
  return text;
}

}  // namespace cosmos3::test
