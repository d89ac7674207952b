#pragma once
// The form's transfer controls, shown only for checkpoints that can run transfer: one row per
// hint in the order the controls enter the sequence (edge, blur, depth, seg, wsm), each taking a
// dropped or chosen control video (edge and blur may instead be made from a source video, with
// their thresholds or sigma), the control guidance, the chunk length and the conditional
// frames, the optional guidance intervals and seed video, and the chosen controls' first frames
// side by side.

#include "ui/form/form_values.h"
#include "ui/form/transfer_form_checks.h"

#include <QList>
#include <QWidget>

class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace cosmos3::ui {

class ControlPreviewStrip;
class ControlVideoReader;
class ControlVideoRow;
class GuidanceIntervalField;
class SeedVideoRow;

class TransferPanel : public QWidget {
  Q_OBJECT

 public:
  explicit TransferPanel(QWidget* parent = nullptr);

  void readInto(FormValues& values) const;
  // Sets every control; files are read again when they changed (their problems come with
  // changed()).
  void writeFrom(const TransferValues& values);
  void showProblems(const TransferProblems& problems);

  // Uses `path` as `hint`'s control video, as a drop on its row does.
  void setControlVideo(pipeline::ControlHint hint, const QString& path);
  void setControlSource(const QString& path);
  // Uses `path` as the seed video, as a drop on its row does.
  void setSeedVideo(const QString& path);
  bool isReading() const;
  ControlPreviewStrip& previews() const { return *previews_; }

 Q_SIGNALS:
  void changed();
  // The user turned a hint on or off (not a restore): the form applies the hints' preset.
  void hintsChosen();

 private:
  QWidget* build_source_row();
  QWidget* build_edge_row();
  ControlVideoRow* row_of(pipeline::ControlHint hint) const;
  // A video dropped on the source row is the source, as a drop on a hint's row is its control.
  bool eventFilter(QObject* watched, QEvent* event) override;
  void read_source();
  void show_made_rows();
  void update_previews();

  QFormLayout* layout_;
  QList<ControlVideoRow*> rows_;
  ControlVideoReader* source_reader_;
  QWidget* source_row_ = nullptr;
  QLineEdit* source_path_;
  QPushButton* choose_source_;
  QLabel* source_message_;
  QString source_info_path_;
  ControlVideoInfo source_info_;
  QWidget* edge_row_ = nullptr;
  QLineEdit* edge_low_;
  QLineEdit* edge_high_;
  QLineEdit* blur_sigma_;
  QLineEdit* control_guidance_;
  QSpinBox* frames_per_chunk_;
  QSpinBox* conditional_frames_;
  GuidanceIntervalField* guidance_interval_;
  GuidanceIntervalField* control_guidance_interval_;
  SeedVideoRow* seed_video_;
  QLabel* message_;
  ControlPreviewStrip* previews_;
  bool syncing_ = false;
};

}  // namespace cosmos3::ui
