/*
 * rules_load.c - the I/O half of the rules: find the rules folder (flag,
 * environment, next to the binary, installed data folder, current folder),
 * read its files and hand their text to the pure parser in
 * analyzers/rules.c.  Device profiles are read in name order so that error
 * messages and profile order do not depend on the file system.
 */
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "rules_load.h"

#define RULES_FILE_MAX	(1024 * 1024)
#define PATH_BUF	1024

static bool
has_findings(const char *dir)
{
	char p[PATH_BUF];
	struct stat st;

	if (snprintf(p, sizeof(p), "%s/findings.json", dir) >= (int)sizeof(p))
		return false;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

int
rules_default_dir(char *buf, size_t len, char *err, size_t errlen)
{
	static const char *const rel[] = {
		"../share/cyanprobe/rules", "../rules", "../../rules",
	};
	char exe[PATH_BUF], cand[PATH_BUF], *exedir;
	const char *env = getenv("CYANPROBE_RULES");
	ssize_t n;
	size_t i;

	if (env != NULL && *env != '\0') {
		if (!has_findings(env)) {
			snprintf(err, errlen, "CYANPROBE_RULES=%s: no "
			    "findings.json there", env);
			return -1;
		}
		snprintf(buf, len, "%s", env);
		return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		exedir = dirname(exe);
		for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
			if (snprintf(cand, sizeof(cand), "%s/%s", exedir,
			    rel[i]) >= (int)sizeof(cand))
				continue;
			if (has_findings(cand)) {
				snprintf(buf, len, "%s", cand);
				return 0;
			}
		}
	}
	if (has_findings(CYANPROBE_DATADIR "/rules")) {
		snprintf(buf, len, "%s", CYANPROBE_DATADIR "/rules");
		return 0;
	}
	if (has_findings("rules")) {
		snprintf(buf, len, "rules");
		return 0;
	}
	snprintf(err, errlen, "cannot find the rules folder (tried "
	    "$CYANPROBE_RULES, next to the program, %s/rules and ./rules); "
	    "use --rules DIR", CYANPROBE_DATADIR);
	return -1;
}

/* Read a whole file of at most RULES_FILE_MAX bytes; caller frees *out. */
static int
read_file(const char *path, char **out, size_t *outlen, char *err,
    size_t errlen)
{
	FILE *f;
	char *buf = NULL;
	size_t n = 0;
	long sz;

	if ((f = fopen(path, "rb")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) == -1 || (sz = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) == -1) {
		snprintf(err, errlen, "%s: cannot read: %s", path,
		    strerror(errno));
		goto fail;
	}
	if (sz > RULES_FILE_MAX) {
		snprintf(err, errlen, "%s: too large (%ld bytes, at most %d)",
		    path, sz, RULES_FILE_MAX);
		goto fail;
	}
	if ((buf = malloc((size_t)sz + 1)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto fail;
	}
	n = fread(buf, 1, (size_t)sz, f);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		goto fail;
	}
	buf[n] = '\0';
	fclose(f);
	*out = buf;
	*outlen = n;
	return 0;
fail:
	free(buf);
	fclose(f);
	return -1;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a > b && strcmp(s + a - b, suffix) == 0;
}

#define DEVICE_FILES_MAX	PROFILES_MAX

static int
load_devices(const char *dir, struct rules *r, char *err, size_t errlen)
{
	char path[PATH_BUF], *names[DEVICE_FILES_MAX], *text;
	struct dirent *de;
	size_t n = 0, i, len;
	DIR *d;
	int rc = -1;

	if (snprintf(path, sizeof(path), "%s/devices", dir) >=
	    (int)sizeof(path)) {
		snprintf(err, errlen, "%s: path too long", dir);
		return -1;
	}
	if ((d = opendir(path)) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || !ends_with(de->d_name, ".json"))
			continue;
		if (n == DEVICE_FILES_MAX) {
			snprintf(err, errlen, "%s: more than %d device "
			    "profiles", path, DEVICE_FILES_MAX);
			goto done;
		}
		if ((names[n] = strdup(de->d_name)) == NULL) {
			snprintf(err, errlen, "%s: out of memory", path);
			goto done;
		}
		n++;
	}
	qsort(names, n, sizeof(names[0]), cmp_names);
	for (i = 0; i < n; i++) {
		if (snprintf(path, sizeof(path), "%s/devices/%s", dir,
		    names[i]) >= (int)sizeof(path)) {
			snprintf(err, errlen, "%s: path too long", names[i]);
			goto done;
		}
		if (read_file(path, &text, &len, err, errlen) == -1)
			goto done;
		if (rules_parse_profile(r, text, len, path, err,
		    errlen) == -1) {
			free(text);
			goto done;
		}
		free(text);
	}
	rc = 0;
done:
	for (i = 0; i < n; i++)
		free(names[i]);
	closedir(d);
	return rc;
}

int
rules_load(const char *dir, struct rules *r, char *err, size_t errlen)
{
	char found[PATH_BUF], path[PATH_BUF], *text;
	size_t len;
	int rc;

	if (dir == NULL) {
		if (rules_default_dir(found, sizeof(found), err, errlen) == -1)
			return -1;
		dir = found;
	}
	rules_init(r);
	if (snprintf(path, sizeof(path), "%s/findings.json", dir) >=
	    (int)sizeof(path)) {
		snprintf(err, errlen, "%s: path too long", dir);
		return -1;
	}
	if (read_file(path, &text, &len, err, errlen) == -1)
		return -1;
	rc = rules_parse_findings(r, text, len, path, err, errlen);
	free(text);
	if (rc == -1 || load_devices(dir, r, err, errlen) == -1)
		return -1;
	if (rules_check(r, path, err, errlen) == -1)
		return -1;
	log_info("rules: %s (%zu device profiles)", dir, r->nprofiles);
	return 0;
}
