#include "app/tool_commands.h"
#include "core/safetensors/checkpoint.h"

#include <c10/core/ScalarType.h>

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <string>

namespace cosmos3::tool {
namespace {

int inspect(const std::filesystem::path& path) {
  const safetensors::Checkpoint checkpoint{path};
  int64_t num_elements = 0;
  std::uint64_t num_bytes = 0;
  for (const std::string& name : checkpoint.tensor_names()) {
    const safetensors::TensorEntry& entry = checkpoint.entry(name);
    const std::string file_name =
        std::filesystem::path(checkpoint.file_of(name).path()).filename().string();
    std::cout << std::left << std::setw(60) << name << ' ' << std::setw(9)
              << c10::toString(entry.dtype) << ' ' << std::setw(22)
              << safetensors::shape_text(entry.shape) << ' ' << file_name << '\n';
    num_elements += entry.numel();
    num_bytes += entry.data_end - entry.data_begin;
  }
  std::cout << checkpoint.tensor_names().size() << " tensors, " << num_elements << " elements, "
            << num_bytes << " bytes in " << checkpoint.path() << '\n';
  return 0;
}

}  // namespace

cli::Command inspect_command() {
  auto path = std::make_shared<std::filesystem::path>();
  cli::Command command("inspect",
                       "list the tensors of a .safetensors file, a sharded\n"
                       "*.safetensors.index.json, or a folder holding one");
  command
      .add_positional({.name = "PATH",
                       .help = "the file or folder",
                       .set = [path](std::string_view value) { *path = std::string(value); }})
      .set_action([path] { return inspect(*path); });
  return command;
}

}  // namespace cosmos3::tool
