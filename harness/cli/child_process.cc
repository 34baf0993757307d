#include "harness/cli/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>

#include "harness/core/affinity.h"
#include "harness/core/watchdog.h"

namespace harness::cli {
namespace {

void Redirect(const std::string& path, int fd) {
  if (path.empty()) return;
  const int out = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (out >= 0) {
    dup2(out, fd);
    close(out);
  }
}

}  // namespace

ChildExit RunSelf(const std::vector<std::string>& args, const ChildOptions& options) {
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    if (!options.cpus.empty() && !PinToCpus(options.cpus).ok()) _exit(126);
    Redirect(options.stderr_path, STDERR_FILENO);
    Redirect(options.stdout_path, STDOUT_FILENO);
    for (const auto& [name, value] : options.env) {
      if (value) {
        setenv(name.c_str(), value->c_str(), 1);
      } else {
        unsetenv(name.c_str());
      }
    }
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(options.executable.empty() ? "/proc/self/exe" : options.executable.c_str(), argv.data());
    _exit(127);
  }
  ChildExit result;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(options.limit_seconds);
  int status = 0;
  for (;;) {
    if (waitpid(pid, &status, WNOHANG) == pid) break;
    if (options.limit_seconds > 0 && std::chrono::steady_clock::now() > deadline) {
      std::cerr << "harness: child " << pid << " is past its time limit; its stacks:\n";
      Watchdog::PrintStacks(pid);
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      result.killed_for_time = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (WIFSIGNALED(status)) {
    result.signaled = true;
    result.code = WTERMSIG(status);
  } else {
    result.code = WEXITSTATUS(status);
  }
  return result;
}

}  // namespace harness::cli
