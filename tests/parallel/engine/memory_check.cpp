// Host memory of tensor-parallel loading on a mid-size random checkpoint (hidden 1024, 8/2
// heads of 128, MLP 2048, 4 layers: ~280 MB fp32), written once by `--check make-memory-model`
// (a single process, a CTest fixture) so that generating it never counts in a rank's peak.
//
// `--check memory` loads this rank's slices and checks that it read about 1/tp of the layer
// weights from the checkpoint and that its heap grew by about as much, not by the whole model.

#include "core/model/random_weight_source.h"
#include "core/model/transformer_weights.h"
#include "core/safetensors/checkpoint.h"
#include "core/safetensors/writer.h"
#include "parallel/engine/rank_transformer.h"
#include "parallel/engine/tensor_parallel_weight_source.h"
#include "tests/parallel/engine/check_support.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>

namespace cosmos3::parallel::check {
namespace {

// Remembers every tensor it hands out, so a whole model can be written as a checkpoint.
class RecordingWeightSource : public model::WeightSource {
 public:
  bool contains(const std::string&) const override { return true; }
  at::Tensor load(const std::string& name, const std::vector<int64_t>& full_shape,
                  model::ShardRole role) override {
    at::Tensor tensor = random_.load(name, full_shape, role).contiguous();
    named_.emplace_back(name, tensor);
    return tensor;
  }
  const std::vector<std::pair<std::string, at::Tensor>>& named() const { return named_; }

 private:
  model::RandomWeightSource random_{c10::kCPU, at::kFloat, 7};
  std::vector<std::pair<std::string, at::Tensor>> named_;
};

int64_t status_kib(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field + ":", 0) == 0) {
      return std::stoll(line.substr(field.size() + 1));
    }
  }
  return -1;
}

}  // namespace

std::string memory_model_dir() { return std::string(COSMOS3_TEST_DATA_DIR) + "/parallel-memory"; }

int make_memory_model() {
  nlohmann::json config =
      nlohmann::json::parse(std::ifstream(family_dir("nano") + "/transformer/config.json"));
  config["hidden_size"] = 1024;
  config["num_attention_heads"] = 8;
  config["num_key_value_heads"] = 2;
  config["head_dim"] = 128;
  config["rope_axes_dim"] = {24, 20, 20};
  config["intermediate_size"] = 2048;
  config["num_hidden_layers"] = 4;
  const std::filesystem::path folder = memory_model_dir();
  std::filesystem::create_directories(folder);
  std::ofstream(folder / "config.json") << config.dump(2);
  const model::TransformerConfig parsed = model::load_transformer_config(folder / "config.json");
  RecordingWeightSource source;
  model::load_transformer_weights(parsed, source, at::kFloat, c10::kCPU);
  safetensors::write_file(folder / "diffusion_pytorch_model.safetensors", source.named());
  std::cout << "wrote " << source.named().size() << " tensors to " << folder << "\n";
  return 0;
}

int check_memory(const CheckContext& context) {
  const std::filesystem::path folder = memory_model_dir();
  const model::TransformerConfig config = model::load_transformer_config(folder / "config.json");
  const safetensors::Checkpoint checkpoint(folder);
  const int64_t heap_before_kib = status_kib("RssAnon");
  TensorParallelWeightSource source(checkpoint, config, context.mesh.tp_index,
                                    context.mesh.degrees.tp);
  const model::TransformerWeights weights =
      model::load_transformer_weights(config, source, at::kFloat, c10::kCPU);
  const int64_t heap_growth_kib = status_kib("RssAnon") - heap_before_kib;
  const int64_t file_kib = static_cast<int64_t>(std::filesystem::file_size(
                               folder / "diffusion_pytorch_model.safetensors")) /
                           1024;
  const int64_t read_kib = source.bytes_read() / 1024;
  std::cout << "tp " << context.mesh.degrees.tp << " rank " << context.mesh.tp_index
            << ": checkpoint " << file_kib << " KiB, read " << read_kib << " KiB, heap growth "
            << heap_growth_kib << " KiB, peak RSS (VmHWM) " << status_kib("VmHWM") << " KiB\n";
  // The replicated tensors (embeddings, norms, heads) are ~2% here; 1/tp of the rest plus that
  // and allocator slack stays under 1/tp + 10% of the checkpoint.
  const double bound = (1.0 / context.mesh.degrees.tp + 0.1) * static_cast<double>(file_kib);
  return read_kib <= bound && heap_growth_kib <= bound ? 0 : 1;
}

}  // namespace cosmos3::parallel::check
