/*
 * cloud.c - the server's side of the Particle TCP handshake for the local
 * test cloud: nonce, RSA key block, session reply with its raw signature,
 * Hello and CoAP pings (particle-cloud.md 1.2-1.5; spark-protocol
 * Handshake.js and SparkCore.js), in RFC 7252's wire form or spark-server's,
 * plus the faults of cloud.h.
 *
 * Worker threads share one non-blocking listening socket; each runs a
 * poll() loop over at most its share of --max-clients connections.  A
 * connection owns fixed buffers (one record in, a few out) and a deadline,
 * so memory and time per device are bounded whatever the peer sends.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include "cloud.h"
#include "handshake.h"
#include "hsframe.h"
#include "keys.h"
#include "log.h"

static const char *const fault_names[CLOUD_FAULT_COUNT] = {
	"none", "unknown-device", "wrong-session-key", "bad-signature",
	"no-hello", "close-after-nonce", "silent", "no-ping-ack",
	"bad-record", "bad-padding", "bad-record-stall",
};

static const char *const wire_names[CLOUD_WIRE_COUNT] = {
	"rfc7252", "spark-server",
};

const char *
cloud_wire_name(enum cloud_wire w)
{
	return (unsigned)w < CLOUD_WIRE_COUNT ? wire_names[w] : "unknown";
}

bool
cloud_wire_from_name(const char *name, enum cloud_wire *out)
{
	int i;

	for (i = 0; i < CLOUD_WIRE_COUNT; i++) {
		if (strcmp(name, wire_names[i]) == 0) {
			*out = (enum cloud_wire)i;
			return true;
		}
	}
	return false;
}

/*
 * spark-server's token: SparkCore.js sendMessage() takes getNextToken(),
 * which counts up from 0 before use, so the Hello, its first message,
 * carries 1.  sendReply("PingAck", id) passes no token, and Messages.js
 * wrap() tests `token !== null`, so `undefined` becomes the 1-byte token
 * 00 (spark-protocol js/clients/SparkCore.js, js/lib/Messages.js).
 *
 * Checked byte for byte against particle-iot/spark-protocol (commit
 * 223c0ee): js/lib/Messages.js line 50, Spec "Hello": POST, uri "h", NON;
 * line 90, Spec "PingAck": EMPTY, ACK, no uri; wrap() (same file) sets the
 * id, then a 1-byte token unless `token === null`, code and type, and the
 * Uri-Path.  js/clients/SparkCore.js: the ping branch of routeMessage calls
 * sendReply("PingAck", msg.getId()) with no token; sendMessage("Hello")
 * (from js/lib/Handshake.js send_hello, after getRandomUINT16 seeds the
 * counter) takes getIncrSendCounter() and getNextToken().  h5.coap writes
 * ver 1, type, TKL in the first byte.  So the Hello is
 * 51 02 <mid> 01 b1 68 and the PingAck 61 00 <mid> 00, the bytes below
 * and in tests/unit/test_cloud.c and test_hsframe.c.
 */
static const uint8_t spark_hello_token[1] = { 0x01 };
static const uint8_t spark_ack_token[1] = { 0x00 };

int
cloud_hello_bytes(enum cloud_wire w, uint16_t mid, uint8_t *out, size_t cap)
{
	struct hshello h = { 0 };

	if (w == CLOUD_WIRE_SPARK_SERVER)
		return hscoap_build_token(HS_COAP_NON, HS_COAP_POST, mid,
		    spark_hello_token, 1, "h", NULL, 0, out, cap);
	h.mid = mid;
	return hshello_build(&h, out, cap);
}

int
cloud_ack_bytes(enum cloud_wire w, uint16_t mid, uint8_t *out, size_t cap)
{
	if (w == CLOUD_WIRE_SPARK_SERVER)
		return hscoap_build_token(HS_COAP_ACK, HS_COAP_EMPTY, mid,
		    spark_ack_token, 1, NULL, NULL, 0, out, cap);
	return hscoap_build(HS_COAP_ACK, HS_COAP_EMPTY, mid, NULL, NULL, 0,
	    out, cap);
}

const char *
cloud_fault_name(enum cloud_fault f)
{
	return (unsigned)f < CLOUD_FAULT_COUNT ? fault_names[f] : "unknown";
}

bool
cloud_fault_from_name(const char *name, enum cloud_fault *out)
{
	int i;

	for (i = 0; i < CLOUD_FAULT_COUNT; i++) {
		if (strcmp(name, fault_names[i]) == 0) {
			*out = (enum cloud_fault)i;
			return true;
		}
	}
	return false;
}

