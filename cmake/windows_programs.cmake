# The Windows programs, built by their own CMake build with the mingw-w64 toolchain file
# (a cross build cannot share this build's compiler), as a step of this build so that every
# generator builds them: ${PROJECT_BINARY_DIR}/windows/cks-tray.exe.
include(ExternalProject)

find_program(CKS_MINGW_CXX x86_64-w64-mingw32-g++-posix)
if(NOT CKS_MINGW_CXX)
  message(STATUS "Windows programs: x86_64-w64-mingw32-g++-posix not found, not built")
  return()
endif()
# tl::expected is header-only; the cross build gets that one header, never the host's /usr/include.
find_path(CKS_TL_EXPECTED_DIR tl/expected.hpp REQUIRED)

ExternalProject_Add(cks-windows
  SOURCE_DIR ${PROJECT_SOURCE_DIR}
  BINARY_DIR ${PROJECT_BINARY_DIR}/windows
  CMAKE_ARGS -DCMAKE_TOOLCHAIN_FILE=${PROJECT_SOURCE_DIR}/cmake/toolchains/mingw-w64.cmake
             -DCMAKE_BUILD_TYPE=Release
             -DCKS_WERROR=${CKS_WERROR}
             -DCKS_TL_EXPECTED_DIR=${CKS_TL_EXPECTED_DIR}
  INSTALL_COMMAND ""
  # The sub-build is incremental: always asking it is cheap and follows every source change.
  BUILD_ALWAYS ON)
