#include "ui/studio/models_dialog.h"

#include "ui/models/model_page.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QVBoxLayout>

namespace cosmos3::ui {

ModelsDialog::ModelsDialog(const QString& models_root, const QString& hub_token, QWidget* parent)
    : QDialog(parent) {
  setWindowTitle(tr("Models"));
  auto* layout = new QVBoxLayout(this);
  auto* token_form = new QFormLayout;
  token_edit_ = new QLineEdit(hub_token, this);
  token_edit_->setObjectName(QStringLiteral("hub_token"));
  token_edit_->setEchoMode(QLineEdit::Password);
  token_edit_->setPlaceholderText(tr("empty: HF_TOKEN or the Hugging Face CLI's login"));
  token_form->addRow(tr("Hugging Face token"), token_edit_);
  layout->addLayout(token_form);
  page_ = new ModelPage(models_root, this);
  page_->setAccessToken(hub_token);
  layout->addWidget(page_, 1);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  layout->addWidget(buttons);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  // The token applies to the next listing or download, and is kept for the next session.
  connect(token_edit_, &QLineEdit::editingFinished, this, [this] {
    page_->setAccessToken(hubToken());
    Q_EMIT hubTokenChanged(hubToken());
  });
  connect(page_, &ModelPage::modelChosen, this, [this](const QString& folder) {
    Q_EMIT modelChosen(folder);
    accept();
  });
  resize(900, 640);
}

QString ModelsDialog::hubToken() const { return token_edit_->text().trimmed(); }

}  // namespace cosmos3::ui
