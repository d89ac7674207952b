# Decides whether the fused CUDA kernels (core/kernels/) are built.
#
# The kernels take raw device pointers and a cudaStream_t and include no torch header, and the
# dispatch layer reaches the current stream through c10's device-guard interface (libc10), so
# nothing needs libtorch_cuda at link time: a machine with nvcc and the CPU torch wheel (CI)
# builds and links them, and they run wherever torch hands us CUDA tensors. Without nvcc, or
# with COSMOS3_CUDA_KERNELS=OFF, the dispatch layer always takes the ATen path.

include(CheckLanguage)
if(NOT DEFINED CMAKE_CUDA_COMPILER AND NOT DEFINED ENV{CUDACXX} AND EXISTS /usr/local/cuda/bin/nvcc)
  set(CMAKE_CUDA_COMPILER /usr/local/cuda/bin/nvcc)
endif()
check_language(CUDA)
set(cosmos3_cuda_default OFF)
if(CMAKE_CUDA_COMPILER)
  set(cosmos3_cuda_default ON)
endif()
option(COSMOS3_CUDA_KERNELS "Build the fused CUDA kernels of the transformer's hot path (needs nvcc)"
       ${cosmos3_cuda_default})

if(COSMOS3_CUDA_KERNELS)
  if(NOT CMAKE_CUDA_COMPILER)
    message(FATAL_ERROR "COSMOS3_CUDA_KERNELS=ON but no nvcc was found: install the CUDA Toolkit "
                        "or pass -DCOSMOS3_CUDA_KERNELS=OFF")
  endif()
  # Hopper (H100/H200) is the target; sm_90 machine code, no PTX JIT at start.
  if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
    set(CMAKE_CUDA_ARCHITECTURES 90)
  endif()
  # CMake 3.25 knows no CUDA 20 flags for nvcc; the kernels need only C++17.
  set(CMAKE_CUDA_STANDARD 17)
  set(CMAKE_CUDA_STANDARD_REQUIRED ON)
  enable_language(CUDA)
  # The runtime is linked statically so the programs need no libcudart beside torch's; streams
  # and device pointers are driver objects and pass between the two runtimes.
  set(CMAKE_CUDA_RUNTIME_LIBRARY Static)
  find_package(CUDAToolkit REQUIRED)
  message(STATUS "Cosmos3: fused CUDA kernels ON (nvcc ${CMAKE_CUDA_COMPILER_VERSION}, "
                 "sm_${CMAKE_CUDA_ARCHITECTURES})")
else()
  message(STATUS "Cosmos3: fused CUDA kernels OFF (ATen path only)")
endif()
