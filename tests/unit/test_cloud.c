/*
 * test_cloud.c - the local cloud in-process on loopback, driven by a client
 * built from the shared handshake pieces, so it can misbehave after the
 * handshake too: a record with an impossible length, a record that does
 * not decrypt, a message id out of order.  Each must end only its own
 * connection, with the reason in the JSON log, while a normal device
 * connects beside it; pings must be answered with ACKs.  And the cloud in
 * spark-server's wire form: its bytes, and the device's side against it;
 * and the 2014 Core's side against clouds without a Hello it can read.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "cloud.h"
#include "handshake.h"
#include "hsframe.h"
#include "keys.h"
#include "test.h"

static char tmpdir[] = "/tmp/test_cloud.XXXXXX";
static const char *ID = "53ff6f066667574852212467";

struct server {
	struct cloud_opts	o;
	struct sockaddr_in	sin;
	int			stop[2];
	pthread_t		tid;
	int			rc;
	char			err[256];
};

static void *
serve(void *arg)
{
	struct server *s = arg;

	s->rc = cloud_serve(&s->o, s->err, sizeof(s->err));
	return NULL;
}

static int
read_all(int fd, uint8_t *b, size_t n)
{
	struct pollfd p = { fd, POLLIN, 0 };
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		if (poll(&p, 1, 3000) <= 0)
			return -1;
		r = recv(fd, b + got, n - got, 0);
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

/* One decrypted message from the cloud into plain; its length or -1. */
static int
read_msg(int fd, struct hs_channel *rx, uint8_t *plain, size_t cap)
{
	uint8_t hdr[2], c[HS_FRAME_MAX];
	size_t n;

	if (read_all(fd, hdr, 2) != 0)
		return -1;
	n = (size_t)(hdr[0] << 8 | hdr[1]);
	if (n == 0 || n > sizeof(c) || read_all(fd, c, n) != 0)
		return -1;
	return hs_channel_open(rx, c, n, plain, cap);
}

/* Is the peer's side closed (EOF within 3 s)? */
static int
closed_by_peer(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };
	uint8_t b[64];

	while (poll(&p, 1, 3000) > 0) {
		ssize_t r = recv(fd, b, sizeof(b), 0);

		if (r <= 0)
			return 1;
	}
	return 0;
}

/*
 * Connect and run the handshake up to the server's Hello by hand.
 * Returns the socket with tx/rx channels ready and *mid the last id used.
 */
static int
handshake_by_hand(const struct sockaddr_in *sin, EVP_PKEY *dk, EVP_PKEY *sk,
    struct hs_channel *tx, struct hs_channel *rx, uint16_t *mid)
{
	uint8_t nonce[HS_NONCE_LEN], id[HS_DEVICE_ID_LEN];
	uint8_t pub[HS_DEVICE_PUB_LEN], plain[HS_CLIENT_LEN];
	uint8_t block[HS_CLIENT_BLOCK], reply[HS_REPLY_LEN];
	uint8_t session[HS_CLIENT_BLOCK], msg[64], wire[128];
	struct hshello h = { 0 };
	size_t n;
	int fd, w;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    connect(fd, (const struct sockaddr *)sin, sizeof(*sin)) != 0)
		return -1;
	keys_parse_device_id(ID, id);
	n = sizeof(block);
	if (read_all(fd, nonce, sizeof(nonce)) != 0 ||
	    keys_device_pub_der(dk, pub) != 0)
		goto fail;
	hsclient_build(nonce, id, pub, plain);
	if (hs_rsa_encrypt(sk, plain, sizeof(plain), block, &n) != 0 ||
	    send(fd, block, sizeof(block), 0) != (ssize_t)sizeof(block) ||
	    read_all(fd, reply, sizeof(reply)) != 0)
		goto fail;
	n = sizeof(session);
	if (hs_rsa_decrypt(dk, reply, HS_REPLY_CIPHER, session, &n) != 0 ||
	    n != HS_SESSION_LEN)
		goto fail;
	hs_channel_init(tx, session);
	hs_channel_init(rx, session);
	*mid = 100;
	h.mid = *mid;
	h.has_payload = true;
	h.has_platform = true;
	h.platform_id = 6;
	w = hshello_build(&h, msg, sizeof(msg));
	w = hs_channel_seal(tx, msg, (size_t)w, wire, sizeof(wire));
	if (w < 0 || send(fd, wire, (size_t)w, 0) != w)
		goto fail;
	if (read_msg(fd, rx, msg, sizeof(msg)) < 0)
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

