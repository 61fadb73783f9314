/*
 * fuzz_capture.c - the whole offline path of `cyanprobe analyze` on one
 * capture file held in memory: libpcap reads it through fmemopen() and
 * pcap_fopen_offline(), every packet goes down the decoders into netmap,
 * then netmap_group() and, when the rules folder is found (the replay runs
 * from the source tree), judge_run() for the Photon.  Seeds are small
 * synthetic pcaps in corpus/fuzz_capture plus the shared captures named in
 * fuzz_capture.seeds.  The tables are allocated once and reset per input,
 * as a long libFuzzer run would otherwise spend its time in calloc.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture_read.h"
#include "judge.h"
#include "netmap.h"
#include "rules_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct netmap		*nm;
static struct capture_stats	 st;
static struct judge_result	 jr;
static struct findings		 fs;
static struct rules		 rules;
static const struct profile	*photon;
static int			 ready;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct judge_opts o;
	char err[512];
	uint8_t *copy;
	FILE *f;

	if (!ready) {
		ready = 1;
		nm = netmap_new();
		rules_init(&rules);
		if (rules_load("rules", &rules, err, sizeof(err)) == 0)
			photon = rules_profile(&rules, "photon");
	}
	if (nm == NULL || size == 0)
		return 0;
	/* fmemopen wants a writable buffer; the input is const. */
	if ((copy = malloc(size)) == NULL)
		return 0;
	memcpy(copy, data, size);
	if ((f = fmemopen(copy, size, "rb")) == NULL) {
		free(copy);
		return 0;
	}
	netmap_reset(nm);
	if (capture_read_stream(f, "fuzz", nm, &st, err, sizeof(err)) == 0) {
		netmap_group(nm);
		if (photon != NULL) {
			memset(&o, 0, sizeof(o));
			o.profile = photon;
			o.fw = photon->fw_default;
			findings_init(&fs);
			(void)judge_run(nm, &o, &jr, &fs);
		}
	}
	free(copy);
	return 0;
}
