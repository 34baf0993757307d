# Writes OUT with the current git commit, touching it only when it changed,
# so that a build after a commit records the new commit without rebuilding
# everything. Run at every build by the harness_git_commit target.
execute_process(COMMAND git -C "${SRC}" rev-parse HEAD
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE
                RESULT_VARIABLE rc ERROR_QUIET)
if(NOT rc EQUAL 0 OR commit STREQUAL "")
  set(commit "unknown")
else()
  execute_process(COMMAND git -C "${SRC}" status --porcelain --untracked-files=no
                  OUTPUT_VARIABLE dirty OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(NOT dirty STREQUAL "")
    string(APPEND commit "+dirty")
  endif()
endif()
set(content "// Generated at build time; do not edit.\n#include \"harness/core/build_info.h\"\nnamespace harness {\nconst char kGitCommit[] = \"${commit}\";\n}  // namespace harness\n")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
else()
  set(old "")
endif()
if(NOT old STREQUAL content)
  file(WRITE "${OUT}" "${content}")
endif()