static int
send_msg(int fd, struct hs_channel *tx, uint8_t type, uint16_t mid)
{
	uint8_t msg[16], wire[64];
	int n = hscoap_build(type, HS_COAP_EMPTY, mid, NULL, NULL, 0, msg,
	    sizeof(msg));

	n = hs_channel_seal(tx, msg, (size_t)n, wire, sizeof(wire));
	return n > 0 && send(fd, wire, (size_t)n, 0) == n ? 0 : -1;
}

static void
test_abuse(struct server *s, EVP_PKEY *dk, EVP_PKEY *sk)
{
	struct hs_channel tx, rx;
	struct handshake_opts o;
	struct handshake_result *r = calloc(1, sizeof(*r));
	struct hscoap m;
	uint8_t plain[64], junk[2 + 32];
	uint16_t mid;
	int fd, n;

	/* A ping gets an ACK with its id. */
	fd = handshake_by_hand(&s->sin, dk, sk, &tx, &rx, &mid);
	test_cond("handshake by hand", fd >= 0);
	if (fd < 0)
		goto out;
	expect_int("ping sent", 0, send_msg(fd, &tx, HS_COAP_CON, ++mid));
	n = read_msg(fd, &rx, plain, sizeof(plain));
	test_cond("ping answered", n > 0 && hscoap_parse(plain, (size_t)n,
	    &m) == 0 && hscoap_is_ack_for(&m, mid));
	/* The same id again breaks the counter: the cloud hangs up. */
	expect_int("repeat id sent", 0, send_msg(fd, &tx, HS_COAP_CON, mid));
	test_cond("Bad Counter closes", closed_by_peer(fd));
	close(fd);

	/* A length that is not a block multiple. */
	fd = handshake_by_hand(&s->sin, dk, sk, &tx, &rx, &mid);
	test_cond("second handshake", fd >= 0);
	if (fd < 0)
		goto out;
	junk[0] = 0;
	junk[1] = 17;
	memset(junk + 2, 0x5a, 17);
	send(fd, junk, 19, 0);
	test_cond("impossible length closes", closed_by_peer(fd));
	close(fd);

	/* A record that is not under the session key, beside a good device. */
	fd = handshake_by_hand(&s->sin, dk, sk, &tx, &rx, &mid);
	test_cond("third handshake", fd >= 0);
	if (fd < 0)
		goto out;
	handshake_opts_init(&o);
	o.addr = (const struct sockaddr *)&s->sin;
	o.addrlen = sizeof(s->sin);
	o.device_key = dk;
	o.server_key = sk;
	keys_parse_device_id(ID, o.device_id);
	expect_int("a device beside it completes", 0, handshake_run(&o, r));
	junk[0] = 0;
	junk[1] = 32;
	memset(junk + 2, 0xa5, 32);
	send(fd, junk, 34, 0);
	test_cond("undecryptable record closes", closed_by_peer(fd));
	close(fd);
out:
	free(r);
}

