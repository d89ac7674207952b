#pragma once
// A small repository folder with the layout of a Cosmos3 diffusers release, plus the files a
// release also carries that the pipeline never loads, for the download suites.

#include "tests/test_support.h"

#include <QtCore/QDir>

#include <filesystem>
#include <random>
#include <string>

namespace cosmos3::test {

inline std::string random_bytes(size_t num_bytes, uint32_t seed) {
  std::mt19937 generator(seed);
  std::string bytes(num_bytes, '\0');
  for (char& byte : bytes) {
    byte = static_cast<char>(generator() & 0xFF);
  }
  return bytes;
}

inline void put_file(const std::filesystem::path& path, const std::string& bytes) {
  std::filesystem::create_directories(path.parent_path());
  write_bytes(path.string(), bytes);
}

// Writes the repository at repos/owner/name; `weights_size` sizes the transformer and VAE
// weights (the two LFS files a test can break).
inline void write_pipeline_repo(const std::filesystem::path& repo_dir, size_t weights_size) {
  put_file(repo_dir / "model_index.json", R"({"_class_name": "Cosmos3OmniPipeline"})");
  put_file(repo_dir / "transformer/config.json", R"({"num_layers": 2})");
  put_file(repo_dir / "transformer/diffusion_pytorch_model.safetensors",
           random_bytes(weights_size, 1));
  put_file(repo_dir / "vae/config.json", R"({"z_dim": 4})");
  put_file(repo_dir / "vae/diffusion_pytorch_model.safetensors", random_bytes(weights_size, 2));
  put_file(repo_dir / "scheduler/scheduler_config.json", R"({"shift": 5.0})");
  put_file(repo_dir / "text_tokenizer/tokenizer.json", R"({"model": {}})");
  put_file(repo_dir / "text_tokenizer/tokenizer_config.json", R"({"eos_token": "x"})");
  // What the pipeline never loads: another precision, a PyTorch copy, pictures, docs.
  put_file(repo_dir / "transformer/diffusion_pytorch_model.fp16.safetensors",
           random_bytes(weights_size / 2, 3));
  put_file(repo_dir / "vae/diffusion_pytorch_model.bin", random_bytes(1000, 4));
  put_file(repo_dir / "assets/teaser.png", random_bytes(500, 5));
  put_file(repo_dir / "README.md", "# a model card");
}

// The files of write_pipeline_repo a download must bring.
inline const std::vector<std::string>& pipeline_repo_selected_files() {
  static const std::vector<std::string> files = {"model_index.json",
                                                 "scheduler/scheduler_config.json",
                                                 "text_tokenizer/tokenizer.json",
                                                 "text_tokenizer/tokenizer_config.json",
                                                 "transformer/config.json",
                                                 "transformer/diffusion_pytorch_model.safetensors",
                                                 "vae/config.json",
                                                 "vae/diffusion_pytorch_model.safetensors"};
  return files;
}

}  // namespace cosmos3::test
