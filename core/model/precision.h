#pragma once
// The arithmetic of the generation tower's GEMMs in one forward.

namespace cosmos3::model {

enum class Precision {
  kBf16,  // the model dtype throughout: the exact path
  kFp8,   // rowwise-scaled e4m3 GEMMs in the generation tower (CUDA only, fp8_linear.h)
};

}  // namespace cosmos3::model