static void
check_log(const char *path)
{
	char line[2048];
	FILE *f = fopen(path, "r");
	int counter = 0, length = 0, decrypt = 0, connected = 0, stopped = 0;

	if (f == NULL) {
		test_cond("log readable", 0);
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strstr(line, "Bad Counter") != NULL)
			counter++;
		if (strstr(line, "impossible length") != NULL)
			length++;
		if (strstr(line, "does not decrypt") != NULL)
			decrypt++;
		if (strstr(line, "\"outcome\":\"connected\"") != NULL)
			connected++;
		if (strstr(line, "\"event\":\"stopped\"") != NULL)
			stopped++;
	}
	fclose(f);
	expect_int("one Bad Counter line", 1, counter);
	expect_int("one impossible-length line", 1, length);
	expect_int("one undecryptable line", 1, decrypt);
	expect_int("every connection had completed its handshake", 4,
	    connected);
	expect_int("a stopped line", 1, stopped);
}

/*
 * Start a cloud in a thread on a free loopback port with `wire` and
 * `fault`, logging to logpath.  Returns 0 once it listens.
 */
static int
server_start(struct server *s, EVP_PKEY *sk, enum cloud_wire wire,
    enum cloud_fault fault, const char *logpath, const char *ready)
{
	FILE *f;
	int i, port = 0;

	memset(s, 0, sizeof(*s));
	cloud_opts_init(&s->o);
	s->sin.sin_family = AF_INET;
	s->sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s->o.addr = (const struct sockaddr *)&s->sin;
	s->o.addrlen = sizeof(s->sin);
	s->o.server_key = sk;
	s->o.devices_dir = tmpdir;
	s->o.deadline_ms = 3000;
	s->o.threads = 2;
	s->o.wire = wire;
	s->o.fault = fault;
	s->o.ready_file = ready;
	unlink(ready);
	s->o.log = fopen(logpath, "w");
	if (s->o.log == NULL || pipe(s->stop) != 0)
		return -1;
	s->o.stop_fd = s->stop[0];
	pthread_create(&s->tid, NULL, serve, s);
	for (i = 0; i < 100 && port == 0; i++) {
		usleep(20000);
		if ((f = fopen(ready, "r")) != NULL) {
			if (fscanf(f, "%*s %d", &port) != 1)
				port = 0;
			fclose(f);
		}
	}
	s->sin.sin_port = htons((uint16_t)port);
	return port > 0 ? 0 : -1;
}

static void
server_stop(struct server *s)
{
	if (write(s->stop[1], "x", 1) != 1)
		printf("FAIL stop pipe\n");
	pthread_join(s->tid, NULL);
	expect_int("clean stop", 0, s->rc);
	fclose(s->o.log);
	close(s->stop[0]);
	close(s->stop[1]);
}

/*
 * spark-server's own bytes (spark-protocol SparkCore.js, Messages.js): a
 * Hello and a PingAck that carry a 1-byte token, the PingAck an empty
 * message RFC 7252 calls malformed.  Source, particle-iot/spark-protocol
 * commit 223c0ee: js/lib/Messages.js line 50 (Spec Hello: POST, "h", NON)
 * and line 90 (Spec PingAck: EMPTY, ACK), wrap() (a 1-byte token unless
 * null); js/clients/SparkCore.js sendReply("PingAck", id) with no token,
 * sendMessage("Hello") with getNextToken(), the first being 1.
 */
