/*
 * test_hsframe.c - the handshake byte layouts: the 384-byte reply split,
 * the step-2 plaintext, record framing fed in pieces, and the Hello built
 * and parsed through libcoap, checked against particle-cloud.md 1.2-1.4.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hsframe.h"
#include "test.h"

/* particle-cloud.md 1.4: a Photon's Hello, as the device sends it. */
static const uint8_t photon_hello_for_peek[] = {
	0x50, 0x02, 0x12, 0x34, 0xb1, 0x68, 0xff,
	0xff, 0xff, 0xff, 0xff, 0x00, 0x01, 0x00, 0x06,
};

static void
test_reply(void)
{
	uint8_t buf[HS_REPLY_LEN + 1];
	struct hsreply r;
	size_t i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)i;
	expect_int("reply of 384 splits", 0, hsreply_parse(buf, 384, &r));
	test_cond("cipher is the first 128", r.cipher == buf);
	test_cond("signature follows", r.sig == buf + 128);
	expect_int("383 bytes is not a reply", -1, hsreply_parse(buf, 383, &r));
	expect_int("385 bytes is not a reply", -1, hsreply_parse(buf, 385, &r));
	expect_int("NULL is not a reply", -1, hsreply_parse(NULL, 384, &r));
}

static void
test_client(void)
{
	uint8_t nonce[HS_NONCE_LEN], id[HS_DEVICE_ID_LEN], pub[HS_DEVICE_PUB_LEN];
	uint8_t plain[HS_CLIENT_LEN];
	struct hsclient c;

	memset(nonce, 0xaa, sizeof(nonce));
	memset(id, 0x11, sizeof(id));
	memset(pub, 0x55, sizeof(pub));
	memcpy(pub, hs_device_pub_header, sizeof(hs_device_pub_header));
	hsclient_build(nonce, id, pub, plain);
	expect_int("214-byte block parses", 0,
	    hsclient_parse(plain, sizeof(plain), &c));
	expect_mem("nonce echoed first", nonce, c.nonce, sizeof(nonce));
	expect_mem("device id at 40", id, c.device_id, sizeof(id));
	expect_int("key tail length", HS_DEVICE_PUB_LEN, c.pubkey_len);
	test_cond("key tail has the SPKI header", c.pubkey_shaped);
	expect_int("52-byte 2014 form parses", 0, hsclient_parse(plain, 52, &c));
	test_cond("2014 form has no key", c.pubkey == NULL);
	expect_int("51 bytes is too short", -1, hsclient_parse(plain, 51, &c));
	plain[HS_CLIENT_MIN] ^= 1;
	hsclient_parse(plain, sizeof(plain), &c);
	test_cond("a damaged key header is noticed", !c.pubkey_shaped);
}

static void
test_frames(void)
{
	uint8_t wire[2 + 32 + 2 + 16 + 2];
	struct hsframe f;
	size_t i;

	memset(wire, 0, sizeof(wire));
	wire[0] = 0; wire[1] = 32;
	for (i = 0; i < 32; i++)
		wire[2 + i] = (uint8_t)i;
	wire[34] = 0; wire[35] = 16;
	wire[52] = 0x00; wire[53] = 0x11;	/* 17: not a block multiple */

	/* Fed byte by byte, a record is MORE until its last byte arrives. */
	for (i = 0; i < 34; i++)
		expect_int("partial record wants more", HSFRAME_MORE,
		    hsframe_next(wire, i, &f));
	expect_int("whole record", HSFRAME_READY, hsframe_next(wire, 34, &f));
	expect_int("record length", 32, f.len);
	expect_int("consumed", 34, f.consumed);
	test_cond("view into the input", f.data == wire + 2);
	expect_int("second record", HSFRAME_READY,
	    hsframe_next(wire + 34, sizeof(wire) - 34, &f));
	expect_int("second length", 16, f.len);
	expect_int("bad length is caught early", HSFRAME_BAD,
	    hsframe_next(wire + 52, 2, &f));
	wire[52] = 0; wire[53] = 0;
	expect_int("zero length is bad", HSFRAME_BAD,
	    hsframe_next(wire + 52, 2, &f));
	wire[52] = (HS_FRAME_MAX + 16) >> 8;
	wire[53] = (uint8_t)(HS_FRAME_MAX + 16);
	expect_int("over the maximum is bad", HSFRAME_BAD,
	    hsframe_next(wire + 52, 2, &f));
	expect_int("wire length of a 15-byte Hello", 18, hsframe_wire_len(15));
	expect_int("wire length of 16 bytes", 34, hsframe_wire_len(16));
	expect_int("wire length of 13 bytes", 18, hsframe_wire_len(13));
}

