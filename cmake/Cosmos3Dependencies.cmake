# Finds libtorch and the header-only JSON library.
#
# libtorch comes from the `torch` wheel in the project venv that scripts/setup.sh makes, unless
# the user points CMAKE_PREFIX_PATH or Torch_DIR at another libtorch (a CUDA build, say).

set(COSMOS3_PYTHON "${CMAKE_SOURCE_DIR}/.venv/bin/python"
    CACHE FILEPATH "Python whose torch package provides libtorch when Torch_DIR is not set")

if(NOT Torch_DIR AND EXISTS "${COSMOS3_PYTHON}")
  execute_process(
    COMMAND "${COSMOS3_PYTHON}" -c "import torch.utils; print(torch.utils.cmake_prefix_path)"
    OUTPUT_VARIABLE cosmos3_torch_prefix
    OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE cosmos3_torch_result)
  if(cosmos3_torch_result EQUAL 0)
    list(APPEND CMAKE_PREFIX_PATH "${cosmos3_torch_prefix}")
  endif()
endif()

find_package(Torch REQUIRED)
if(NOT Torch_FOUND)
  message(FATAL_ERROR "libtorch not found: run scripts/setup.sh, or pass -DTorch_DIR=<libtorch>/share/cmake/Torch")
endif()
# TORCH_CXX_FLAGS carries the libstdc++ ABI setting the libtorch binaries were built with.
set(CMAKE_CXX_FLAGS "${CMAKE_CXX_FLAGS} ${TORCH_CXX_FLAGS}")

# The Debian package nlohmann-json3-dev; where it cannot be installed (the GPU machines), point
# COSMOS3_JSON_INCLUDE_DIR at a folder holding nlohmann/json.hpp.
set(COSMOS3_JSON_INCLUDE_DIR "" CACHE PATH "Folder holding nlohmann/json.hpp, if not installed")
add_library(cosmos3_json INTERFACE)
if(COSMOS3_JSON_INCLUDE_DIR)
  target_include_directories(cosmos3_json SYSTEM INTERFACE "${COSMOS3_JSON_INCLUDE_DIR}")
else()
  find_package(nlohmann_json 3.10 REQUIRED)
  target_link_libraries(cosmos3_json INTERFACE nlohmann_json::nlohmann_json)
endif()