void
cloud_opts_init(struct cloud_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_clients = CLOUD_MAX_CLIENTS_DEFAULT;
	o->deadline_ms = CLOUD_DEADLINE_MS_DEFAULT;
	o->stall_ms = CLOUD_STALL_MS_DEFAULT;
	o->stop_fd = -1;
}

enum cstate {
	C_FREE,
	C_NONCE_OUT,	/* writing the nonce */
	C_WAIT_KEY,	/* reading the 256-byte block */
	C_REPLY_OUT,	/* writing the 384-byte reply */
	C_WAIT_HELLO,	/* reading the device Hello */
	C_RUN,		/* handshake done: pings and the rest */
	C_SILENT,	/* fault silent: hold the socket until the deadline */
	C_STALLED	/* bad-record-stall: as C_SILENT, after a bad record */
};

/* Step times, ms since accept; < 0 when the step was not reached. */
struct ctimes {
	double	nonce_sent, key_received, reply_sent, hello_received,
		hello_sent;
};

#define OUT_MAX	(HS_REPLY_LEN + 4 * (HS_WIRE_MAX + HS_AES_BLOCK))

struct conn {
	enum cstate	 st;
	int		 fd;
	char		 peer[64];
	double		 start, deadline;
	uint8_t		 nonce[HS_NONCE_LEN];
	uint8_t		 in[HS_WIRE_MAX];
	size_t		 in_len;
	uint8_t		 out[OUT_MAX];
	size_t		 out_len, out_off;
	bool		 close_when_sent;
	struct hs_channel tx, rx;
	uint16_t	 last_mid;
	uint16_t	 server_mid;
	char		 device_id[2 * HS_DEVICE_ID_LEN + 1];
	bool		 key_mismatch;
	bool		 handshake_done;
	struct hshello	 hello;
	bool		 have_hello;
	unsigned	 pings, messages;
	struct ctimes	 t;
	const char	*outcome;	/* set when the connection ends */
	char		 reason[160];
};

struct shared {
	const struct cloud_opts	*o;
	int			 lfd;
	int			 per_worker;
	EVP_PKEY		*decoy;	/* for wrong-session-key */
	pthread_mutex_t		 log_lock;
	unsigned long		 accepted, connected;	/* under log_lock */
};

static double
since(const struct conn *c)
{
	return hs_now_ms() - c->start;
}

static void
add_time(cJSON *o, const char *name, double v)
{
	if (v >= 0)
		cJSON_AddNumberToObject(o, name, (double)(long)(v * 1000) / 1000);
}

/* One JSON line per connection; the lock keeps lines whole. */
static void
log_conn(struct shared *sh, const struct conn *c)
{
	cJSON *o, *t, *h;
	char *line;

	pthread_mutex_lock(&sh->log_lock);
	if (c->handshake_done)
		sh->connected++;
	if (sh->o->log == NULL || (o = cJSON_CreateObject()) == NULL) {
		pthread_mutex_unlock(&sh->log_lock);
		return;
	}
	cJSON_AddStringToObject(o, "event", "connection");
	cJSON_AddStringToObject(o, "peer", c->peer);
	if (c->device_id[0] != '\0')
		cJSON_AddStringToObject(o, "device_id", c->device_id);
	else
		cJSON_AddNullToObject(o, "device_id");
	cJSON_AddStringToObject(o, "fault", cloud_fault_name(sh->o->fault));
	cJSON_AddStringToObject(o, "wire", cloud_wire_name(sh->o->wire));
	cJSON_AddStringToObject(o, "outcome", c->outcome);
	cJSON_AddStringToObject(o, "reason", c->reason);
	cJSON_AddBoolToObject(o, "handshake", c->handshake_done);
	add_time(o, "ms", since(c));
	if ((t = cJSON_AddObjectToObject(o, "steps")) != NULL) {
		add_time(t, "nonce_sent", c->t.nonce_sent);
		add_time(t, "key_received", c->t.key_received);
		add_time(t, "reply_sent", c->t.reply_sent);
		add_time(t, "hello_received", c->t.hello_received);
		add_time(t, "hello_sent", c->t.hello_sent);
	}
	if (c->key_mismatch)
		cJSON_AddBoolToObject(o, "key_mismatch", true);
	if (c->have_hello && (h = cJSON_AddObjectToObject(o, "hello")) !=
	    NULL) {
		cJSON_AddNumberToObject(h, "product_id", c->hello.product_id);
		cJSON_AddNumberToObject(h, "product_version",
		    c->hello.product_version);
		cJSON_AddNumberToObject(h, "flags", c->hello.flags);
		if (c->hello.has_platform)
			cJSON_AddNumberToObject(h, "platform_id",
			    c->hello.platform_id);
	}
	cJSON_AddNumberToObject(o, "pings", c->pings);
	cJSON_AddNumberToObject(o, "messages", c->messages);
	if ((line = cJSON_PrintUnformatted(o)) != NULL) {
		fprintf(sh->o->log, "%s\n", line);
		fflush(sh->o->log);
		cJSON_free(line);
	}
	cJSON_Delete(o);
	pthread_mutex_unlock(&sh->log_lock);
}