static void
test_hello(void)
{
	/* particle-cloud.md 1.4, Photon layout, product defaults. */
	static const uint8_t photon[] = {
		0x50, 0x02, 0x12, 0x34, 0xb1, 0x68, 0xff,
		0xff, 0xff, 0xff, 0xff, 0x00, 0x01, 0x00, 0x06,
	};
	static const uint8_t core[] = {
		0x50, 0x02, 0x00, 0x07, 0xb1, 0x68, 0xff,
		0x00, 0x2a, 0x00, 0x03, 0x00, 0x00,
	};
	struct hshello h = { 0 }, back;
	struct hscoap m;
	uint8_t out[64];
	int n;

	h.mid = 0x1234;
	h.product_id = HS_PRODUCT_DEFAULT;
	h.product_version = HS_PRODUCT_DEFAULT;
	h.flags = HS_HELLO_FLAG_OTA_OK;
	h.has_payload = true;
	h.has_platform = true;
	h.platform_id = 6;
	n = hshello_build(&h, out, sizeof(out));
	expect_int("Photon Hello is 15 bytes", 15, n);
	expect_mem("Photon Hello bytes", photon, out, sizeof(photon));
	expect_int("libcoap parses it", 0, hscoap_parse(out, (size_t)n, &m));
	expect_int("NON", HS_COAP_NON, m.type);
	expect_int("POST", HS_COAP_POST, m.code);
	expect_int("mid", 0x1234, m.mid);
	expect_str("Uri-Path", "h", m.path);
	expect_int("payload length", 8, m.payload_len);
	expect_int("Hello parses", 0, hshello_parse(&m, &back));
	expect_int("platform", 6, back.platform_id);
	test_cond("platform present", back.has_platform);
	expect_int("flags", 1, back.flags);
	expect_int("product id", 0xffff, back.product_id);

	memset(&h, 0, sizeof(h));
	h.mid = 7;
	h.product_id = 42;
	h.product_version = 3;
	h.has_payload = true;
	n = hshello_build(&h, out, sizeof(out));
	expect_int("Core Hello is 13 bytes", 13, n);
	expect_mem("Core Hello bytes", core, out, sizeof(core));
	hscoap_parse(out, (size_t)n, &m);
	expect_int("Core Hello parses", 0, hshello_parse(&m, &back));
	test_cond("no platform in the Core layout", !back.has_platform);
	expect_int("product id 42", 42, back.product_id);

	/* Cut inside the product version: not a Hello. */
	expect_int("truncated payload parses as CoAP", 0,
	    hscoap_parse(photon, 10, &m));
	expect_int("truncated Hello is rejected", -1, hshello_parse(&m, &back));
	expect_int("too small a buffer", -1, hshello_build(&h, out, 12));

	/* A server Hello with no payload. */
	memset(&h, 0, sizeof(h));
	h.mid = 0xbeef;
	n = hshello_build(&h, out, sizeof(out));
	expect_int("server Hello is 6 bytes", 6, n);
	hscoap_parse(out, (size_t)n, &m);
	expect_int("server Hello parses", 0, hshello_parse(&m, &back));
	test_cond("and has no payload", !back.has_payload);
}

static void
test_coap(void)
{
	static const uint8_t ping[] = { 0x40, 0x00, 0x01, 0x02 };
	static const uint8_t bad_version[] = { 0x80, 0x00, 0x01, 0x02 };
	static const uint8_t bad_tkl[] = { 0x4f, 0x00, 0x01, 0x02 };
	/* A Uri-Path option claiming 13+ bytes with none left. */
	static const uint8_t bad_opt[] = { 0x50, 0x02, 0x00, 0x01, 0xbd };
	struct hscoap m;
	uint8_t out[64];
	int n;

	expect_int("ping parses", 0, hscoap_parse(ping, sizeof(ping), &m));
	test_cond("ping is a ping", hscoap_is_ping(&m));
	expect_int("ping mid", 0x0102, m.mid);
	n = hscoap_build(HS_COAP_ACK, HS_COAP_EMPTY, 0x0102, NULL, NULL, 0,
	    out, sizeof(out));
	expect_int("ack is 4 bytes", 4, n);
	hscoap_parse(out, (size_t)n, &m);
	test_cond("ack answers the ping", hscoap_is_ack_for(&m, 0x0102));
	test_cond("ack does not answer another", !hscoap_is_ack_for(&m, 1));
	expect_int("version 2 rejected", -1,
	    hscoap_parse(bad_version, sizeof(bad_version), &m));
	expect_int("token length 15 rejected", -1,
	    hscoap_parse(bad_tkl, sizeof(bad_tkl), &m));
	expect_int("truncated option rejected", -1,
	    hscoap_parse(bad_opt, sizeof(bad_opt), &m));
	expect_int("3 bytes rejected", -1, hscoap_parse(ping, 3, &m));
	n = hscoap_build(HS_COAP_CON, HS_COAP_POST, 9, "e/spark/status",
	    (const uint8_t *)"online", 6, out, sizeof(out));
	test_cond("multi-segment path builds", n > 0);
	expect_int("and parses", 0, hscoap_parse(out, (size_t)n, &m));
	expect_str("segments rejoined", "e/spark/status", m.path);
	expect_int("payload", 6, m.payload_len);
	expect_int("does not fit", -1, hscoap_build(HS_COAP_CON, HS_COAP_POST,
	    9, "e/spark/status", (const uint8_t *)"online", 6, out, 10));
}


