# Third-party dependencies.
#
# Google Benchmark, GoogleTest and Abseil are built from source inside the
# build with this preset's flags (so the tsan preset has an instrumented
# Abseil, with its ThreadSanitizer annotations; Debian's prebuilt Abseil lacks
# them and gives false race reports, and Debian's prebuilt Google Benchmark is
# a debug build). Sources: the Debian source packages that
# scripts/install-deps fetches into third_party/src, and /usr/src/googletest.
# Where no source is found the system package is the fallback, said loudly.
#
# Library references (oneTBB, moodycamel, Boost.Asio, CAF) come from Debian
# packages. oneTBB and CAF are not instrumented for ThreadSanitizer and give
# false reports under it, so sanitizer builds leave them out
# (HARNESS_HAVE_TBB / HARNESS_HAVE_CAF = 0) and their strategies register as
# skipped, with that reason.

set(HARNESS_THIRD_PARTY_SRC "${PROJECT_SOURCE_DIR}/third_party/src")
set(BUILD_TESTING OFF CACHE BOOL "" FORCE)  # no tests of the dependencies
find_package(Threads REQUIRED)

# hwloc (Debian's libhwloc-dev): the machine's topology for --placement.
find_package(PkgConfig REQUIRED)
pkg_check_modules(HWLOC REQUIRED IMPORTED_TARGET hwloc)

# --- Abseil ---------------------------------------------------------------
file(GLOB _absl_dirs "${HARNESS_THIRD_PARTY_SRC}/abseil-*")
if(_absl_dirs)
  list(GET _absl_dirs 0 _absl_dir)
  # Debian configures its Abseil for ABI stability (absl::string_view etc. are
  # its own types, hardened mode on). This private build restores upstream's
  # defaults: std::string_view/optional/any/variant under C++17 and later.
  file(READ "${_absl_dir}/absl/base/options.h" _absl_options)
  string(REGEX REPLACE "(#define ABSL_OPTION_USE_STD_[A-Z_]+) 0" "\\1 2" _absl_patched "${_absl_options}")
  string(REPLACE "#define ABSL_OPTION_HARDENED 1" "#define ABSL_OPTION_HARDENED 0" _absl_patched "${_absl_patched}")
  if(NOT _absl_patched STREQUAL _absl_options)
    file(WRITE "${_absl_dir}/absl/base/options.h" "${_absl_patched}")
    message(STATUS "harness: set Abseil's options.h to upstream defaults (std types, not hardened)")
  endif()
  set(ABSL_PROPAGATE_CXX_STD ON)
  set(ABSL_BUILD_TESTING OFF)
  set(ABSL_ENABLE_INSTALL OFF)
  add_subdirectory(${_absl_dir} third_party/abseil EXCLUDE_FROM_ALL SYSTEM)
  message(STATUS "harness: Abseil from source ${_absl_dir}, built with this preset's flags")
else()
  find_package(absl REQUIRED)
  message(WARNING "harness: no Abseil source in third_party/src (run scripts/install-deps); "
                  "using the system package, which is not instrumented: expect false "
                  "ThreadSanitizer reports in the tsan preset")
endif()

# --- Google Benchmark -------------------------------------------------------
file(GLOB _benchmark_dirs "${HARNESS_THIRD_PARTY_SRC}/benchmark-*")
if(_benchmark_dirs)
  list(GET _benchmark_dirs 0 _benchmark_dir)
  string(REGEX MATCH "[0-9]+\\.[0-9]+\\.[0-9]+" _benchmark_version "${_benchmark_dir}")
  # Debian's patch removes the git-tag lookup; the version must be given.
  set(GIT_VERSION "${_benchmark_version}")
  set(BENCHMARK_ENABLE_TESTING OFF)
  set(BENCHMARK_ENABLE_GTEST_TESTS OFF)
  set(BENCHMARK_ENABLE_INSTALL OFF)
  set(BENCHMARK_INSTALL_DOCS OFF)
  set(BENCHMARK_ENABLE_WERROR OFF)
  add_subdirectory(${_benchmark_dir} third_party/benchmark EXCLUDE_FROM_ALL SYSTEM)
  message(STATUS "harness: Google Benchmark ${_benchmark_version} from source, built with this preset's flags")
else()
  find_package(benchmark REQUIRED)
  message(WARNING "harness: no Google Benchmark source in third_party/src (run "
                  "scripts/install-deps); using the system package (a debug build)")
