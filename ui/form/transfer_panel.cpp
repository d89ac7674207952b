#include "ui/form/transfer_panel.h"

#include "ui/form/control_preview_strip.h"
#include "ui/form/control_video_reader.h"
#include "ui/form/control_video_row.h"
#include "ui/form/dropped_file.h"
#include "ui/form/field_message.h"
#include "ui/form/form_parsing.h"
#include "ui/form/guidance_interval_field.h"
#include "ui/form/seed_video_row.h"
#include "ui/form/transfer_job_keys.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace cosmos3::ui {
namespace {

QLineEdit* number_field(QWidget* parent, const char* name) {
  auto* field = new QLineEdit(parent);
  field->setObjectName(QLatin1String(name));
  field->setMaximumWidth(90);
  return field;
}

// The hint's name as a row label: "Edge", "Seg".
QString row_label(pipeline::ControlHint hint) {
  QString name = hint_key(hint);
  name[0] = name[0].toUpper();
  return name;
}

}  // namespace

TransferPanel::TransferPanel(QWidget* parent)
    : QWidget(parent),
      layout_(new QFormLayout),
      source_reader_(new ControlVideoReader(this)),
      source_path_(new QLineEdit(this)),
      choose_source_(new QPushButton(tr("Choose…"), this)),
      source_message_(message_label(this, "control_source_error")),
      edge_low_(number_field(this, "edge_low_threshold")),
      edge_high_(number_field(this, "edge_high_threshold")),
      blur_sigma_(number_field(this, "blur_sigma")),
      control_guidance_(number_field(this, "control_guidance")),
      frames_per_chunk_(new QSpinBox(this)),
      conditional_frames_(new QSpinBox(this)),
      guidance_interval_(new GuidanceIntervalField(QStringLiteral("guidance_interval"), this)),
      control_guidance_interval_(
          new GuidanceIntervalField(QStringLiteral("control_guidance_interval"), this)),
      seed_video_(new SeedVideoRow(this)),
      message_(message_label(this, "transfer_error")),
      previews_(new ControlPreviewStrip(this)) {
  layout_->setContentsMargins(0, 0, 0, 0);
  for (const pipeline::ControlHint hint : pipeline::control_hints_in_order()) {
    auto* row = new ControlVideoRow(hint, this);
    rows_.push_back(row);
    layout_->addRow(row_label(hint), row);
  }
  layout_->addRow(tr("Source video"), build_source_row());
  layout_->addRow(tr("Edge thresholds"), build_edge_row());
  layout_->addRow(tr("Blur sigma"), blur_sigma_);
  control_guidance_->setToolTip(tr("How strongly the controls steer; 1 turns it off"));
  layout_->addRow(tr("Control guidance"), control_guidance_);
  frames_per_chunk_->setObjectName(QStringLiteral("num_video_frames_per_chunk"));
  // Wide on purpose: a value the engine refuses is explained, not clamped.
  frames_per_chunk_->setRange(0, 100000);
  frames_per_chunk_->setToolTip(tr("Frames generated per chunk of a long output"));
  layout_->addRow(tr("Frames per chunk"), frames_per_chunk_);
  conditional_frames_->setObjectName(QStringLiteral("num_conditional_frames"));
  conditional_frames_->setRange(-1, 100000);
  conditional_frames_->setToolTip(tr("Frames each chunk repeats from the previous one"));
  layout_->addRow(tr("Conditional frames"), conditional_frames_);
  guidance_interval_->setToolTip(tr("The timesteps at which the text guidance acts"));
  layout_->addRow(tr("Guidance interval"), guidance_interval_);
  control_guidance_interval_->setToolTip(tr("The timesteps at which the control guidance acts"));
  layout_->addRow(tr("Control guidance interval"), control_guidance_interval_);
  layout_->addRow(tr("Seed video"), seed_video_);
  layout_->addRow(message_);
  previews_->setObjectName(QStringLiteral("control_previews"));

  auto* column = new QVBoxLayout(this);
  column->setContentsMargins(0, 0, 0, 0);
  column->addLayout(layout_);
  column->addWidget(previews_);

  const auto edited = [this] {
    update_previews();
    if (!syncing_) Q_EMIT changed();
  };
  for (ControlVideoRow* row : rows_) {
    connect(row, &ControlVideoRow::changed, this, [this, edited] {
      show_made_rows();
      edited();
    });
    connect(row, &ControlVideoRow::originChosen, this, [this] {
      if (!syncing_) Q_EMIT hintsChosen();
    });
  }
  connect(choose_source_, &QPushButton::clicked, this, [this] {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("The video edge and blur controls are made from"),
                                     QFileInfo(source_path_->text()).path(),
                                     tr("Videos (*.mp4 *.mov *.mkv *.webm *.avi);;All files (*)"));
    if (!path.isEmpty()) setControlSource(path);
  });
  connect(source_path_, &QLineEdit::editingFinished, this, [this] {
    if (source_path_->text() != source_info_path_) setControlSource(source_path_->text());
  });
  connect(source_reader_, &ControlVideoReader::videoRead, this,
          [this, edited](const QString& path, const ControlVideoInfo& info) {
            if (path != source_info_path_) return;
            source_info_ = info;
            edited();
          });
  for (QLineEdit* field : {edge_low_, edge_high_, blur_sigma_, control_guidance_}) {
    connect(field, &QLineEdit::textChanged, this, edited);
  }
  connect(frames_per_chunk_, &QSpinBox::valueChanged, this, edited);
  connect(conditional_frames_, &QSpinBox::valueChanged, this, edited);
  for (GuidanceIntervalField* field : {guidance_interval_, control_guidance_interval_}) {
    connect(field, &GuidanceIntervalField::changed, this, edited);
  }
  connect(seed_video_, &SeedVideoRow::changed, this, edited);
  writeFrom(default_transfer_values());
}

