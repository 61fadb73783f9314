/*
 * replay.c - a main() for fuzz targets, so `make check` runs every seed
 * through LLVMFuzzerTestOneInput under ASan+UBSan without libFuzzer.
 * Each argument is one input file; a crash or sanitizer report fails the run.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
replay_file(const char *path)
{
	FILE *f;
	uint8_t *buf;
	long len;

	if ((f = fopen(path, "rb")) == NULL) {
		printf("FAIL %s: cannot open\n", path);
		return -1;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		printf("FAIL %s: cannot size\n", path);
		return -1;
	}
	/* Exact-size heap buffer, so ASan sees any read past the input. */
	buf = malloc(len > 0 ? (size_t)len : 1);
	if (buf == NULL || fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		fclose(f);
		printf("FAIL %s: cannot read\n", path);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)len);
	free(buf);
	return 0;
}

int
main(int argc, char **argv)
{
	int i, ok = 0, bad = 0;

	for (i = 1; i < argc; i++) {
		if (replay_file(argv[i]) == 0)
			ok++;
		else
			bad++;
	}
	printf("# %d passed, %d failed\n", ok, bad);
	return bad != 0;
}
