/*
 * qa_yaml.c - read YAML text with libyaml into a cJSON tree, so that a QA
 * plan written in YAML is validated by the same code as one in JSON.
 * Scalars become strings, except plain true/false and null/~; the
 * validator reads numbers from strings where it wants numbers, so "1.10"
 * stays a firmware version and never turns into 1.1.  Aliases are refused
 * (a plan has no use for them, and they are how a small file expands into
 * a huge tree), mapping keys must be plain strings and unique, nesting is
 * at most QA_YAML_DEPTH deep and a document at most QA_YAML_NODES nodes.
 */
#include <stdio.h>
#include <string.h>

#include <yaml.h>

#include "qa_yaml.h"

#define QA_YAML_DEPTH	16
#define QA_YAML_NODES	100000

struct qa_yaml {
	yaml_document_t	*doc;
	const char	*file;
	char		*err;
	size_t		 errlen;
	size_t		 nodes;
};

static cJSON	*qa_yaml_node(struct qa_yaml *y, yaml_node_t *n, int depth);

static cJSON *
qa_yaml_fail(struct qa_yaml *y, const yaml_node_t *n, const char *why)
{
	snprintf(y->err, y->errlen, "%s:%zu:%zu: %s", y->file,
	    (size_t)n->start_mark.line + 1, (size_t)n->start_mark.column + 1,
	    why);
	return NULL;
}

static cJSON *
qa_yaml_scalar(const yaml_node_t *n)
{
	const char *s = (const char *)n->data.scalar.value;
	size_t len = n->data.scalar.length;

	if (strlen(s) != len)
		return NULL;	/* a NUL inside: refused by the caller */
	if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		if (strcmp(s, "true") == 0)
			return cJSON_CreateTrue();
		if (strcmp(s, "false") == 0)
			return cJSON_CreateFalse();
		if (strcmp(s, "null") == 0 || strcmp(s, "~") == 0 || len == 0)
			return cJSON_CreateNull();
	}
	return cJSON_CreateString(s);
}

static cJSON *
qa_yaml_seq(struct qa_yaml *y, yaml_node_t *n, int depth)
{
	yaml_node_item_t *it;
	cJSON *a, *v;

	if ((a = cJSON_CreateArray()) == NULL)
		return qa_yaml_fail(y, n, "out of memory");
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		v = qa_yaml_node(y, yaml_document_get_node(y->doc, *it),
		    depth + 1);
		if (v == NULL || !cJSON_AddItemToArray(a, v)) {
			cJSON_Delete(v);
			cJSON_Delete(a);
			return NULL;
		}
	}
	return a;
}

static cJSON *
qa_yaml_map(struct qa_yaml *y, yaml_node_t *n, int depth)
{
	yaml_node_pair_t *pr;
	yaml_node_t *k;
	cJSON *o, *v;
	const char *key;
	char why[160];

	if ((o = cJSON_CreateObject()) == NULL)
		return qa_yaml_fail(y, n, "out of memory");
	for (pr = n->data.mapping.pairs.start;
	    pr < n->data.mapping.pairs.top; pr++) {
		k = yaml_document_get_node(y->doc, pr->key);
		if (k == NULL || k->type != YAML_SCALAR_NODE) {
			cJSON_Delete(o);
			return qa_yaml_fail(y, n, "a key that is not a string");
		}
		key = (const char *)k->data.scalar.value;
		if (cJSON_GetObjectItemCaseSensitive(o, key) != NULL) {
			snprintf(why, sizeof(why), "key '%.100s' given twice",
			    key);
			cJSON_Delete(o);
			return qa_yaml_fail(y, k, why);
		}
		v = qa_yaml_node(y, yaml_document_get_node(y->doc, pr->value),
		    depth + 1);
		if (v == NULL || !cJSON_AddItemToObject(o, key, v)) {
			cJSON_Delete(v);
			cJSON_Delete(o);
			return NULL;
		}
	}
	return o;
}

static cJSON *
qa_yaml_node(struct qa_yaml *y, yaml_node_t *n, int depth)
{
	cJSON *v;

	if (n == NULL) {
		snprintf(y->err, y->errlen, "%s: a node libyaml lost",
		    y->file);
		return NULL;
	}
	if (depth > QA_YAML_DEPTH)
		return qa_yaml_fail(y, n, "nested too deep");
	if (++y->nodes > QA_YAML_NODES)
		return qa_yaml_fail(y, n, "too many nodes");
	switch (n->type) {
	case YAML_SCALAR_NODE:
		if ((v = qa_yaml_scalar(n)) == NULL)
			return qa_yaml_fail(y, n, "a NUL byte in a scalar");
		return v;
	case YAML_SEQUENCE_NODE:
		return qa_yaml_seq(y, n, depth);
	case YAML_MAPPING_NODE:
		return qa_yaml_map(y, n, depth);
	default:
		return qa_yaml_fail(y, n, "an empty node");
	}
}

/*
 * libyaml's document loader expands aliases into shared nodes; an event
 * pass first refuses them, and any second document.
 */
static int
qa_yaml_precheck(const char *text, size_t len, struct qa_yaml *y)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int rc = 0, docs = 0, done = 0;

	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	while (!done && rc == 0) {
		if (!yaml_parser_parse(&p, &ev)) {
			snprintf(y->err, y->errlen, "%s:%zu:%zu: %s", y->file,
			    (size_t)p.problem_mark.line + 1,
			    (size_t)p.problem_mark.column + 1,
			    p.problem != NULL ? p.problem : "bad YAML");
			rc = -1;
			break;
		}
		if (ev.type == YAML_ALIAS_EVENT) {
			snprintf(y->err, y->errlen, "%s:%zu:%zu: aliases are "
			    "not allowed in a plan", y->file,
			    (size_t)ev.start_mark.line + 1,
			    (size_t)ev.start_mark.column + 1);
			rc = -1;
		} else if (ev.type == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
			snprintf(y->err, y->errlen, "%s:%zu:%zu: more than one "
			    "document", y->file, (size_t)ev.start_mark.line + 1,
			    (size_t)ev.start_mark.column + 1);
			rc = -1;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return rc;
}

cJSON *
qa_yaml_parse(const char *text, size_t len, const char *file, char *err,
    size_t errlen)
{
	struct qa_yaml y = { NULL, file, err, errlen, 0 };
	yaml_parser_t p;
	yaml_document_t doc;
	yaml_node_t *root;
	cJSON *out = NULL;

	if (qa_yaml_precheck(text, len, &y) == -1)
		return NULL;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	if (!yaml_parser_load(&p, &doc)) {
		snprintf(err, errlen, "%s:%zu:%zu: %s", file,
		    (size_t)p.problem_mark.line + 1,
		    (size_t)p.problem_mark.column + 1,
		    p.problem != NULL ? p.problem : "bad YAML");
		yaml_parser_delete(&p);
		return NULL;
	}
	y.doc = &doc;
	if ((root = yaml_document_get_root_node(&doc)) == NULL)
		snprintf(err, errlen, "%s: empty document", file);
	else
		out = qa_yaml_node(&y, root, 0);
	yaml_document_delete(&doc);
	yaml_parser_delete(&p);
	return out;
}
