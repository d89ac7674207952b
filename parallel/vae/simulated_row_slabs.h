#pragma once
// One rank of a VAE split by rows, run alone in one process to measure that rank's compute
// and memory when only one GPU is at hand (as ShapeOnlyCommunicator does for the transformer).
// Nothing moves: a halo exchange becomes a local copy of this slab's own edge rows into a
// tensor of the exchanged shape, a gather a whole-frame tensor filled with copies of this
// slab, and the writer's collection a whole-frame tensor. The results are numerically
// meaningless; the tally says what a real group would have moved, to estimate its time.
//
// Shape legend: B batch, C channels, T frames, h this rank's rows, H the frame's rows, W width.

#include "core/vae/row_slabs.h"
#include "parallel/vae/slab_rows.h"

namespace cosmos3::parallel {

// What the simulated rank would have exchanged, in calls and bytes it would have received
// (collect_frame: the writer's bytes from the other ranks).
struct SlabTraffic {
  int64_t num_halo_exchanges = 0;
  int64_t halo_bytes = 0;
  int64_t num_gathers = 0;
  int64_t gather_bytes = 0;
  int64_t num_collects = 0;
  int64_t collect_bytes = 0;
};

class SimulatedRowSlabs final : public vae::RowSlabs {
 public:
  // Rank `slabs.rank` of `slabs.num_ranks()`; rank 0 is the writer.
  explicit SimulatedRowSlabs(SlabRows slabs) : slabs_(std::move(slabs)) {}

  int64_t first_latent_row() const override { return slabs_.first_row(); }
  int64_t num_latent_rows() const override { return slabs_.num_rows(); }
  int64_t num_frame_latent_rows() const override { return slabs_.num_frame_rows(); }

  // [B, C, T, h, W] -> [B, C, T, above + h + below, W]; zeros where the real rank has its
  // frame border, copies of its own edge rows where it has a neighbour.
  at::Tensor add_halo(const at::Tensor& slab_BCTHW, int64_t above, int64_t below) override;
  // [B, C, T, h, W] -> [B, C, T, H, W] filled with copies of the slab.
  at::Tensor gather_frame(const at::Tensor& slab_BCTHW) override;
  // [B, C, T, h, W] -> [B, C, T, H, W] on rank 0, undefined elsewhere.
  at::Tensor collect_frame(const at::Tensor& slab_BCTHW) override;
  bool is_writer() const override { return slabs_.rank == 0; }

  const SlabTraffic& traffic() const { return traffic_; }
  void reset_traffic() { traffic_ = {}; }

 private:
  SlabRows slabs_;
  SlabTraffic traffic_;
};

}  // namespace cosmos3::parallel
