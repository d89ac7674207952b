#pragma once
// Which files of a Cosmos3 diffusers repository the pipeline loads, so a download skips the rest
// (other precisions, PyTorch .bin copies, training state, pictures, READMEs).
//
// The rule, applied to each path in the repository:
//   - at the top: model_index.json and modular_model_index.json (distilled sigmas); nothing else;
//   - inside the component folders the engine reads (transformer/, vae/, scheduler/,
//     text_tokenizer/ or tokenizer/, sound_tokenizer/): files ending in .json, .safetensors,
//     .txt, .model or .jinja (configs, weights, tokenizer vocabularies and chat templates);
//   - minus diffusers' precision variants ("x.fp16.safetensors",
//   "x-00001-of-00002.bf16.safetensors",
//     "x.safetensors.index.fp16.json"): the loader reads the one unsuffixed checkpoint, and a
//     second one in the folder would be ambiguous;
//   - minus training state (trainer_state.json, optimizer*, training_args*).
// Every other folder (safety_checker/, text_encoder/, assets/, ...) is skipped.

#include "core/hub/repo_listing.h"

#include <string>
#include <vector>

namespace cosmos3::hub {

bool pipeline_loads_file(const std::string& path);

// The files `listing` holds that pipeline_loads_file keeps. Throws DownloadError naming the
// repository when the selection lacks model_index.json or any of the transformer's and VAE's
// weights, the scheduler's config or the tokenizer: such a repository is no Cosmos3 pipeline we
// can run, and a download of it would only waste the disk.
std::vector<RepoFile> select_pipeline_files(const RepoListing& listing);

}  // namespace cosmos3::hub
