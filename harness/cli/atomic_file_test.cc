// WriteAtomically: the whole content or nothing, and an error that names the
// path when it cannot write.
#include "harness/cli/atomic_file.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace harness::cli {
namespace {

namespace fs = std::filesystem;

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("harness-atomic-file-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string Read(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  fs::path dir_;
};

TEST_F(AtomicFileTest, WritesAndReplacesLeavingNoTemporaryFile) {
  const fs::path path = dir_ / "out.json";
  ASSERT_TRUE(WriteAtomically(path, "first\n").ok());
  EXPECT_EQ(Read(path), "first\n");
  ASSERT_TRUE(WriteAtomically(path, "second, longer\n").ok());
  EXPECT_EQ(Read(path), "second, longer\n");
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    ++files;
    EXPECT_EQ(entry.path().filename(), "out.json");
  }
  EXPECT_EQ(files, 1);
}

TEST_F(AtomicFileTest, MissingFolderIsAnErrorNamingThePath) {
  const fs::path path = dir_ / "no-such-folder" / "out.json";
  const absl::Status st = WriteAtomically(path, "x");
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(absl::StrContains(st.message(), path.string())) << st.message();
  EXPECT_FALSE(fs::exists(path));
}

TEST_F(AtomicFileTest, FailedRenameKeepsTheOldFileAndRemovesTheTemporary) {
  // The target is a non-empty folder: the rename over it fails.
  const fs::path path = dir_ / "taken";
  fs::create_directories(path / "inside");
  const absl::Status st = WriteAtomically(path, "x");
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(absl::StrContains(st.message(), path.string())) << st.message();
  EXPECT_TRUE(fs::is_directory(path / "inside"));
  EXPECT_FALSE(fs::exists(dir_ / ".taken.tmp"));
}

}  // namespace
}  // namespace harness::cli
