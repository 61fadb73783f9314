/*
 * fuzz_dns.c - libFuzzer target for dns_parse() and dns_name_decode(): the
 * input is one DNS message (a UDP payload).  Seeds: messages cut from the
 * suricata-verify (dig, forward pointer, TXT, SRV) and tcpdump captures
 * (corpus/fuzz_dns).  Names must come back NUL-terminated and bounded.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_msg m;
	char name[DNS_NAME_TEXT_MAX];
	size_t i, next;

	if (dns_parse(data, size, &m) == 0) {
		if (m.n_answers > DNS_ANSWERS_MAX ||
		    m.n_questions > DNS_QUESTIONS_MAX)
			abort();
		for (i = 0; i < m.n_answers; i++) {
			if (strlen(m.answer[i].name) >= DNS_NAME_TEXT_MAX)
				abort();
			(void)dns_addr_class(m.answer[i].type == DNS_TYPE_A ?
			    4 : 6, m.answer[i].addr);
		}
		(void)dns_rcode_name(m.rcode);
	}
	/* A name at every offset, pointers and all. */
	for (i = 0; i < size && i < 512; i++)
		if (dns_name_decode(data, size, i, name, &next) == 0 &&
		    (strlen(name) >= DNS_NAME_TEXT_MAX || next > size))
			abort();
	return 0;
}