static void
conn_end(struct shared *sh, struct conn *c, const char *outcome,
    const char *reason)
{
	c->outcome = outcome;
	snprintf(c->reason, sizeof(c->reason), "%s", reason);
	log_info("cloud: %s: %s%s%s", c->peer, outcome,
	    reason[0] != '\0' ? ": " : "", reason);
	log_conn(sh, c);
	close(c->fd);
	OPENSSL_cleanse(&c->tx, sizeof(c->tx));
	OPENSSL_cleanse(&c->rx, sizeof(c->rx));
	c->st = C_FREE;
	c->fd = -1;
}

/* Queue bytes; a full buffer means a peer that does not read: cut it. */
static int
queue(struct conn *c, const uint8_t *b, size_t n)
{
	if (c->out_off > 0 && c->out_off == c->out_len)
		c->out_off = c->out_len = 0;
	if (n > sizeof(c->out) - c->out_len)
		return -1;
	memcpy(c->out + c->out_len, b, n);
	c->out_len += n;
	return 0;
}

static int
queue_msg(struct conn *c, const uint8_t *msg, size_t n)
{
	uint8_t wire[HS_WIRE_MAX + HS_AES_BLOCK];
	int w;

	if ((w = hs_channel_seal(&c->tx, msg, n, wire, sizeof(wire))) < 0)
		return -1;
	return queue(c, wire, (size_t)w);
}

/*
 * Seal n padded bytes under another AES key, such that the device, with
 * the session's key, reads noise: padding that is not PKCS#7 or a first
 * byte that is not CoAP version 1 (one key in about a thousand gives
 * plausible noise by chance: the next is tried, so the fault is sure).
 * The IV chains on the ciphertext, whatever the key.
 */
static int
seal_unreadable(struct conn *c, const uint8_t *padded, size_t n,
    uint8_t *wire, size_t cap)
{
	uint8_t plain[HS_FRAME_MAX + HS_AES_BLOCK];
	struct hs_channel other, dev;
	size_t len;
	int w = -1, p, tries;

	for (tries = 1; tries <= 8; tries++) {
		other = c->tx;
		dev = c->tx;
		other.key[0] ^= (uint8_t)(0x5a + tries);
		w = hs_channel_seal_raw(&other, padded, n, wire, cap);
		if (w < 0)
			break;
		p = hs_channel_open_raw(&dev, wire + 2, (size_t)w - 2, plain,
		    sizeof(plain));
		if (p > 0 && (hsframe_unpad(plain, (size_t)p, &len) !=
		    HSPAD_OK || plain[0] >> 6 != 1))
			break;
	}
	memcpy(c->tx.iv, other.iv, sizeof(c->tx.iv));
	OPENSSL_cleanse(&other, sizeof(other));
	OPENSSL_cleanse(&dev, sizeof(dev));
	OPENSSL_cleanse(plain, sizeof(plain));
	return w;
}

/*
 * Our Hello, spoilt as the fault says, the record's shape kept (2-byte
 * length, whole AES blocks, the IV chained on its first block):
 * bad-record encrypts it under another AES key, so that it decrypts to
 * noise with a last byte that is no PKCS#7 padding; bad-padding fills the
 * pad bytes but the last with zeros, which Node's decipher (spark-server)
 * would reject and Device OS, which never checks, reads as the Hello.
 */
static int
queue_spoilt(struct conn *c, enum cloud_fault f, const uint8_t *msg,
    size_t n)
{
	uint8_t padded[HS_FRAME_MAX], wire[HS_WIRE_MAX + HS_AES_BLOCK];
	size_t len = hsframe_wire_len(n) - 2;
	int w;

	if (len > sizeof(padded))
		return -1;
	memcpy(padded, msg, n);
	memset(padded + n, 0, len - n);
	padded[len - 1] = (uint8_t)(len - n);
	if (f == CLOUD_FAULT_BAD_PADDING)
		w = hs_channel_seal_raw(&c->tx, padded, len, wire,
		    sizeof(wire));
	else {
		memset(padded + n, (int)(len - n), len - n);
		w = seal_unreadable(c, padded, len, wire, sizeof(wire));
	}
	return w < 0 ? -1 : queue(c, wire, (size_t)w);
}