static void
test_wire_bytes(void)
{
	static const uint8_t spark_hello[] = {
		0x51, 0x02, 0xab, 0xcd, 0x01, 0xb1, 0x68,
	};
	static const uint8_t spark_ack[] = { 0x61, 0x00, 0x12, 0x34, 0x00 };
	static const uint8_t rfc_hello[] = { 0x50, 0x02, 0xab, 0xcd, 0xb1, 0x68 };
	static const uint8_t rfc_ack[] = { 0x60, 0x00, 0x12, 0x34 };
	enum cloud_wire w;
	uint8_t out[32];

	expect_int("spark-server Hello", 7, cloud_hello_bytes(
	    CLOUD_WIRE_SPARK_SERVER, 0xabcd, out, sizeof(out)));
	expect_mem("  its bytes", spark_hello, out, sizeof(spark_hello));
	expect_int("spark-server PingAck", 5, cloud_ack_bytes(
	    CLOUD_WIRE_SPARK_SERVER, 0x1234, out, sizeof(out)));
	expect_mem("  its bytes", spark_ack, out, sizeof(spark_ack));
	expect_int("RFC 7252 Hello", 6, cloud_hello_bytes(CLOUD_WIRE_RFC7252,
	    0xabcd, out, sizeof(out)));
	expect_mem("  its bytes", rfc_hello, out, sizeof(rfc_hello));
	expect_int("RFC 7252 ACK", 4, cloud_ack_bytes(CLOUD_WIRE_RFC7252,
	    0x1234, out, sizeof(out)));
	expect_mem("  its bytes", rfc_ack, out, sizeof(rfc_ack));
	expect_int("no room", -1, cloud_ack_bytes(CLOUD_WIRE_SPARK_SERVER,
	    1, out, 4));
	test_cond("wire by name", cloud_wire_from_name("spark-server", &w) &&
	    w == CLOUD_WIRE_SPARK_SERVER);
	test_cond("unknown wire", !cloud_wire_from_name("coap", &w));
}

/*
 * The device's side against a cloud in spark-server's wire form: healthy,
 * its PingAck answers the ping (libcoap alone would time out, and the old
 * probe said handshake.no_hello); with pings unanswered, the Hello still
 * passes and the finding is cloud.ping_unanswered.
 */
static void
test_spark_server(EVP_PKEY *dk, EVP_PKEY *sk, const char *logpath,
    const char *ready)
{
	struct server s;
	struct handshake_opts o;
	struct handshake_result *r = calloc(1, sizeof(*r));
	int fault;

	for (fault = 0; fault < 2 && r != NULL; fault++) {
		if (server_start(&s, sk, CLOUD_WIRE_SPARK_SERVER, fault ?
		    CLOUD_FAULT_NO_PING_ACK : CLOUD_FAULT_NONE, logpath,
		    ready) != 0) {
			test_cond("spark-server cloud listening", 0);
			break;
		}
		handshake_opts_init(&o);
		o.addr = (const struct sockaddr *)&s.sin;
		o.addrlen = sizeof(s.sin);
		o.device_key = dk;
		o.server_key = sk;
		o.ping_ms = 500;
		keys_parse_device_id(ID, o.device_id);
		if (!fault) {
			expect_int("spark-server: connected", 0,
			    handshake_run(&o, r));
			test_cond("  the ping answered by its token ACK",
			    strstr(r->step[HS_STEP_PING].detail,
			    "not valid RFC 7252") != NULL);
			test_cond("  its Hello has no payload",
			    r->step[HS_STEP_HELLO_RECV].outcome == HS_OK &&
			    !r->server_hello.has_payload);
		} else {
			expect_int("no ping answer: fails", 1,
			    handshake_run(&o, r));
			expect_str("  as cloud.ping_unanswered",
			    "cloud.ping_unanswered", finding_name(r->finding));
			expect_int("  after a good Hello", HS_OK,
			    r->step[HS_STEP_HELLO_RECV].outcome);
		}
		server_stop(&s);
	}
	free(r);
}

/*
 * The 2014 Core's session against clouds without a Hello it can read
 * (core-communication-lib: handshake() returns once the device's own
 * Hello is sent, and any record is a sign of life).  A cloud that answers
 * nothing after the key exchange (no-hello): the Core's handshake passes
 * and its ping goes unanswered, cloud.ping_unanswered; Device OS waits for
 * the Hello, handshake.no_hello.  A Hello under another key (bad-record)
 * and spark-server's PingAck (61 00 MID 00) after the ping: the Core is
 * connected.
 */
