/* build_info.h — how this program was built, the one string `doseval --version`, summary.json and
 * report.html carry: "GIT; COMPILER VERSION; BUILD TYPE: FLAGS", GIT being `git describe --always
 * --dirty --tags` of the source tree at build time ("unknown" outside a git work tree, as in a
 * release tarball). The build writes its definition (cmake/build_info.cmake). */
#ifndef DOSEVAL_BUILD_INFO_H
#define DOSEVAL_BUILD_INFO_H

const char *build_info(void);

#endif