static void
conn_open(struct shared *sh, struct conn *c, int fd,
    const struct sockaddr_storage *ss)
{
	char host[INET6_ADDRSTRLEN] = "?";
	int port = 0, one = 1;

	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->start = hs_now_ms();
	c->deadline = c->start + sh->o->deadline_ms;
	c->t = (struct ctimes){ -1, -1, -1, -1, -1 };
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;

		inet_ntop(AF_INET, &s4->sin_addr, host, sizeof(host));
		port = ntohs(s4->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 =
		    (const struct sockaddr_in6 *)ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof(host));
		port = ntohs(s6->sin6_port);
	}
	snprintf(c->peer, sizeof(c->peer), "%s:%d", host, port);
	log_info("cloud: %s: connected", c->peer);
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (sh->o->fault == CLOUD_FAULT_SILENT) {
		c->st = C_SILENT;
		return;
	}
	RAND_bytes(c->nonce, sizeof(c->nonce));
	queue(c, c->nonce, sizeof(c->nonce));
	c->st = C_NONCE_OUT;
	if (sh->o->fault == CLOUD_FAULT_CLOSE_AFTER_NONCE)
		c->close_when_sent = true;
}

/* The device's public key on file, as spark-server keeps it. */
static EVP_PKEY *
device_key(struct shared *sh, const char *hex, char *why, size_t whylen)
{
	char path[4096], err[KEYS_ERR_MAX];
	EVP_PKEY *k;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s.pub.pem",
	    sh->o->devices_dir, hex) >= sizeof(path)) {
		snprintf(why, whylen, "devices folder path too long");
		return NULL;
	}
	if (access(path, R_OK) != 0) {
		/* Ids are usually kept in lower case, but not always. */
		char up[2 * HS_DEVICE_ID_LEN + 1];
		size_t i;

		for (i = 0; i < sizeof(up); i++)
			up[i] = (char)toupper((unsigned char)hex[i]);
		snprintf(path, sizeof(path), "%s/%s.pub.pem",
		    sh->o->devices_dir, up);
		if (access(path, R_OK) != 0) {
			snprintf(why, whylen, "unknown device: no %s.pub.pem "
			    "on file", hex);
			return NULL;
		}
	}
	if ((k = keys_load_public(path, KEYS_DEVICE_BITS, err,
	    sizeof(err))) == NULL)
		snprintf(why, whylen, "device key on file is unusable");
	return k;
}

/* Step 2 arrived: check it and queue the 384-byte reply. */
static int
on_key_block(struct shared *sh, struct conn *c)
{
	uint8_t plain[HS_CLIENT_BLOCK], session[HS_SESSION_LEN];
	uint8_t reply[HS_REPLY_LEN], hmac[HS_HMAC_LEN];
	uint8_t pub[HS_DEVICE_PUB_LEN];
	struct hsclient hc;
	EVP_PKEY *dk, *enc;
	size_t n = sizeof(plain);
	char why[160];
	int rc = -1;

	c->t.key_received = since(c);
	/* Handshake.js rejections, in its order; each just closes. */
	if (hs_rsa_decrypt(sh->o->server_key, c->in, HS_CLIENT_BLOCK, plain,
	    &n) != 0) {
		conn_end(sh, c, "rejected", "decryption failed: the device "
		    "encrypted to another server key");
		return -1;
	}
	if (hsclient_parse(plain, n, &hc) != 0) {
		conn_end(sh, c, "rejected", "plaintext shorter than 52 bytes");
		return -1;
	}
	if (CRYPTO_memcmp(hc.nonce, c->nonce, HS_NONCE_LEN) != 0) {
		conn_end(sh, c, "rejected", "nonces didn't match");
		return -1;
	}
	keys_format_device_id(hc.device_id, c->device_id);
	if (sh->o->fault == CLOUD_FAULT_UNKNOWN_DEVICE) {
		conn_end(sh, c, "rejected", "unknown device (fault "
		    "unknown-device)");
		return -1;
	}
	if ((dk = device_key(sh, c->device_id, why, sizeof(why))) == NULL) {
		conn_end(sh, c, "rejected", why);
		return -1;
	}
	/* spark-server keeps using the key on file; note a difference. */
	if (hc.pubkey != NULL && (hc.pubkey_len != HS_DEVICE_PUB_LEN ||
	    keys_device_pub_der(dk, pub) != 0 ||
	    memcmp(pub, hc.pubkey, HS_DEVICE_PUB_LEN) != 0))
		c->key_mismatch = true;

	RAND_bytes(session, sizeof(session));
	enc = sh->o->fault == CLOUD_FAULT_WRONG_SESSION_KEY ? sh->decoy : dk;
	n = HS_REPLY_CIPHER;
	if (hs_rsa_encrypt(enc, session, sizeof(session), reply, &n) != 0 ||
	    n != HS_REPLY_CIPHER || hs_hmac(session, reply, hmac) != 0) {
		conn_end(sh, c, "error", "cannot encrypt the session");
		goto done;
	}
	if (sh->o->fault == CLOUD_FAULT_BAD_SIGNATURE)
		hmac[0] ^= 0x01;
	if (hs_sign_raw(sh->o->server_key, hmac, reply + HS_REPLY_CIPHER) !=
	    0) {
		conn_end(sh, c, "error", "cannot sign the session");
		goto done;
	}
	hs_channel_init(&c->tx, session);
	hs_channel_init(&c->rx, session);
	queue(c, reply, sizeof(reply));
	c->st = C_REPLY_OUT;
	c->in_len = 0;
	rc = 0;
done:
	OPENSSL_cleanse(session, sizeof(session));
	OPENSSL_cleanse(plain, sizeof(plain));
	EVP_PKEY_free(dk);
	return rc;
}

