#pragma once
// The seam through which the VAE runs split by rows across processes: each process owns a
// horizontal slab of every frame (a range of latent rows, scaled with the stage's resolution)
// and asks this interface for the rows it does not own. Without one (a null RowSlabs*) the
// layers see whole frames, as on a single process. Implementations that move data between
// processes live in parallel/ (core/vae stays free of parallelism); every process of a split
// calls the same methods in the same order, so each call may be a collective.
//
// Shape legend: B batch, C channels, T frames, h this slab's rows, H the frame's rows, W width.
// At a stage s times the latent resolution, h = s * num_latent_rows() and H = s * frame rows.

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace cosmos3::vae {

class RowSlabs {
 public:
  virtual ~RowSlabs() = default;

  // This process's slab: latent rows [first_latent_row(), + num_latent_rows()) of
  // num_frame_latent_rows().
  virtual int64_t first_latent_row() const = 0;
  virtual int64_t num_latent_rows() const = 0;
  virtual int64_t num_frame_latent_rows() const = 0;

  // [B, C, T, h, W] -> [B, C, T, above + h + below, W]: the slab with the last `above` rows
  // of the slab before it and the first `below` rows of the slab after it; zeros beyond the
  // frame's top and bottom, as a convolution's zero padding would be.
  virtual at::Tensor add_halo(const at::Tensor& slab_BCTHW, int64_t above, int64_t below) = 0;

  // [B, C, T, h, W] -> [B, C, T, H, W] on every process: for operators that see whole frames.
  virtual at::Tensor gather_frame(const at::Tensor& slab_BCTHW) = 0;

  // [B, C, T, h, W] -> [B, C, T, H, W] on the writing process, an undefined tensor elsewhere:
  // the decoded pixels the writer saves.
  virtual at::Tensor collect_frame(const at::Tensor& slab_BCTHW) = 0;
  virtual bool is_writer() const = 0;

  // The stage's scale of `slab_BCTHW` (its rows over this slab's latent rows) and the first
  // row of this slab in the whole frame at that scale.
  int64_t scale_of(const at::Tensor& slab_BCTHW) const;
  int64_t first_row_at(const at::Tensor& slab_BCTHW) const {
    return scale_of(slab_BCTHW) * first_latent_row();
  }
};

}  // namespace cosmos3::vae
