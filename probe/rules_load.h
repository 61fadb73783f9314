/*
 * rules_load.h - find the rules folder and load every file in it into a
 * struct rules (analyzers/rules.h): DIR/findings.json and each DIR/devices/NAME.json.
 */
#ifndef RULES_LOAD_H
#define RULES_LOAD_H

#include <stddef.h>

#include "rules.h"

/*
 * The rules folder to use when --rules is not given, written to buf:
 *   1. $CYANPROBE_RULES;
 *   2. next to the running binary: EXE/../share/cyanprobe/rules (an
 *      installed or DESTDIR-staged tree), EXE/../rules and EXE/../../rules
 *      (a build folder inside the source tree);
 *   3. CYANPROBE_DATADIR "/rules" (where `make install` put them);
 *   4. ./rules (a build folder elsewhere, run from the source tree).
 * A candidate counts when it holds findings.json.  Returns 0, or -1 with a
 * message in err listing what was tried.
 */
int	rules_default_dir(char *buf, size_t len, char *err, size_t errlen);

/*
 * Load DIR/findings.json and every DIR/devices/NAME.json (in name order) into
 * r, then cross-check them.  dir NULL means rules_default_dir().  Returns 0,
 * or -1 with "FILE: $.PATH: problem" (or "FILE: reason" for I/O) in err.
 * Files larger than 1 MiB are refused.
 */
int	rules_load(const char *dir, struct rules *r, char *err, size_t errlen);

#endif /* RULES_LOAD_H */