/* One decrypted CoAP message from the device. */
static int
on_message(struct shared *sh, struct conn *c, const uint8_t *p, size_t n)
{
	struct hscoap m;
	uint8_t msg[64];
	int len;

	if (hscoap_parse(p, n, &m) != 0) {
		conn_end(sh, c, c->handshake_done ? "connected" : "rejected",
		    "a record that is not a CoAP message");
		return -1;
	}
	c->messages++;
	if (c->st == C_WAIT_HELLO) {
		if (hshello_parse(&m, &c->hello) != 0) {
			conn_end(sh, c, "rejected", "first message is not a "
			    "Hello");
			return -1;
		}
		c->have_hello = true;
		c->last_mid = m.mid;
		c->t.hello_received = since(c);
		c->st = C_RUN;
		if (sh->o->fault == CLOUD_FAULT_NO_HELLO)
			return 0;
		/* Handshake.js send_hello: a random id seeds our counter. */
		RAND_bytes((uint8_t *)&c->server_mid, sizeof(c->server_mid));
		if ((len = cloud_hello_bytes(sh->o->wire, c->server_mid, msg,
		    sizeof(msg))) < 0 || ((sh->o->fault ==
		    CLOUD_FAULT_BAD_RECORD || sh->o->fault ==
		    CLOUD_FAULT_BAD_PADDING) ? queue_spoilt(c, sh->o->fault,
		    msg, (size_t)len) : queue_msg(c, msg, (size_t)len)) != 0) {
			conn_end(sh, c, "error", "cannot queue the Hello");
			return -1;
		}
		c->t.hello_sent = since(c);
		c->handshake_done = true;
		return 0;
	}
	/* SparkCore.js: every non-ACK message counts up by one. */
	if (m.type != HS_COAP_ACK && m.type != HS_COAP_RST) {
		if (m.mid != (uint16_t)(c->last_mid + 1)) {
			conn_end(sh, c, c->handshake_done ? "connected" :
			    "rejected", "Bad Counter: message id out of order");
			return -1;
		}
		c->last_mid = m.mid;
	}
	if (m.type == HS_COAP_CON) {
		if (hscoap_is_ping(&m)) {
			c->pings++;
			if (sh->o->fault == CLOUD_FAULT_NO_PING_ACK)
				return 0;
		}
		/* no-hello: stuck after the key exchange, it answers nothing. */
		if (sh->o->fault == CLOUD_FAULT_NO_HELLO)
			return 0;
		len = cloud_ack_bytes(sh->o->wire, m.mid, msg, sizeof(msg));
		if (len < 0 || queue_msg(c, msg, (size_t)len) != 0) {
			conn_end(sh, c, "connected", "the device does not read "
			    "what we send");
			return -1;
		}
	}
	return 0;
}

