#pragma once
// The embodiment domains an action job can name on this checkpoint, from the engine's domain
// table (core/pipeline/action_domain.h): only domains with a raw action width (libero has none,
// and the engine refuses it), whose width fits the transformer's action_dim and whose id is one
// of its embodiment domains, so the list offers nothing the worker would refuse.

#include "core/model/transformer_config.h"

#include <QAbstractListModel>
#include <QString>

#include <vector>

namespace cosmos3::ui {

class ActionDomainListModel : public QAbstractListModel {
  Q_OBJECT

 public:
  // The domain's name (the job's "domain") under this role; the display text adds its width.
  static constexpr int kNameRole = Qt::UserRole;
  // Its raw action width (the number of channels of its actions).
  static constexpr int kWidthRole = Qt::UserRole + 1;

  explicit ActionDomainListModel(const model::TransformerConfig& config, QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

  // The row of `name`, -1 when this checkpoint cannot run it.
  int rowOf(const QString& name) const;

 private:
  struct Domain {
    QString name;
    int width = 0;
  };
  std::vector<Domain> domains_;
};

}  // namespace cosmos3::ui
