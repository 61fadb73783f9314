/*
 * fuzz_hsreply.c - the handshake blocks a peer controls: the server's
 * 384-byte reply and the device's step-2 plaintext (nonce, id, key tail).
 */
#include <stddef.h>
#include <stdint.h>

#include "hsframe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hsreply r;
	struct hsclient c;
	volatile uint8_t sink = 0;

	if (hsreply_parse(data, size, &r) == 0)
		sink ^= r.cipher[HS_REPLY_CIPHER - 1] ^ r.sig[HS_REPLY_SIG - 1];
	if (hsclient_parse(data, size, &c) == 0) {
		sink ^= c.nonce[HS_NONCE_LEN - 1] ^
		    c.device_id[HS_DEVICE_ID_LEN - 1];
		if (c.pubkey != NULL)
			sink ^= c.pubkey[c.pubkey_len - 1];
	}
	(void)sink;
	return 0;
}