/*
 * spark-server on a record that does not decrypt: Node's decipher throws
 * ("bad decrypt", PKCS#7), and CryptoStream.js _transform only logs it in
 * its catch (`logger.error("CryptoStream transform error " + ex);`, line
 * 57 of js/lib/CryptoStream.js) and never calls its callback, so the
 * stream stops: nothing more is read or sent.  During the handshake the
 * device's Hello so never reaches Handshake.js get_hello, whose timer
 * (`setTimeout(function () { that.handshakeFail("get_hello timed out");
 * }, 30 * 1000);`) then drops the session.  Here: read and ignore, send
 * nothing, close after stall_ms.
 */
static void
stall(struct shared *sh, struct conn *c)
{
	log_info("cloud: %s: a record that does not decrypt; stalling %d ms "
	    "(fault bad-record-stall)", c->peer, sh->o->stall_ms);
	c->st = C_STALLED;
	c->in_len = 0;
	c->out_len = c->out_off = 0;
	c->deadline = hs_now_ms() + sh->o->stall_ms;
}

static void
on_readable(struct shared *sh, struct conn *c)
{
	struct hsframe f;
	enum hsframe_status fs;
	uint8_t plain[HS_FRAME_MAX + HS_AES_BLOCK];
	size_t want, at;
	ssize_t r;
	int n;

	switch (c->st) {
	case C_WAIT_KEY:
		want = HS_CLIENT_BLOCK - c->in_len;
		break;
	case C_WAIT_HELLO:
	case C_RUN:
		want = sizeof(c->in) - c->in_len;
		break;
	default:
		/* Not our turn to read: a byte now means a confused peer. */
		want = sizeof(c->in) - c->in_len;
		break;
	}
	r = recv(c->fd, c->in + c->in_len, want, 0);
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r <= 0) {
		if (c->handshake_done)
			conn_end(sh, c, "connected", r == 0 ? "the device "
			    "closed the connection" : "connection reset");
		else
			conn_end(sh, c, "closed", r == 0 ? "the device closed "
			    "the connection during the handshake" :
			    "connection reset during the handshake");
		return;
	}
	c->in_len += (size_t)r;
	if (c->handshake_done)
		c->deadline = hs_now_ms() + sh->o->deadline_ms;
	switch (c->st) {
	case C_WAIT_KEY:
		if (c->in_len == HS_CLIENT_BLOCK)
			(void)on_key_block(sh, c);
		return;
	case C_WAIT_HELLO:
	case C_RUN:
		break;
	default:
		conn_end(sh, c, "rejected", "the device sent bytes out of turn");
		return;
	}
	for (at = 0;;) {
		fs = hsframe_next(c->in + at, c->in_len - at, &f);
		if (fs == HSFRAME_BAD) {
			conn_end(sh, c, c->handshake_done ? "connected" :
			    "rejected", "a record with an impossible length");
			return;
		}
		if (fs == HSFRAME_MORE)
			break;
		/* bad-record-stall: the device's Hello is read as noise. */
		n = sh->o->fault == CLOUD_FAULT_BAD_RECORD_STALL &&
		    c->st == C_WAIT_HELLO ? -1 : hs_channel_open(&c->rx,
		    f.data, f.len, plain, sizeof(plain));
		at += f.consumed;
		if (n < 0 && sh->o->fault == CLOUD_FAULT_BAD_RECORD_STALL) {
			stall(sh, c);
			return;
		}
		if (n < 0) {
			conn_end(sh, c, c->handshake_done ? "connected" :
			    "rejected", "a record that does not decrypt with "
			    "the session key");
			return;
		}
		if (on_message(sh, c, plain, (size_t)n) != 0)
			return;
	}
	memmove(c->in, c->in + at, c->in_len - at);
	c->in_len -= at;
}

static void
on_writable(struct shared *sh, struct conn *c)
{
	ssize_t w;

	w = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
	    MSG_NOSIGNAL);
	if (w < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (w < 0) {
		conn_end(sh, c, c->handshake_done ? "connected" : "closed",
		    strerror(errno));
		return;
	}
	c->out_off += (size_t)w;
	if (c->out_off < c->out_len)
		return;
	c->out_off = c->out_len = 0;
	switch (c->st) {
	case C_NONCE_OUT:
		c->t.nonce_sent = since(c);
		if (c->close_when_sent) {
			conn_end(sh, c, "rejected", "closed after the nonce "
			    "(fault close-after-nonce)");
			return;
		}
		c->st = C_WAIT_KEY;
		break;
	case C_REPLY_OUT:
		c->t.reply_sent = since(c);
		c->st = C_WAIT_HELLO;
		break;
	default:
		break;
	}
}

