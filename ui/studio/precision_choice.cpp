#include "ui/studio/precision_choice.h"

#include <QComboBox>
#include <QLabel>
#include <QVBoxLayout>

namespace cosmos3::ui {

PrecisionChoice::PrecisionChoice(const QString& precision, QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  combo_ = new QComboBox(this);
  combo_->setObjectName(QStringLiteral("precision"));
  combo_->addItem(tr("bf16 (exact)"), QStringLiteral("bf16"));
  combo_->addItem(tr("FP8 (fast)"), QStringLiteral("fp8"));
  combo_->setCurrentIndex(precision == QLatin1String("fp8") ? 1 : 0);
  combo_->setToolTip(
      tr("bf16 runs the model exactly as trained.\nFP8 runs the generation tower's matrix "
         "products, and its attention where FlashAttention-3 is installed, in 8-bit floating "
         "point in all but the first and last 3 steps. It trades exactness for speed: a forward "
         "is faster (on an H200 about 25% at 480p and 28% at 720p), the output differs from "
         "bf16's for the same seed (a few percent of the final latents), and an 8-bit copy of "
         "the weights takes more GPU memory (about 6.5 GiB for Nano, counted in the layouts' "
         "memory).\nFP8 needs a CUDA GPU and bfloat16 weights. Transfer and action jobs run "
         "in bf16: they have no FP8 path."));
  layout->addWidget(combo_);
  connect(combo_, &QComboBox::currentIndexChanged, this, &PrecisionChoice::precisionChanged);
  reason_ = new QLabel(this);
  reason_->setObjectName(QStringLiteral("precision_message"));
  reason_->setWordWrap(true);
  reason_->hide();
  layout->addWidget(reason_);
}

QString PrecisionChoice::precision() const { return combo_->currentData().toString(); }

void PrecisionChoice::setFp8Blocker(const QString& reason) {
  blocker_ = reason;
  combo_->setEnabled(reason.isEmpty());
  reason_->setText(reason);
  reason_->setVisible(!reason.isEmpty());
}

}  // namespace cosmos3::ui