QWidget* TransferPanel::build_source_row() {
  source_path_->setObjectName(QStringLiteral("control_source"));
  source_path_->setPlaceholderText(tr("The video edge and blur controls are made from"));
  choose_source_->setObjectName(QStringLiteral("choose_control_source"));
  source_row_ = new QWidget(this);
  source_row_->setAcceptDrops(true);
  source_row_->installEventFilter(this);
  auto* line = new QHBoxLayout;
  line->addWidget(source_path_, 1);
  line->addWidget(choose_source_);
  auto* column = new QVBoxLayout(source_row_);
  column->setContentsMargins(0, 0, 0, 0);
  column->addLayout(line);
  column->addWidget(source_message_);
  return source_row_;
}

QWidget* TransferPanel::build_edge_row() {
  edge_row_ = new QWidget(this);
  edge_low_->setToolTip(tr("Canny's low threshold: pixels above it continue an edge"));
  edge_high_->setToolTip(tr("Canny's high threshold: pixels above it start an edge"));
  auto* line = new QHBoxLayout(edge_row_);
  line->setContentsMargins(0, 0, 0, 0);
  line->addWidget(edge_low_);
  line->addWidget(edge_high_);
  line->addStretch();
  return edge_row_;
}

bool TransferPanel::eventFilter(QObject* watched, QEvent* event) {
  if (watched == source_row_ && event->type() == QEvent::DragEnter) {
    auto* enter = static_cast<QDragEnterEvent*>(event);
    if (!first_local_file(enter->mimeData()).isEmpty()) enter->acceptProposedAction();
    return true;
  }
  if (watched == source_row_ && event->type() == QEvent::Drop) {
    auto* drop = static_cast<QDropEvent*>(event);
    const QString path = first_local_file(drop->mimeData());
    if (!path.isEmpty()) {
      drop->acceptProposedAction();
      setControlSource(path);
    }
    return true;
  }
  return QWidget::eventFilter(watched, event);
}

ControlVideoRow* TransferPanel::row_of(pipeline::ControlHint hint) const {
  for (ControlVideoRow* row : rows_) {
    if (row->hint() == hint) return row;
  }
  return nullptr;
}

void TransferPanel::setControlVideo(pipeline::ControlHint hint, const QString& path) {
  row_of(hint)->setControlVideo(path);
}

void TransferPanel::setControlSource(const QString& path) {
  source_path_->setText(path);
  read_source();
  update_previews();
  if (!syncing_) Q_EMIT changed();
}

void TransferPanel::setSeedVideo(const QString& path) { seed_video_->setSeedVideo(path); }

void TransferPanel::read_source() {
  source_info_path_ = source_path_->text();
  source_info_ = source_reader_->startReading(source_info_path_, tr("the control source"));
}

bool TransferPanel::isReading() const {
  if (source_reader_->isReading() || seed_video_->isReading()) return true;
  for (const ControlVideoRow* row : rows_) {
    if (row->isReading()) return true;
  }
  return false;
}