static void
on_deadline(struct shared *sh, struct conn *c)
{
	static const char *const waiting[] = {
		[C_NONCE_OUT] = "the device did not read the nonce",
		[C_WAIT_KEY] = "no 256-byte key block in time",
		[C_REPLY_OUT] = "the device did not read the reply",
		[C_WAIT_HELLO] = "no device Hello in time",
		[C_RUN] = "idle",
		[C_SILENT] = "held silent (fault silent)",
		[C_STALLED] = "stalled after a record that does not decrypt, "
		    "then dropped, as spark-server (fault bad-record-stall)",
	};

	conn_end(sh, c, c->handshake_done ? "connected" : "timeout",
	    waiting[c->st] != NULL ? waiting[c->st] : "deadline");
}

struct worker {
	struct shared	*sh;
	pthread_t	 tid;
	struct conn	*conns;
	struct pollfd	*pfd;
	int		*idx;	/* pfd slot -> conn index */
};

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct shared *sh = w->sh;
	const struct cloud_opts *o = sh->o;
	struct sockaddr_storage ss;
	socklen_t sl;
	struct conn *c;
	double now, next;
	int i, n, np, open, fd, timeout;

	for (;;) {
		np = 0;
		open = 0;
		now = hs_now_ms();
		next = now + 1000;
		w->pfd[np++] = (struct pollfd){ o->stop_fd, POLLIN, 0 };
		for (i = 0; i < sh->per_worker; i++) {
			c = &w->conns[i];
			if (c->st == C_FREE)
				continue;
			open++;
			if (c->deadline <= now) {
				on_deadline(sh, c);
				open--;
				continue;
			}
			if (c->deadline < next)
				next = c->deadline;
			w->pfd[np] = (struct pollfd){ c->fd,
			    (short)(c->st == C_SILENT || c->st == C_STALLED ?
			    POLLIN :
			    c->out_off < c->out_len ? POLLIN | POLLOUT :
			    POLLIN), 0 };
			w->idx[np++] = i;
		}
		/* A full worker leaves new devices in the listen backlog. */
		if (open < sh->per_worker)
			w->pfd[np++] = (struct pollfd){ sh->lfd, POLLIN, 0 };
		timeout = (int)(next - now) + 1;
		n = poll(w->pfd, (nfds_t)np, timeout);
		if (n < 0 && errno != EINTR)
			break;
		if (n <= 0)
			continue;
		if (o->stop_fd >= 0 && (w->pfd[0].revents & (POLLIN | POLLHUP)))
			break;
		for (i = 1; i < np; i++) {
			if (w->pfd[i].revents == 0)
				continue;
			if (w->pfd[i].fd == sh->lfd) {
				for (;;) {
					int j;

					for (j = 0; j < sh->per_worker; j++)
						if (w->conns[j].st == C_FREE)
							break;
					if (j == sh->per_worker)
						break;
					sl = sizeof(ss);
					fd = accept4(sh->lfd,
					    (struct sockaddr *)&ss, &sl,
					    SOCK_NONBLOCK | SOCK_CLOEXEC);
					if (fd < 0)
						break;
					pthread_mutex_lock(&sh->log_lock);
					sh->accepted++;
					pthread_mutex_unlock(&sh->log_lock);
					conn_open(sh, &w->conns[j], fd, &ss);
				}
				continue;
			}
			c = &w->conns[w->idx[i]];
			if (c->st == C_FREE || c->fd != w->pfd[i].fd)
				continue;
			if (c->st == C_SILENT || c->st == C_STALLED) {
				/* Drain and ignore; the deadline ends it. */
				uint8_t sink[256];
				ssize_t r = recv(c->fd, sink, sizeof(sink), 0);

				if (r == 0 || (r < 0 && errno != EAGAIN))
					conn_end(sh, c, "closed", c->st ==
					    C_SILENT ? "the device gave up on "
					    "a silent server" : "the device "
					    "gave up on a stalled server");
				continue;
			}
			if (w->pfd[i].revents & POLLOUT)
				on_writable(sh, c);
			if (c->st != C_FREE &&
			    (w->pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				on_readable(sh, c);
		}
	}
	for (i = 0; i < sh->per_worker; i++)
		if (w->conns[i].st != C_FREE)
			conn_end(sh, &w->conns[i], w->conns[i].handshake_done ?
			    "connected" : "closed", "the cloud is stopping");
	return NULL;
}

static int
nthreads(const struct cloud_opts *o)
{
	long n = o->threads;

	if (n <= 0) {
		n = sysconf(_SC_NPROCESSORS_ONLN);
		if (n > 8)
			n = 8;
	}
	if (n < 1)
		n = 1;
	if (n > CLOUD_THREADS_MAX)
		n = CLOUD_THREADS_MAX;
	if (n > o->max_clients)
		n = o->max_clients;
	return (int)n;
}

static int
listen_on(const struct cloud_opts *o, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char host[INET6_ADDRSTRLEN] = "?";
	int fd, one = 1, port = 0;
	FILE *f;
	char tmp[4096];

	fd = socket(o->addr->sa_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, o->addr, o->addrlen) != 0 || listen(fd, 512) != 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl) != 0) {
		snprintf(err, errlen, "cannot listen: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (ss.ss_family == AF_INET) {
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr,
		    host, sizeof(host));
		port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	} else if (ss.ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr,
		    host, sizeof(host));
		port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	}
	if (o->log != NULL) {
		fprintf(o->log, "{\"event\":\"listening\",\"address\":\"%s\","
		    "\"port\":%d,\"fault\":\"%s\",\"wire\":\"%s\"}\n", host,
		    port, cloud_fault_name(o->fault), cloud_wire_name(o->wire));
		fflush(o->log);
	}
	/* Written then renamed, so a reader never sees half a line. */
	if (o->ready_file != NULL) {
		snprintf(tmp, sizeof(tmp), "%s.tmp", o->ready_file);
		if ((f = fopen(tmp, "w")) == NULL ||
		    fprintf(f, "%s %d\n", host, port) < 0 || fclose(f) != 0 ||
		    rename(tmp, o->ready_file) != 0) {
			snprintf(err, errlen, "%s: cannot write: %s",
			    o->ready_file, strerror(errno));
			close(fd);
			return -1;
		}
	}
	return fd;
}

