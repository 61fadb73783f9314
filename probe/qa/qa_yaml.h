/*
 * qa_yaml.h - YAML text to a cJSON tree (libyaml), for QA plans.
 */
#ifndef QA_YAML_H
#define QA_YAML_H

#include <stddef.h>

#include <cJSON.h>

/*
 * Parse one YAML document of len bytes.  Returns a new cJSON tree (the
 * caller frees it with cJSON_Delete), or NULL with "FILE:LINE:COL: reason"
 * in err.  Scalars are strings but for plain true, false, null and ~.
 */
cJSON	*qa_yaml_parse(const char *text, size_t len, const char *file,
	    char *err, size_t errlen);

#endif /* QA_YAML_H */