void TransferPanel::show_made_rows() {
  FormValues values;
  readInto(values);
  const TransferValues& transfer = values.transfer;
  layout_->setRowVisible(source_row_, transfer.makes_any());
  layout_->setRowVisible(edge_row_, transfer.makes(pipeline::ControlHint::kEdge));
  layout_->setRowVisible(blur_sigma_, transfer.makes(pipeline::ControlHint::kBlur));
  for (QWidget* field :
       {static_cast<QWidget*>(control_guidance_), static_cast<QWidget*>(frames_per_chunk_),
        static_cast<QWidget*>(conditional_frames_), static_cast<QWidget*>(guidance_interval_),
        static_cast<QWidget*>(control_guidance_interval_), static_cast<QWidget*>(seed_video_)}) {
    layout_->setRowVisible(field, transfer.enabled());
  }
}

void TransferPanel::update_previews() {
  FormValues values;
  readInto(values);
  const TransferValues& transfer = values.transfer;
  QList<ControlPreview> previews;
  for (const pipeline::ControlHint hint : transfer.hints()) {
    const ControlChoice& control = transfer.controls.value(hint);
    if (control.origin == ControlOrigin::kMadeFromSource) {
      // The map the worker will make, on the source's first frame, while its settings parse
      // (the checks explain them otherwise).
      ControlPreview preview{
          tr("%1 (made from %2)")
              .arg(hint_key(hint), QFileInfo(transfer.control_source).fileName()),
          transfer.control_source,
          ControlMapSettings{hint, parse_decimal(transfer.edge_low_threshold_text).value_or(-1),
                             parse_decimal(transfer.edge_high_threshold_text).value_or(-1),
                             parse_decimal(transfer.blur_sigma_text).value_or(0)}};
      previews.push_back(preview);
    } else {
      previews.push_back({hint_key(hint), control.path, std::nullopt});
    }
  }
  previews_->setPreviews(previews);
}

void TransferPanel::readInto(FormValues& values) const {
  TransferValues& transfer = values.transfer;
  transfer = TransferValues{};
  for (const ControlVideoRow* row : rows_) {
    const ControlChoice choice = row->choice();
    if (choice.origin != ControlOrigin::kNone) transfer.controls.insert(row->hint(), choice);
  }
  transfer.control_source = source_path_->text();
  transfer.control_source_info = source_info_;
  transfer.edge_low_threshold_text = edge_low_->text();
  transfer.edge_high_threshold_text = edge_high_->text();
  transfer.blur_sigma_text = blur_sigma_->text();
  transfer.control_guidance_text = control_guidance_->text();
  transfer.num_video_frames_per_chunk = frames_per_chunk_->value();
  transfer.num_conditional_frames = conditional_frames_->value();
  transfer.guidance_interval = guidance_interval_->interval();
  transfer.control_guidance_interval = control_guidance_interval_->interval();
  transfer.seed_video = seed_video_->path();
  transfer.seed_video_info = seed_video_->info();
  transfer.num_first_chunk_conditional_frames = seed_video_->numKeptFrames();
}

void TransferPanel::writeFrom(const TransferValues& values) {
  syncing_ = true;
  for (ControlVideoRow* row : rows_) {
    const ControlChoice choice = values.controls.value(row->hint());
    row->setChoice(choice.origin, choice.path);
  }
  if (source_path_->text() != values.control_source || source_info_path_ != values.control_source) {
    source_path_->setText(values.control_source);
    read_source();
  }
  edge_low_->setText(values.edge_low_threshold_text);
  edge_high_->setText(values.edge_high_threshold_text);
  blur_sigma_->setText(values.blur_sigma_text);
  control_guidance_->setText(values.control_guidance_text);
  frames_per_chunk_->setValue(values.num_video_frames_per_chunk);
  conditional_frames_->setValue(values.num_conditional_frames);
  guidance_interval_->setInterval(values.guidance_interval);
  control_guidance_interval_->setInterval(values.control_guidance_interval);
  seed_video_->setSeed(values.seed_video, values.num_first_chunk_conditional_frames);
  show_made_rows();
  update_previews();
  syncing_ = false;
}

void TransferPanel::showProblems(const TransferProblems& problems) {
  for (ControlVideoRow* row : rows_) row->showMessage(problems.controls.value(row->hint()));
  show_message(source_message_, problems.control_source);
  show_message(message_, problems.settings);
  guidance_interval_->showMessage(problems.guidance_interval);
  control_guidance_interval_->showMessage(problems.control_guidance_interval);
  seed_video_->showMessage(problems.seed_video);
}

}  // namespace cosmos3::ui