int
cloud_serve(const struct cloud_opts *o, char *err, size_t errlen)
{
	struct shared sh;
	struct worker *w = NULL;
	int i, n, started = 0, rc = -1;

	memset(&sh, 0, sizeof(sh));
	sh.o = o;
	sh.lfd = -1;
	if (o->addr == NULL || o->server_key == NULL ||
	    o->devices_dir == NULL || o->max_clients < 1 ||
	    o->deadline_ms < 1) {
		snprintf(err, errlen, "cloud: missing address, key, devices "
		    "folder, or limits");
		return -1;
	}
	if (o->fault == CLOUD_FAULT_WRONG_SESSION_KEY &&
	    (sh.decoy = EVP_RSA_gen(KEYS_DEVICE_BITS)) == NULL) {
		snprintf(err, errlen, "cannot generate the decoy key");
		return -1;
	}
	n = nthreads(o);
	sh.per_worker = (o->max_clients + n - 1) / n;
	pthread_mutex_init(&sh.log_lock, NULL);
	if ((sh.lfd = listen_on(o, err, errlen)) < 0)
		goto done;
	if ((w = calloc((size_t)n, sizeof(*w))) == NULL)
		goto nomem;
	for (i = 0; i < n; i++) {
		w[i].sh = &sh;
		w[i].conns = calloc((size_t)sh.per_worker, sizeof(struct conn));
		w[i].pfd = calloc((size_t)sh.per_worker + 2,
		    sizeof(struct pollfd));
		w[i].idx = calloc((size_t)sh.per_worker + 2, sizeof(int));
		if (w[i].conns == NULL || w[i].pfd == NULL || w[i].idx == NULL)
			goto nomem;
	}
	for (i = 0; i < n; i++) {
		if (pthread_create(&w[i].tid, NULL, worker_main, &w[i]) != 0) {
			snprintf(err, errlen, "cannot start worker threads");
			break;
		}
		started++;
	}
	rc = started == n ? 0 : -1;
	for (i = 0; i < started; i++)
		pthread_join(w[i].tid, NULL);
	if (o->log != NULL) {
		fprintf(o->log, "{\"event\":\"stopped\",\"accepted\":%lu,"
		    "\"connected\":%lu}\n", sh.accepted, sh.connected);
		fflush(o->log);
	}
	goto done;
nomem:
	snprintf(err, errlen, "out of memory for %d connections",
	    o->max_clients);
done:
	if (w != NULL)
		for (i = 0; i < n; i++) {
			free(w[i].conns);
			free(w[i].pfd);
			free(w[i].idx);
		}
	free(w);
	if (sh.lfd >= 0)
		close(sh.lfd);
	EVP_PKEY_free(sh.decoy);
	pthread_mutex_destroy(&sh.log_lock);
	return rc;
}
