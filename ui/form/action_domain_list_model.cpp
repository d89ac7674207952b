#include "ui/form/action_domain_list_model.h"

#include "core/pipeline/action_domain.h"

namespace cosmos3::ui {

ActionDomainListModel::ActionDomainListModel(const model::TransformerConfig& config,
                                             QObject* parent)
    : QAbstractListModel(parent) {
  for (const pipeline::EmbodimentDomain& domain : pipeline::embodiment_domains()) {
    if (!domain.raw_action_width || *domain.raw_action_width > config.action_dim ||
        domain.domain_id >= config.num_embodiment_domains) {
      continue;
    }
    domains_.push_back(
        {QString::fromStdString(domain.name), static_cast<int>(*domain.raw_action_width)});
  }
}

int ActionDomainListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(domains_.size());
}

QVariant ActionDomainListModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const Domain& domain = domains_[static_cast<size_t>(index.row())];
  switch (role) {
    case Qt::DisplayRole:
      return tr("%1 (%n channel(s))", nullptr, domain.width).arg(domain.name);
    case Qt::ToolTipRole:
      return tr("Actions of %1 have %n number(s) per step", nullptr, domain.width).arg(domain.name);
    case kNameRole:
      return domain.name;
    case kWidthRole:
      return domain.width;
    default:
      return {};
  }
}

int ActionDomainListModel::rowOf(const QString& name) const {
  for (size_t row = 0; row < domains_.size(); ++row) {
    if (domains_[row].name == name) return static_cast<int>(row);
  }
  return -1;
}

}  // namespace cosmos3::ui
