# The Rust reference strategies (rust/, issue #12): the crate is built by
# cargo as a static library into this build tree and linked into
# scenario_strategies (harness_link_rust below), which then compiles with
# HARNESS_HAVE_RUST=1. Offline, from Debian's crates (rust/.cargo/config.toml)
# with Debian's toolchain: HARNESS_CARGO defaults to /usr/bin/cargo and the
# rustc beside it is passed as RUSTC (a rustup toolchain earlier on PATH is
# never used). Not built, and every rust_* strategy registered skipped with
# the reason (harness/core/rust_strategy.h), in sanitizer builds (Rust's std
# is not instrumented), in the tsa preset (a C++-only analysis), where
# cargo is missing, or with -DHARNESS_RUST=OFF.
#
# Sets HARNESS_RUST_TOOLCHAIN (rustc --version, or "none: <why>"), recorded
# in every result file's context as rust_toolchain.
option(HARNESS_RUST "build the Rust reference strategies (rust/) when cargo is found" ON)
find_program(HARNESS_CARGO NAMES cargo PATHS /usr/bin NO_DEFAULT_PATH
  DOC "Debian's cargo (1.65), used for the Rust reference strategies")

set(HARNESS_RUST_BUILT OFF)
if(NOT HARNESS_RUST)
  set(_rust_skip 3)
  set(HARNESS_RUST_TOOLCHAIN "none: switched off (HARNESS_RUST=OFF)")
elseif(NOT HARNESS_SANITIZER STREQUAL "none")
  set(_rust_skip 1)
  set(HARNESS_RUST_TOOLCHAIN "none: not built in sanitizer builds")
elseif(HARNESS_PRESET STREQUAL "tsa")
  set(_rust_skip 4)
  set(HARNESS_RUST_TOOLCHAIN "none: not built in the tsa preset")
elseif(NOT HARNESS_CARGO)
  set(_rust_skip 2)
  set(HARNESS_RUST_TOOLCHAIN "none: cargo not found")
else()
  get_filename_component(_cargo_dir ${HARNESS_CARGO} DIRECTORY)
  find_program(HARNESS_RUSTC NAMES rustc PATHS ${_cargo_dir} NO_DEFAULT_PATH
    DOC "the rustc beside HARNESS_CARGO")
  if(HARNESS_RUSTC)
    execute_process(COMMAND ${HARNESS_RUSTC} --version OUTPUT_VARIABLE HARNESS_RUST_TOOLCHAIN
      OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _rustc_rc)
  endif()
  if(NOT HARNESS_RUSTC OR NOT _rustc_rc EQUAL 0)
    set(_rust_skip 2)
    set(HARNESS_RUST_TOOLCHAIN "none: no working rustc beside ${HARNESS_CARGO}")
  else()
    set(HARNESS_RUST_BUILT ON)
  endif()
endif()

if(HARNESS_RUST_BUILT)
  # The debug preset builds cargo's dev profile; every other build release.
  if(CMAKE_BUILD_TYPE STREQUAL "Debug")
    set(_cargo_profile_flag "")
    set(_cargo_profile_dir debug)
  else()
    set(_cargo_profile_flag "--release")
    set(_cargo_profile_dir release)
  endif()
  set(_rust_crate ${PROJECT_SOURCE_DIR}/rust)
  set(_rust_target_dir ${CMAKE_BINARY_DIR}/rust)
  set(HARNESS_RUST_LIB ${_rust_target_dir}/${_cargo_profile_dir}/libharness_rust.a)
  file(GLOB _rust_sources CONFIGURE_DEPENDS ${_rust_crate}/src/*.rs)
  add_custom_command(OUTPUT ${HARNESS_RUST_LIB}
    COMMAND ${CMAKE_COMMAND} -E env RUSTC=${HARNESS_RUSTC} CARGO_TARGET_DIR=${_rust_target_dir}
            ${HARNESS_CARGO} build --offline --quiet ${_cargo_profile_flag}
    COMMAND ${CMAKE_COMMAND} -E touch ${HARNESS_RUST_LIB}
    WORKING_DIRECTORY ${_rust_crate}  # where cargo finds .cargo/config.toml
    DEPENDS ${_rust_sources} ${_rust_crate}/Cargo.toml ${_rust_crate}/.cargo/config.toml
    COMMENT "Building the Rust reference strategies (cargo, ${_cargo_profile_dir})"
    VERBATIM)
  add_custom_target(harness_rust_build DEPENDS ${HARNESS_RUST_LIB})
  add_library(harness_rust INTERFACE)
  add_dependencies(harness_rust harness_rust_build)
  # What the staticlib needs (cargo rustc -- --print native-static-libs).
  target_link_libraries(harness_rust INTERFACE ${HARNESS_RUST_LIB} gcc_s util rt Threads::Threads
    m dl)
  message(STATUS "harness: Rust references built with ${HARNESS_CARGO} (${HARNESS_RUST_TOOLCHAIN})")
else()
  message(STATUS "harness: Rust references skipped (${HARNESS_RUST_TOOLCHAIN})")
endif()

# Links the crate into `target` (scenario_strategies) and tells its sources
# whether it is there (HARNESS_HAVE_RUST) or why not
# (HARNESS_RUST_SKIPPED_BECAUSE, see harness/core/rust_strategy.h).
function(harness_link_rust target)
  if(HARNESS_RUST_BUILT)
    target_link_libraries(${target} PUBLIC harness_rust)
    target_compile_definitions(${target} PUBLIC HARNESS_HAVE_RUST=1)
  else()
    target_compile_definitions(${target} PUBLIC HARNESS_HAVE_RUST=0
      HARNESS_RUST_SKIPPED_BECAUSE=${_rust_skip})
  endif()
endfunction()