/*
 * Messages from the cloud the firmware's way (Messages::decodeType), from
 * the real bytes: spark-server's PingAck `61 00 <mid> 00` and Hello
 * `51 02 <mid> 01 b1 68` (spark-protocol SparkCore.js, Messages.js), which
 * libcoap rejects or accepts, and which the device takes either way.
 */
/*
 * A garbled record that passes the header check reaches libcoap, whose
 * default log writes its "bad length" warning to stdout, inside
 * `handshake --json`.  Run first, before anything else starts libcoap.
 */
static void
test_silent(void)
{
	/*
	 * Random bytes with a sane header (from a run of random records):
	 * libcoap 4.3.1 warns "offset 5 option 16 has bad length 3".
	 */
	static const uint8_t garbled[] = {
		0x50, 0xc9, 0x9a, 0x66, 0x32, 0x0d, 0xb7, 0x31, 0x58, 0xa3,
		0x5a, 0x25, 0x5d,
	};
	struct hspeek pk;
	struct hscoap m;
	FILE *tmp;
	int saved, out;
	long size;

	fflush(stdout);
	if ((tmp = tmpfile()) == NULL || (saved = dup(1)) < 0) {
		expect_int("stdout redirected for the libcoap log check", 0, 1);
		return;
	}
	out = dup2(fileno(tmp), 1);
	expect_int("libcoap rejects the garbled message", -1,
	    hscoap_parse(garbled, sizeof(garbled), &m));
	hscoap_peek(garbled, sizeof(garbled), &pk);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	size = fseek(tmp, 0, SEEK_END) == 0 ? ftell(tmp) : -1;
	fclose(tmp);
	expect_int("stdout redirected", 1, out);
	expect_int("libcoap printed nothing on stdout", 0, size);
}

