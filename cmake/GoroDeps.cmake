# Locates the system libraries the runtime links: Boost.Context (fcontext switches) and libbacktrace
# (symbolization; ships inside libgcc-12-dev, outside the compiler's default include path).
find_path(GORO_FCONTEXT_INCLUDE boost/context/detail/fcontext.hpp REQUIRED)
find_library(GORO_BOOST_CONTEXT_ARCHIVE NAMES libboost_context.a REQUIRED)

execute_process(COMMAND gcc-12 -print-file-name=libbacktrace.a
                OUTPUT_VARIABLE _goro_bt OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT EXISTS "${_goro_bt}")
  message(FATAL_ERROR "libbacktrace.a not found (install libgcc-12-dev)")
endif()
set(GORO_BACKTRACE_ARCHIVE "${_goro_bt}" CACHE FILEPATH "libbacktrace static archive")
get_filename_component(_goro_bt_dir "${_goro_bt}" DIRECTORY)
find_path(GORO_BACKTRACE_HEADER_DIR backtrace.h PATHS "${_goro_bt_dir}/include" NO_DEFAULT_PATH
          REQUIRED)
# That directory also holds gcc's own intrinsic headers (emmintrin.h...), which must not shadow
# clang's: the build includes a directory with backtrace.h alone.
set(GORO_BACKTRACE_INCLUDE "${CMAKE_BINARY_DIR}/deps/backtrace")
configure_file("${GORO_BACKTRACE_HEADER_DIR}/backtrace.h" "${GORO_BACKTRACE_INCLUDE}/backtrace.h"
               COPYONLY)

find_package(Threads REQUIRED)

add_library(goro_boost_context STATIC IMPORTED)
set_target_properties(goro_boost_context PROPERTIES IMPORTED_LOCATION "${GORO_BOOST_CONTEXT_ARCHIVE}")
add_library(goro_backtrace STATIC IMPORTED)
set_target_properties(goro_backtrace PROPERTIES IMPORTED_LOCATION "${GORO_BACKTRACE_ARCHIVE}")
