#include "parallel/backend/live_preview.h"

#include "parallel/backend/sample_media.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/adaptive_avg_pool3d.h>

namespace cosmos3::backend {

void write_live_preview(const vae::WanVae& vae, const at::Tensor& latents_BCTHW,
                        const at::Tensor& velocity_BCTHW, double sigma,
                        const std::filesystem::path& image) {
  const int64_t middle = latents_BCTHW.size(2) / 2;
  const at::Tensor frame_BC1HW = (latents_BCTHW.narrow(2, middle, 1) -
                                  sigma * velocity_BCTHW.narrow(2, middle, 1).to(at::kFloat));
  const int64_t latent_height = frame_BC1HW.size(3);
  const int64_t latent_width = frame_BC1HW.size(4);
  const int64_t pixel_width = latent_width * vae.config().scale_factor_spatial;
  const int64_t factor = (pixel_width + kPreviewMaxWidth - 1) / kPreviewMaxWidth;
  const at::Tensor pooled_BC1HW =
      factor > 1
          ? at::adaptive_avg_pool3d(frame_BC1HW, {1, std::max<int64_t>(1, latent_height / factor),
                                                  std::max<int64_t>(1, latent_width / factor)})
          : frame_BC1HW;
  const at::Tensor pixels_B3THW = vae.decode(pooled_BC1HW.to(vae.dtype()));
  write_preview_image(image, pixels_B3THW);
}

}  // namespace cosmos3::backend
