# Cross-compiling for 64-bit Windows with Debian's mingw-w64 (g++-mingw-w64-x86-64-posix: the
# posix thread model, which std::thread needs). Used by the main build for the Windows programs
# (cmake/windows_programs.cmake) and usable alone:
#   cmake -S . -B build/windows -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/mingw-w64.cmake
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CKS_MINGW_PREFIX x86_64-w64-mingw32)

set(CMAKE_C_COMPILER ${CKS_MINGW_PREFIX}-gcc-posix)
set(CMAKE_CXX_COMPILER ${CKS_MINGW_PREFIX}-g++-posix)
set(CMAKE_RC_COMPILER ${CKS_MINGW_PREFIX}-windres)

# Libraries and headers come from the mingw sysroot only, never from the build machine's /usr.
set(CMAKE_FIND_ROOT_PATH /usr/${CKS_MINGW_PREFIX})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# One static .exe with no DLL beyond Windows' own, so that wine and a bare PC run it.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -s")