endif()

# --- GoogleTest -------------------------------------------------------------
if(EXISTS /usr/src/googletest/CMakeLists.txt)
  set(INSTALL_GTEST OFF)
  add_subdirectory(/usr/src/googletest third_party/googletest EXCLUDE_FROM_ALL SYSTEM)
  message(STATUS "harness: GoogleTest from /usr/src/googletest, built with this preset's flags")
else()
  find_package(GTest REQUIRED)
  add_library(gtest ALIAS GTest::gtest)
  add_library(gtest_main ALIAS GTest::gtest_main)
  message(WARNING "harness: no GoogleTest source in /usr/src/googletest; using the system package")
endif()

find_package(nlohmann_json 3 REQUIRED)

# --- Library references -----------------------------------------------------
set(HARNESS_UNINSTRUMENTED_REASON "")
if(HARNESS_SANITIZER STREQUAL "thread")
  set(HARNESS_UNINSTRUMENTED_REASON "not instrumented for ThreadSanitizer (false reports)")
endif()

add_library(harness_references INTERFACE)
find_package(TBB QUIET)
if(TBB_FOUND AND HARNESS_SANITIZER STREQUAL "none")
  target_link_libraries(harness_references INTERFACE TBB::tbb)
  target_compile_definitions(harness_references INTERFACE HARNESS_HAVE_TBB=1)
  message(STATUS "harness: oneTBB ${TBB_VERSION} found")
else()
  target_compile_definitions(harness_references INTERFACE HARNESS_HAVE_TBB=0)
  message(STATUS "harness: oneTBB left out (sanitizer build or not installed); its strategies are skipped")
endif()

find_library(CAF_CORE_LIBRARY caf_core)
find_path(CAF_INCLUDE_DIR caf/all.hpp)
if(CAF_CORE_LIBRARY AND CAF_INCLUDE_DIR AND HARNESS_SANITIZER STREQUAL "none")
  target_link_libraries(harness_references INTERFACE ${CAF_CORE_LIBRARY})
  target_include_directories(harness_references SYSTEM INTERFACE ${CAF_INCLUDE_DIR})
  target_compile_definitions(harness_references INTERFACE HARNESS_HAVE_CAF=1)
  message(STATUS "harness: CAF found (${CAF_CORE_LIBRARY})")
else()
  target_compile_definitions(harness_references INTERFACE HARNESS_HAVE_CAF=0)
  message(STATUS "harness: CAF left out (sanitizer build or not installed); its strategies are skipped")
endif()

find_path(MOODYCAMEL_INCLUDE_DIR concurrentqueue/moodycamel/blockingconcurrentqueue.h)
if(MOODYCAMEL_INCLUDE_DIR)
  target_include_directories(harness_references SYSTEM INTERFACE ${MOODYCAMEL_INCLUDE_DIR}/concurrentqueue)
  target_compile_definitions(harness_references INTERFACE HARNESS_HAVE_MOODYCAMEL=1)
else()
  find_path(MOODYCAMEL_FLAT_DIR concurrentqueue/blockingconcurrentqueue.h)
  if(MOODYCAMEL_FLAT_DIR)
    target_include_directories(harness_references SYSTEM INTERFACE ${MOODYCAMEL_FLAT_DIR}/concurrentqueue)
    target_compile_definitions(harness_references INTERFACE HARNESS_HAVE_MOODYCAMEL=1)
  else()
    target_compile_definitions(harness_references INTERFACE HARNESS_HAVE_MOODYCAMEL=0)
  endif()
endif()

find_path(BOOST_ASIO_INCLUDE_DIR boost/asio.hpp)
if(BOOST_ASIO_INCLUDE_DIR)
  target_include_directories(harness_references SYSTEM INTERFACE ${BOOST_ASIO_INCLUDE_DIR})
  target_compile_definitions(harness_references INTERFACE HARNESS_HAVE_ASIO=1 BOOST_ASIO_HAS_CO_AWAIT=1)
else()
  target_compile_definitions(harness_references INTERFACE HARNESS_HAVE_ASIO=0)
endif()

# Flags and include root for the project's own targets.
function(harness_target_defaults target)
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
  if(HARNESS_WARNING_FLAGS)
    separate_arguments(_flags UNIX_COMMAND "${HARNESS_WARNING_FLAGS}")
    target_compile_options(${target} PRIVATE ${_flags})
  endif()
endfunction()
