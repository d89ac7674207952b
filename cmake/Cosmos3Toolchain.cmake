# Compiler settings shared by every target: warnings, ccache, and the libtorch ABI flags.

find_program(COSMOS3_CCACHE ccache)
if(COSMOS3_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  # libtorch headers make every translation unit slow; ccache makes rebuilds cheap. The base
  # dir makes paths relative, so a fresh clone elsewhere (as CI makes) still hits the cache;
  # with -g ccache would also hash the build folder, which differs in every clone and worktree,
  # so NOHASHDIR leaves it out (debug info may then name another clone's build folder).
  set(CMAKE_CXX_COMPILER_LAUNCHER
      "${CMAKE_COMMAND};-E;env;CCACHE_BASEDIR=${CMAKE_SOURCE_DIR};CCACHE_NOHASHDIR=true;${COSMOS3_CCACHE}")
endif()

add_library(cosmos3_warnings INTERFACE)
# C++ flags only: nvcc (core/kernels/*.cu) takes its host-compiler warnings through -Xcompiler.
target_compile_options(cosmos3_warnings INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wimplicit-fallthrough>
  $<$<COMPILE_LANGUAGE:CUDA>:-Xcompiler=-Wall,-Wextra,-Wshadow>)
if(COSMOS3_WARNINGS_AS_ERRORS)
  target_compile_options(cosmos3_warnings INTERFACE $<$<COMPILE_LANGUAGE:CXX>:-Werror>
                                                    $<$<COMPILE_LANGUAGE:CUDA>:-Werror=all-warnings -Xcompiler=-Werror>)
endif()
