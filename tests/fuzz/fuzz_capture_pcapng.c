/*
 * fuzz_capture_pcapng.c - cyanprobe's own pcapng reader (capture_read_pcapng
 * over analyzers/pcapng_blocks.c), the fallback for files whose interfaces
 * have different link types, on one file held in memory: every block, every
 * packet down the decoders into netmap.  Seeds: synthetic multi-interface
 * pcapng files in corpus/fuzz_capture_pcapng and the shared pcapng captures.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture_read.h"
#include "netmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct netmap		*nm;
static struct capture_stats	 st;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;
	FILE *f;

	if (nm == NULL && (nm = netmap_new()) == NULL)
		return 0;
	if (size == 0)
		return 0;
	/* fmemopen wants a writable buffer; the input is const. */
	if ((copy = malloc(size)) == NULL)
		return 0;
	memcpy(copy, data, size);
	if ((f = fmemopen(copy, size, "rb")) != NULL) {
		netmap_reset(nm);
		memset(&st, 0, sizeof(st));
		(void)capture_read_pcapng(f, "fuzz", nm, &st);
		netmap_group(nm);
		fclose(f);
	}
	free(copy);
	return 0;
}
