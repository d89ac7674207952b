#pragma once
// File > Models…: the model page (ui/models) in a window of its own, with the Hugging Face
// token that gated repositories need. "Use this model" closes it and hands the folder to the
// window, which restarts the backend group on it.

#include <QDialog>

class QLineEdit;

namespace cosmos3::ui {

class ModelPage;

class ModelsDialog : public QDialog {
  Q_OBJECT

 public:
  ModelsDialog(const QString& models_root, const QString& hub_token, QWidget* parent = nullptr);

  ModelPage* page() const { return page_; }
  QString hubToken() const;

 Q_SIGNALS:
  void modelChosen(const QString& folder);
  void hubTokenChanged(const QString& token);

 private:
  ModelPage* page_ = nullptr;
  QLineEdit* token_edit_ = nullptr;
};

}  // namespace cosmos3::ui
