#include "ui/form/guidance_interval_field.h"

#include "ui/form/field_message.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

namespace cosmos3::ui {
namespace {

constexpr int kMaxTimestep = 1000;

QSpinBox* timestep_box(QWidget* parent, const QString& name, int value) {
  auto* box = new QSpinBox(parent);
  box->setObjectName(name);
  box->setRange(0, kMaxTimestep);
  box->setValue(value);
  return box;
}

}  // namespace

GuidanceIntervalField::GuidanceIntervalField(const QString& name, QWidget* parent)
    : QWidget(parent),
      on_(new QCheckBox(tr("on"), this)),
      low_(timestep_box(this, name + QStringLiteral("_low"), 0)),
      high_(timestep_box(this, name + QStringLiteral("_high"), kMaxTimestep)),
      message_(message_label(this, (name + QStringLiteral("_error")).toLatin1().constData())) {
  setObjectName(name);
  on_->setObjectName(name + QStringLiteral("_on"));
  on_->setToolTip(tr("Off: the guidance acts at every step"));
  low_->setToolTip(tr("The lowest timestep (0..1000) at which the guidance acts"));
  high_->setToolTip(tr("The highest timestep (0..1000) at which the guidance acts"));
  auto* line = new QHBoxLayout;
  line->addWidget(on_);
  line->addWidget(low_);
  line->addWidget(high_);
  line->addStretch();
  auto* column = new QVBoxLayout(this);
  column->setContentsMargins(0, 0, 0, 0);
  column->addLayout(line);
  column->addWidget(message_);
  const auto edited = [this] {
    low_->setEnabled(on_->isChecked());
    high_->setEnabled(on_->isChecked());
    Q_EMIT changed();
  };
  connect(on_, &QCheckBox::toggled, this, edited);
  connect(low_, &QSpinBox::valueChanged, this, edited);
  connect(high_, &QSpinBox::valueChanged, this, edited);
  setInterval(std::nullopt);
}

TimestepInterval GuidanceIntervalField::interval() const {
  if (!on_->isChecked()) return std::nullopt;
  return std::pair{low_->value(), high_->value()};
}

void GuidanceIntervalField::setInterval(const TimestepInterval& interval) {
  const QSignalBlocker block_on(on_);
  const QSignalBlocker block_low(low_);
  const QSignalBlocker block_high(high_);
  on_->setChecked(interval.has_value());
  // Off keeps the last range shown, so turning it on again restores what the user had.
  if (interval) {
    low_->setValue(interval->first);
    high_->setValue(interval->second);
  }
  low_->setEnabled(on_->isChecked());
  high_->setEnabled(on_->isChecked());
}

void GuidanceIntervalField::showMessage(const QString& message) { show_message(message_, message); }

}  // namespace cosmos3::ui