static void
test_core_no_hello(EVP_PKEY *dk, EVP_PKEY *sk, const char *logpath,
    const char *ready)
{
	struct server s;
	struct handshake_opts o;
	struct handshake_result *r = calloc(1, sizeof(*r));
	int core;

	if (r == NULL || server_start(&s, sk, CLOUD_WIRE_RFC7252,
	    CLOUD_FAULT_NO_HELLO, logpath, ready) != 0) {
		test_cond("no-hello cloud listening", 0);
		free(r);
		return;
	}
	for (core = 1; core >= 0; core--) {
		handshake_opts_init(&o);
		o.addr = (const struct sockaddr *)&s.sin;
		o.addrlen = sizeof(s.sin);
		o.device_key = dk;
		o.server_key = sk;
		o.hello_ms = 300;	/* no Hello comes: these waits end */
		o.ping_ms = 300;
		o.core2014 = core;
		keys_parse_device_id(ID, o.device_id);
		expect_int(core ? "no-hello, Core 2014: fails" :
		    "no-hello, Device OS: fails", 1, handshake_run(&o, r));
		expect_str("  finding", core ? "cloud.ping_unanswered" :
		    "handshake.no_hello", finding_name(r->finding));
		expect_int("  the Hello step", core ? HS_ABSENT : HS_FAIL,
		    r->step[HS_STEP_HELLO_RECV].outcome);
		test_cond("  the handshake is over only on the Core",
		    r->handshake_done == core);
		expect_int("  the ping", core ? HS_FAIL : HS_NOT_RUN,
		    r->step[HS_STEP_PING].outcome);
	}
	server_stop(&s);
	if (server_start(&s, sk, CLOUD_WIRE_SPARK_SERVER,
	    CLOUD_FAULT_BAD_RECORD, logpath, ready) != 0) {
		test_cond("bad-record cloud listening", 0);
		free(r);
		return;
	}
	handshake_opts_init(&o);
	o.addr = (const struct sockaddr *)&s.sin;
	o.addrlen = sizeof(s.sin);
	o.device_key = dk;
	o.server_key = sk;
	o.hello_ms = 300;
	o.core2014 = true;
	keys_parse_device_id(ID, o.device_id);
	expect_int("bad-record Hello, spark-server PingAck, Core: connected",
	    0, handshake_run(&o, r));
	expect_int("  the Hello step", HS_ABSENT,
	    r->step[HS_STEP_HELLO_RECV].outcome);
	test_cond("  the ping answered by the 1-byte-token ACK",
	    strstr(r->step[HS_STEP_PING].detail, "token 1 byte") != NULL);
	server_stop(&s);
	free(r);
}

int
main(void)
{
	struct server s;
	EVP_PKEY *dk = EVP_RSA_gen(1024), *sk = EVP_RSA_gen(2048);
	char path[512], logpath[512], ready[512], cmd[600];
	FILE *f;

	if (mkdtemp(tmpdir) == NULL || dk == NULL || sk == NULL) {
		printf("FAIL setup\n");
		return test_report();
	}
	snprintf(path, sizeof(path), "%s/%s.pub.pem", tmpdir, ID);
	if ((f = fopen(path, "w")) != NULL) {
		PEM_write_PUBKEY(f, dk);
		fclose(f);
	}
	snprintf(logpath, sizeof(logpath), "%s/cloud.log", tmpdir);
	snprintf(ready, sizeof(ready), "%s/ready", tmpdir);

	test_wire_bytes();
	if (server_start(&s, sk, CLOUD_WIRE_RFC7252, CLOUD_FAULT_NONE,
	    logpath, ready) != 0) {
		printf("FAIL setup: the cloud does not listen\n");
		return test_report();
	}
	test_abuse(&s, dk, sk);
	server_stop(&s);
	check_log(logpath);
	snprintf(logpath, sizeof(logpath), "%s/spark.log", tmpdir);
	test_spark_server(dk, sk, logpath, ready);
	snprintf(logpath, sizeof(logpath), "%s/core.log", tmpdir);
	test_core_no_hello(dk, sk, logpath, ready);
	EVP_PKEY_free(dk);
	EVP_PKEY_free(sk);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		printf("SKIP could not remove %s\n", tmpdir);
	return test_report();
}