static void
test_peek(void)
{
	static const uint8_t spark_ack[] = { 0x61, 0x00, 0x12, 0x34, 0x00 };
	static const uint8_t spark_hello[] = {
		0x51, 0x02, 0xab, 0xcd, 0x01, 0xb1, 0x68,
	};
	static const uint8_t rfc_ack[] = { 0x60, 0x00, 0x12, 0x34 };
	static const uint8_t ping[] = { 0x40, 0x00, 0x00, 0x07 };
	static const uint8_t ours[] = { 0x50, 0x02, 0xbe, 0xef, 0xb1, 0x68 };
	/* Device OS time reply: ACK 2.05 with a token and a payload. */
	static const uint8_t time_ack[] = {
		0x61, 0x45, 0x00, 0x09, 0x07, 0xff, 0x5f, 0x00, 0x00, 0x00,
	};
	/* TKL 15 and version 0: nonsense the firmware still reads. */
	static const uint8_t odd[] = { 0x0f, 0x02, 0x00, 0x01, 0x68 };
	struct hspeek pk;
	struct hscoap m;
	uint8_t out[16];

	expect_int("libcoap rejects spark-server's PingAck", -1,
	    hscoap_parse(spark_ack, sizeof(spark_ack), &m));
	expect_int("the firmware reads it", 0,
	    hscoap_peek(spark_ack, sizeof(spark_ack), &pk));
	expect_int("as an empty ACK", HSPEEK_EMPTY_ACK, pk.kind);
	expect_int("ACK type", HS_COAP_ACK, pk.type);
	expect_int("its mid", 0x1234, pk.mid);
	expect_int("a 1-byte token", 1, pk.token_len);
	test_cond("not RFC 7252", !pk.rfc7252);

	expect_int("spark-server's Hello", 0,
	    hscoap_peek(spark_hello, sizeof(spark_hello), &pk));
	expect_int("is a Hello", HSPEEK_HELLO, pk.kind);
	expect_int("its mid", 0xabcd, pk.mid);
	test_cond("and valid RFC 7252", pk.rfc7252);
	expect_int("libcoap parses it", 0,
	    hscoap_parse(spark_hello, sizeof(spark_hello), &m));
	expect_str("Uri-Path h behind the token", "h", m.path);

	hscoap_peek(rfc_ack, sizeof(rfc_ack), &pk);
	test_cond("an RFC ACK is an empty ACK", pk.kind == HSPEEK_EMPTY_ACK &&
	    pk.rfc7252 && pk.token_len == 0);
	hscoap_peek(ping, sizeof(ping), &pk);
	expect_int("empty CON is a ping", HSPEEK_PING, pk.kind);
	hscoap_peek(ours, sizeof(ours), &pk);
	expect_int("our 6-byte Hello", HSPEEK_HELLO, pk.kind);
	hscoap_peek(time_ack, sizeof(time_ack), &pk);
	expect_int("a time reply is some other message", HSPEEK_OTHER,
	    pk.kind);
	hscoap_peek(photon_hello_for_peek, sizeof(photon_hello_for_peek),
	    &pk);
	expect_int("a device-style Hello with payload", HSPEEK_HELLO, pk.kind);
	expect_int("TKL 15 read without overrun", 0,
	    hscoap_peek(odd, sizeof(odd), &pk));
	expect_int("  and its path byte is past the end", HSPEEK_OTHER,
	    pk.kind);
	expect_int("2 bytes still count", 0, hscoap_peek(spark_ack, 2, &pk));
	expect_int("  as a short message", HSPEEK_SHORT, pk.kind);
	expect_int("an empty record is nothing", -1,
	    hscoap_peek(spark_ack, 0, &pk));
	expect_int("NULL is nothing", -1, hscoap_peek(NULL, 0, &pk));

	/* The builders give exactly those bytes. */
	expect_int("PingAck builds", 5, hscoap_build_token(HS_COAP_ACK,
	    HS_COAP_EMPTY, 0x1234, (const uint8_t *)"", 1, NULL, NULL, 0,
	    out, sizeof(out)));
	expect_mem("PingAck bytes", spark_ack, out, sizeof(spark_ack));
	expect_int("Hello builds", 7, hscoap_build_token(HS_COAP_NON,
	    HS_COAP_POST, 0xabcd, (const uint8_t *)"\001", 1, "h", NULL, 0,
	    out, sizeof(out)));
	expect_mem("Hello bytes", spark_hello, out, sizeof(spark_hello));
	expect_int("9-byte token refused", -1, hscoap_build_token(HS_COAP_CON,
	    HS_COAP_EMPTY, 1, out, 9, NULL, NULL, 0, out, sizeof(out)));
	expect_int("no room for the token", -1, hscoap_build_token(HS_COAP_CON,
	    HS_COAP_EMPTY, 1, out, 1, NULL, NULL, 0, out, 4));
}

/*
 * The decrypted record's padding the firmware's way (Device OS
 * lightssl_message_channel.cpp receive(): length = packet_size -
 * buf[packet_size - 1], unchecked), on the real record shapes: a Photon
 * Hello (15 bytes, one pad byte), spark-server's Hello (7 bytes, nine),
 * what `cyanprobe cloud --fault bad-padding` sends (zeros, then the
 * count) and a record under another key (a last byte past the record).
 */
