#pragma once
// The red message under a form field: hidden while there is nothing to say, so an empty label
// takes no room. One look for every field of the form and its panels.

#include <QLabel>
#include <QString>

namespace cosmos3::ui {

// A hidden, word-wrapped message label named `name` (tests find it by that name).
inline QLabel* message_label(QWidget* parent, const char* name) {
  auto* label = new QLabel(parent);
  label->setObjectName(QLatin1String(name));
  label->setWordWrap(true);
  label->setStyleSheet(QStringLiteral("color: #c62828"));
  label->setVisible(false);
  return label;
}

// Shows `message`, or hides the label when it is empty.
inline void show_message(QLabel* label, const QString& message) {
  label->setText(message);
  label->setVisible(!message.isEmpty());
}

}  // namespace cosmos3::ui
