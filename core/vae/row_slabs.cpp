#include "core/vae/row_slabs.h"

#include <c10/util/Exception.h>

namespace cosmos3::vae {

int64_t RowSlabs::scale_of(const at::Tensor& slab_BCTHW) const {
  const int64_t rows = slab_BCTHW.size(3);
  const int64_t latent_rows = num_latent_rows();
  TORCH_CHECK(latent_rows > 0 && rows % latent_rows == 0, "a slab of ", latent_rows,
              " latent rows cannot hold ", rows, " rows: the stages scale rows by whole factors");
  return rows / latent_rows;
}

}  // namespace cosmos3::vae
