// Facts about this build, fixed at configure time (preset, flags) and at
// build time (git commit). Defined in generated sources (see CMakeLists.txt).
#ifndef HARNESS_CORE_BUILD_INFO_H_
#define HARNESS_CORE_BUILD_INFO_H_

namespace harness {

extern const char kBuildPreset[];     // "release", "tsan", ...
extern const char kBuildType[];       // CMAKE_BUILD_TYPE
extern const char kBuildFlags[];      // compiler flags of this build type
extern const char kBuildSanitizer[];  // "none", "thread", "address,undefined"
extern const char kGitCommit[];       // "<sha>[+dirty]" or "unknown"
extern const char kSourceDir[];       // the source tree (tsan.supp lives there)
// `rustc --version` of the Rust references (cmake/rust.cmake), or
// "none: <why they are not built>".
extern const char kRustToolchain[];

}  // namespace harness

#endif  // HARNESS_CORE_BUILD_INFO_H_