static void
test_unpad(void)
{
	static const uint8_t photon[16] = {
		0x50, 0x02, 0x00, 0x01, 0xb1, 0x68, 0xff, 0xff, 0xff, 0xff,
		0xff, 0x00, 0x06, 0x00, 0x06, 0x01,
	};
	uint8_t rec[32];
	size_t len = 99;

	expect_int("Photon Hello: valid PKCS#7", HSPAD_OK,
	    hsframe_unpad(photon, sizeof(photon), &len));
	expect_int("  15 bytes of message", 15, (int)len);
	memcpy(rec, (const uint8_t[]){ 0x51, 0x02, 0xab, 0xcd, 0x01, 0xb1,
	    0x68 }, 7);
	memset(rec + 7, 9, 9);
	expect_int("spark-server Hello: valid", HSPAD_OK,
	    hsframe_unpad(rec, 16, &len));
	expect_int("  7 bytes", 7, (int)len);
	memset(rec + 7, 0, 8);
	expect_int("zeros then the count: not PKCS#7", HSPAD_BAD,
	    hsframe_unpad(rec, 16, &len));
	expect_int("  the firmware still takes 7 bytes", 7, (int)len);
	rec[15] = 0;
	expect_int("a last byte 0: not PKCS#7", HSPAD_BAD,
	    hsframe_unpad(rec, 16, &len));
	expect_int("  the whole record is the message", 16, (int)len);
	rec[15] = 0xc3;
	expect_int("a last byte past the record", HSPAD_OVER,
	    hsframe_unpad(rec, 16, &len));
	expect_int("  read from the start anyway", 16, (int)len);
	memset(rec, 16, 16);
	expect_int("a whole block of padding", HSPAD_OK,
	    hsframe_unpad(rec, 16, &len));
	expect_int("  an empty message, which the firmware skips", 0,
	    (int)len);
	memset(rec, 0, sizeof(rec));
	rec[31] = 17;
	expect_int("17: more than a block is no PKCS#7", HSPAD_BAD,
	    hsframe_unpad(rec, 32, &len));
	expect_int("  15 bytes taken", 15, (int)len);
	expect_int("nothing at all", HSPAD_OVER, hsframe_unpad(rec, 0, &len));
	expect_int("  no length", 0, (int)len);
	test_cond("names for people", strcmp(hspad_name(HSPAD_BAD),
	    "padding that is not valid PKCS#7") == 0);
}

/*
 * The 2014 Core firmware reads the whole decrypted record
 * (core-communication-lib spark_protocol.cpp received_message(): no
 * padding mode, dispatch on the code and buf[5 + TKL]), Device OS cuts
 * `size - last byte`.  On the real Hello shapes (the Core's own Hello
 * from its hello(), `50 02 MID b1 68 ff ...` padded `03 03 03`, and
 * spark-server's `51 02 MID 01 b1 68`) with a last byte that leaves
 * Device OS too little: an empty message, or one cut before the path
 * byte.  The Core still reads a Hello.
 */
static void
test_core_read(void)
{
	static const uint8_t core_hello[16] = {
		0x50, 0x02, 0x12, 0x34, 0xb1, 0x68, 0xff, 0xff, 0xff, 0xff,
		0xff, 0x00, 0x00, 0x03, 0x03, 0x03,
	};
	uint8_t rec[16];
	struct hspeek pk;
	enum hspad pad;
	size_t n;

	n = hsframe_read_len(core_hello, 16, HSREAD_CORE2014, &pad);
	expect_int("Core Hello, Core's read: the whole record", 16, (int)n);
	expect_int("  valid PKCS#7 all the same", HSPAD_OK, pad);
	expect_int("Core Hello, Device OS's read: 13 bytes", 13,
	    (int)hsframe_read_len(core_hello, 16, HSREAD_DEVICE_OS, &pad));
	memcpy(rec, core_hello, 16);
	rec[15] = 0x10;		/* the record's length */
	expect_int("last byte 16: Device OS reads nothing", 0,
	    (int)hsframe_read_len(rec, 16, HSREAD_DEVICE_OS, &pad));
	expect_int("  padding not valid", HSPAD_BAD, pad);
	n = hsframe_read_len(rec, 16, HSREAD_CORE2014, &pad);
	expect_int("last byte 16: the Core reads 16", 16, (int)n);
	test_cond("  and it is a Hello to the Core", hscoap_peek(rec, n,
	    &pk) == 0 && pk.kind == HSPEEK_HELLO && pk.mid == 0x1234);
	memcpy(rec, (const uint8_t[]){ 0x51, 0x02, 0xab, 0xcd, 0x01, 0xb1,
	    0x68 }, 7);
	memset(rec + 7, 9, 9);
	rec[15] = 12;		/* Device OS: 4 bytes, path byte cut off */
	n = hsframe_read_len(rec, 16, HSREAD_DEVICE_OS, &pad);
	test_cond("spark-server Hello, last byte 12: no Hello to Device OS",
	    n == 4 && hscoap_peek(rec, n, &pk) == 0 &&
	    pk.kind != HSPEEK_HELLO);
	n = hsframe_read_len(rec, 16, HSREAD_CORE2014, &pad);
	test_cond("  a Hello to the Core", n == 16 && hscoap_peek(rec, n,
	    &pk) == 0 && pk.kind == HSPEEK_HELLO && pk.mid == 0xabcd);
}

int
main(void)
{
	test_silent();
	test_reply();
	test_client();
	test_frames();
	test_hello();
	test_coap();
	test_peek();
	test_unpad();
	test_core_read();
	return test_report();
}
