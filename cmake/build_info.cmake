# build_info.cmake — run by the build (cmake -P) before the core library is compiled: writes OUT
# from TEMPLATE (src/base/build_info.c.in) with the build string "GIT; COMPILER", GIT being `git
# describe --always --dirty --tags` of SOURCE_DIR, or "unknown" when SOURCE_DIR is not the top of
# a git work tree (a release tarball, or one unpacked inside another repository) or git is
# missing. OUT is rewritten only when the string changes, so an unchanged tree rebuilds nothing.
# Inputs (-D): SOURCE_DIR, TEMPLATE, OUT, COMPILER (compiler, build type and flags), GIT (the git
# program, may be empty).
set(describe "unknown")
if(GIT)
  execute_process(COMMAND "${GIT}" -C "${SOURCE_DIR}" rev-parse --show-toplevel
    RESULT_VARIABLE rc OUTPUT_VARIABLE top ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
  get_filename_component(top "${top}" REALPATH)
  get_filename_component(source "${SOURCE_DIR}" REALPATH)
  if(rc EQUAL 0 AND top STREQUAL source)
    execute_process(COMMAND "${GIT}" -C "${SOURCE_DIR}" describe --always --dirty --tags
      RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(rc EQUAL 0 AND NOT out STREQUAL "")
      set(describe "${out}")
    endif()
  endif()
endif()
set(build "${describe}; ${COMPILER}")
# a C string literal
string(REPLACE "\\" "\\\\" build "${build}")
string(REPLACE "\"" "\\\"" build "${build}")
configure_file("${TEMPLATE}" "${OUT}.new" @ONLY)
execute_process(COMMAND "${CMAKE_COMMAND}" -E copy_if_different "${OUT}.new" "${OUT}")
file(REMOVE "${OUT}.new")
