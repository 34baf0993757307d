#include "harness/cli/atomic_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

#include "absl/strings/str_cat.h"

namespace harness::cli {

namespace fs = std::filesystem;

absl::Status WriteAtomically(const fs::path& path, std::string_view content) {
  const fs::path tmp = path.parent_path() / ("." + path.filename().string() + ".tmp");
  std::error_code ec;
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      return absl::UnavailableError(
          absl::StrCat("cannot write ", path.string(), ": ", std::strerror(errno)));
    }
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out.flush()) {
      const std::string reason = std::strerror(errno);
      out.close();
      fs::remove(tmp, ec);
      return absl::UnavailableError(absl::StrCat("cannot write ", path.string(), ": ", reason));
    }
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    const std::string reason = ec.message();
    fs::remove(tmp, ec);
    return absl::UnavailableError(absl::StrCat("cannot write ", path.string(), ": ", reason));
  }
  return absl::OkStatus();
}

absl::Status WriteOptionalFile(const std::string& path, std::string_view content) {
  if (path.empty()) return absl::OkStatus();
  return WriteAtomically(path, content);
}

}  // namespace harness::cli
