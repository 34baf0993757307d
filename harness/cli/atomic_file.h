// Writing a whole file so that a reader never sees half of it: every command
// that writes a file (sweep's results and parts, the JSON of races,
// detectors and explore) goes through WriteAtomically.
#ifndef HARNESS_CLI_ATOMIC_FILE_H_
#define HARNESS_CLI_ATOMIC_FILE_H_

#include <filesystem>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace harness::cli {

// Writes `content` to a temporary file beside `path` (".<name>.tmp" in the
// same folder) and renames it over `path`. On any failure (the folder is
// missing or not writable, the disk is full, the rename fails) the temporary
// file is removed, `path` is left as it was, and the status names the path
// and the reason.
absl::Status WriteAtomically(const std::filesystem::path& path, std::string_view content);

// For an optional output flag (--json_out, --out): WriteAtomically when
// `path` is not empty; nothing, and OK, when it is.
absl::Status WriteOptionalFile(const std::string& path, std::string_view content);

}  // namespace harness::cli

#endif  // HARNESS_CLI_ATOMIC_FILE_H_
