/*
 * oui.h - who made a network card: the IEEE MA-L (OUI) registry as Debian's
 * ieee-data package ships it, looked up by the first three bytes of a MAC.
 * The registry is read on first use into one sorted table and a string pool
 * (about 1 MB), then searched by bisection.  An address with the locally
 * administered bit set has no registered maker, whatever its first bytes say.
 */
#ifndef OUI_H
#define OUI_H

#include <stdint.h>

#define OUI_DEFAULT_TXT	"/usr/share/ieee-data/oui.txt"
#define OUI_DEFAULT_CSV	"/usr/share/ieee-data/oui.csv"
#define OUI_LOCAL	"locally administered"

/*
 * Load the registry from `path` (oui.txt or oui.csv format, told apart by
 * content), replacing any table loaded before.  With path NULL: the file
 * named by $CYANPROBE_OUI, else OUI_DEFAULT_TXT, else OUI_DEFAULT_CSV.
 * Returns the number of entries (0 for a file without any), or -1 when the
 * file cannot be read; the table is then empty and lookups return NULL.
 */
int		 oui_load(const char *path);

/*
 * The organisation that owns mac's OUI, OUI_LOCAL when the locally
 * administered bit is set, or NULL when unknown.  Loads the default registry
 * on first use (once; a failed load is not retried).  The string is valid
 * until oui_free() or the next oui_load().
 */
const char	*oui_vendor(const uint8_t mac[6]);

/* Entries in the loaded table (0 before any load). */
int		 oui_count(void);

/* Release the table; the next oui_vendor() loads it again. */
void		 oui_free(void);

#endif /* OUI_H */
