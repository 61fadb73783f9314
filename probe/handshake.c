/*
 * handshake.c - the device's side of the Particle TCP cloud handshake, step
 * by step with deadlines and timings, and the RSA/HMAC/AES pieces that the
 * local cloud (cloud.c) shares.  Byte layouts come from analyzers/hsframe;
 * the protocol from particle-cloud.md 1.2-1.5 (spark-protocol Handshake.js,
 * lightssl_message_channel.cpp).  Failures map to the finding the device's
 * LED would reflect: red for a rejected key block or a missing Hello,
 * orange when the session cannot be decrypted, magenta for a bad signature.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>

#include "coapmsg.h"
#include "handshake.h"
#include "hostport.h"
#include "keys.h"
#include "log.h"
#include "report.h"

static const char *const step_names[HS_STEP_COUNT] = {
	"connect", "nonce", "send_key", "reply", "decrypt", "verify",
	"hello_send", "hello_recv", "ping",
};

const char *
handshake_step_name(enum hs_step s)
{
	return (unsigned)s < HS_STEP_COUNT ? step_names[s] : "unknown";
}

const char *
handshake_outcome_name(enum hs_outcome o)
{
	switch (o) {
	case HS_OK:
		return "ok";
	case HS_FAIL:
		return "failed";
	case HS_ABSENT:
		return "absent";
	default:
		return "not_run";
	}
}

double
hs_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int
handshake_resolve(const char *spec, int default_port, bool passive,
    struct sockaddr_storage *ss, socklen_t *len, char *err, size_t errlen)
{
	struct addrinfo hints, *res = NULL;
	char host[256], port[16];
	uint16_t p = (uint16_t)default_port;
	enum hostport_error e;
	int gai;

	/* A listener may leave the host out (all) and take port 0 (any). */
	e = hostport_split(spec, HOSTPORT_BARE_V6 | (passive ?
	    HOSTPORT_ANY_HOST | HOSTPORT_PORT_ZERO : 0), host, sizeof(host), &p);
	if (e != HOSTPORT_OK) {
		snprintf(err, errlen, "'%s': %s", spec, hostport_strerror(e));
		return -1;
	}
	snprintf(port, sizeof(port), "%u", (unsigned)p);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = passive ? AI_PASSIVE : 0;
	gai = getaddrinfo(host[0] == '\0' || strcmp(host, "*") == 0 ? NULL :
	    host, port, &hints, &res);
	if (gai != 0 || res == NULL) {
		snprintf(err, errlen, "'%s': %s", spec, gai_strerror(gai));
		return -2;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

void
handshake_opts_init(struct handshake_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->connect_ms = 8000;	/* MAX_SEC_WAIT_CONNECT */
	o->step_ms = 20000;	/* blocking_receive / blocking_send */
	o->hello_ms = 4000;	/* protocol.cpp hello_response */
	o->ping_ms = 10000;	/* initialize_ping(15000, 10000) */
	o->hello.product_id = HS_PRODUCT_DEFAULT;
	o->hello.product_version = HS_PRODUCT_DEFAULT;
	o->hello.has_payload = true;
	o->hello.has_platform = true;
	o->hello.platform_id = 6;
}

/* --- crypto --------------------------------------------------------- */

void
hs_channel_init(struct hs_channel *ch, const uint8_t session[HS_SESSION_LEN])
{
	struct hssession s;

	hssession_split(session, &s);
	memcpy(ch->key, s.key, sizeof(ch->key));
	memcpy(ch->iv, s.iv, sizeof(ch->iv));
}

/*
 * AES-128-CBC; `pkcs7` adds (enc) or checks and strips (dec) PKCS#7, as
 * spark-server's Node ciphers do; without it whole blocks go through as
 * they are, as the device firmware's mbedtls_aes_crypt_cbc does.
 */
static int
aes_cbc(int enc, bool pkcs7, const uint8_t key[16], const uint8_t iv[16],
    const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	EVP_CIPHER_CTX *ctx;
	int l1 = 0, l2 = 0, rc = -1;

	/* CBC output never exceeds n + one block. */
	if (n > HS_FRAME_MAX || cap < n + HS_AES_BLOCK ||
	    (!pkcs7 && n % HS_AES_BLOCK != 0))
		return -1;
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL)
		return -1;
	if (EVP_CipherInit_ex(ctx, EVP_aes_128_cbc(), NULL, key, iv, enc) &&
	    EVP_CIPHER_CTX_set_padding(ctx, pkcs7 ? 1 : 0) &&
	    EVP_CipherUpdate(ctx, out, &l1, in, (int)n) &&
	    EVP_CipherFinal_ex(ctx, out + l1, &l2))
		rc = l1 + l2;
	EVP_CIPHER_CTX_free(ctx);
	ERR_clear_error();
	return rc;
}

int
hs_channel_seal(struct hs_channel *ch, const uint8_t *plain, size_t n,
    uint8_t *out, size_t cap)
{
	int c;

	if (n > HS_PLAIN_MAX || cap < hsframe_wire_len(n))
		return -1;
	c = aes_cbc(1, true, ch->key, ch->iv, plain, n, out + 2, cap - 2);
	if (c < HS_AES_BLOCK)
		return -1;
	out[0] = (uint8_t)(c >> 8);
	out[1] = (uint8_t)c;
	/* CryptoStream.js: the next IV is the first block just sent. */
	memcpy(ch->iv, out + 2, HS_AES_BLOCK);
	return c + 2;
}

int
hs_channel_seal_raw(struct hs_channel *ch, const uint8_t *padded, size_t n,
    uint8_t *out, size_t cap)
{
	int c;

	if (n == 0 || n > HS_FRAME_MAX || cap < 2 + n + HS_AES_BLOCK)
		return -1;
	c = aes_cbc(1, false, ch->key, ch->iv, padded, n, out + 2, cap - 2);
	if (c != (int)n)
		return -1;
	out[0] = (uint8_t)(c >> 8);
	out[1] = (uint8_t)c;
	memcpy(ch->iv, out + 2, HS_AES_BLOCK);
	return c + 2;
}

/* One record through ch, PKCS#7 checked or not (pad). */
static int
channel_open(struct hs_channel *ch, bool pad, const uint8_t *cipher,
    size_t n, uint8_t *out, size_t cap)
{
	uint8_t next[HS_AES_BLOCK];
	int p;

	if (n < HS_AES_BLOCK || n % HS_AES_BLOCK != 0)
		return -1;
	memcpy(next, cipher, HS_AES_BLOCK);
	p = aes_cbc(0, pad, ch->key, ch->iv, cipher, n, out, cap);
	/* receive() saves next_iv before decrypting, success or not. */
	memcpy(ch->iv, next, HS_AES_BLOCK);
	return p;
}

int
hs_channel_open(struct hs_channel *ch, const uint8_t *cipher, size_t n,
    uint8_t *out, size_t cap)
{
	return channel_open(ch, true, cipher, n, out, cap);
}

int
hs_channel_open_raw(struct hs_channel *ch, const uint8_t *cipher, size_t n,
    uint8_t *out, size_t cap)
{
	return channel_open(ch, false, cipher, n, out, cap);
}

static int
rsa_op(EVP_PKEY *k, int encrypt, const uint8_t *in, size_t n, uint8_t *out,
    size_t *outlen)
{
	EVP_PKEY_CTX *ctx;
	int ok = 0;

	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, k, NULL)) == NULL)
		return -1;
	if (encrypt)
		ok = EVP_PKEY_encrypt_init(ctx) > 0 &&
		    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) > 0 &&
		    EVP_PKEY_encrypt(ctx, out, outlen, in, n) > 0;
	else {
		ok = EVP_PKEY_decrypt_init(ctx) > 0 &&
		    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) > 0;
		/*
		 * OpenSSL 3.2+ hides PKCS#1 v1.5 padding errors behind random
		 * output; we need the error, the way the device sees it.
		 * Older versions do not know the parameter: that is fine.
		 */
		if (ok)
			(void)EVP_PKEY_CTX_ctrl_str(ctx,
			    "rsa_pkcs1_implicit_rejection", "0");
		ok = ok && EVP_PKEY_decrypt(ctx, out, outlen, in, n) > 0;
	}
	EVP_PKEY_CTX_free(ctx);
	ERR_clear_error();
	return ok ? 0 : -1;
}

int
hs_rsa_encrypt(EVP_PKEY *pub, const uint8_t *in, size_t n, uint8_t *out,
    size_t *outlen)
{
	return rsa_op(pub, 1, in, n, out, outlen);
}

int
hs_rsa_decrypt(EVP_PKEY *priv, const uint8_t *in, size_t n, uint8_t *out,
    size_t *outlen)
{
	return rsa_op(priv, 0, in, n, out, outlen);
}

int
hs_hmac(const uint8_t session[HS_SESSION_LEN],
    const uint8_t cipher[HS_REPLY_CIPHER], uint8_t out[HS_HMAC_LEN])
{
	unsigned int n = 0;

	if (HMAC(EVP_sha1(), session, HS_SESSION_LEN, cipher, HS_REPLY_CIPHER,
	    out, &n) == NULL || n != HS_HMAC_LEN) {
		ERR_clear_error();
		return -1;
	}
	return 0;
}

int
hs_sign_raw(EVP_PKEY *priv, const uint8_t hmac[HS_HMAC_LEN],
    uint8_t sig[HS_REPLY_SIG])
{
	EVP_PKEY_CTX *ctx;
	size_t n = HS_REPLY_SIG;
	int ok;

	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, priv, NULL)) == NULL)
		return -1;
	/* No signature md: PKCS#1 type 1 over the raw 20 bytes. */
	ok = EVP_PKEY_sign_init(ctx) > 0 &&
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) > 0 &&
	    EVP_PKEY_sign(ctx, sig, &n, hmac, HS_HMAC_LEN) > 0 &&
	    n == HS_REPLY_SIG;
	EVP_PKEY_CTX_free(ctx);
	ERR_clear_error();
	return ok ? 0 : -1;
}

int
hs_verify_raw(EVP_PKEY *pub, const uint8_t sig[HS_REPLY_SIG],
    const uint8_t hmac[HS_HMAC_LEN])
{
	EVP_PKEY_CTX *ctx;
	uint8_t rec[HS_REPLY_SIG];
	size_t n = sizeof(rec);
	int ok;

	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pub, NULL)) == NULL)
		return -1;
	ok = EVP_PKEY_verify_recover_init(ctx) > 0 &&
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) > 0 &&
	    EVP_PKEY_verify_recover(ctx, rec, &n, sig, HS_REPLY_SIG) > 0 &&
	    n == HS_HMAC_LEN && CRYPTO_memcmp(rec, hmac, HS_HMAC_LEN) == 0;
	EVP_PKEY_CTX_free(ctx);
	ERR_clear_error();
	return ok ? 0 : -1;
}

/* --- socket I/O with deadlines ---------------------------------------- */

enum io_status {
	IO_OK,
	IO_TIMEOUT,
	IO_EOF,
	IO_ERROR	/* errno says which */
};

static int
ms_left(double deadline)
{
	double left = deadline - hs_now_ms();

	return left <= 0 ? 0 : (int)left + 1;
}

/* Read exactly n bytes by `deadline`; *got says how many came. */
static enum io_status
read_full(int fd, uint8_t *buf, size_t n, double deadline, size_t *got)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	ssize_t r;
	int pr;

	*got = 0;
	while (*got < n) {
		pr = poll(&pfd, 1, ms_left(deadline));
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			return IO_ERROR;
		if (pr == 0)
			return IO_TIMEOUT;
		r = recv(fd, buf + *got, n - *got, 0);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r < 0)
			return IO_ERROR;
		if (r == 0)
			return IO_EOF;
		*got += (size_t)r;
	}
	return IO_OK;
}

static enum io_status
write_full(int fd, const uint8_t *buf, size_t n, double deadline)
{
	struct pollfd pfd = { fd, POLLOUT, 0 };
	size_t done = 0;
	ssize_t w;
	int pr;

	while (done < n) {
		pr = poll(&pfd, 1, ms_left(deadline));
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			return IO_ERROR;
		if (pr == 0)
			return IO_TIMEOUT;
		w = send(fd, buf + done, n - done, MSG_NOSIGNAL);
		if (w < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (w < 0)
			return IO_ERROR;
		done += (size_t)w;
	}
	return IO_OK;
}

static const char *
io_text(enum io_status s)
{
	switch (s) {
	case IO_OK:
		return "ok";
	case IO_TIMEOUT:
		return "timed out";
	case IO_EOF:
		return "the server closed the connection";
	default:
		return strerror(errno);
	}
}

/* A record reader over the socket: bytes in, decrypted messages out. */
struct rx {
	int		fd;
	uint8_t		buf[HS_WIRE_MAX];
	size_t		have;
	enum hsread	how;		/* whose firmware reads the records */
	/* The last record, as the firmware read it. */
	enum hspad	pad;
	bool		garbled;	/* did not decrypt (below) */
	/*
	 * Records that did not decrypt under the session key: padding that
	 * is not PKCS#7, or a plaintext that is not CoAP version 1.  The
	 * firmware reads them all the same (as messages it cannot use); the
	 * first one's length and last plaintext byte are kept as evidence.
	 */
	unsigned	nbad;
	size_t		bad_len;
	uint8_t		bad_last;
};

/*
 * Note the record just decrypted (n bytes of plain) the firmware's way:
 * the length it takes (hsframe_unpad) and whether it decrypted at all.
 */
static size_t
rx_judge(struct rx *rx, const uint8_t *plain, size_t n)
{
	size_t len = hsframe_read_len(plain, n, rx->how, &rx->pad);

	rx->garbled = rx->pad != HSPAD_OK || plain[0] >> 6 != 1;
	if (rx->garbled) {
		if (rx->nbad++ == 0) {
			rx->bad_len = n;
			rx->bad_last = plain[n - 1];
		}
	}
	return len;
}

/*
 * The next decrypted CoAP message by `deadline`, into plain (cap
 * HS_FRAME_MAX + 16), decrypted as the firmware does: no padding check,
 * the length it takes (0: an empty message, which it skips).  Returns
 * that length, or -1 with *why set.
 */
static int
rx_message(struct rx *rx, struct hs_channel *ch, double deadline,
    uint8_t *plain, size_t cap, const char **why)
{
	struct pollfd pfd = { rx->fd, POLLIN, 0 };
	struct hsframe f;
	enum hsframe_status st;
	ssize_t r;
	int n, pr;

	for (;;) {
		st = hsframe_next(rx->buf, rx->have, &f);
		if (st == HSFRAME_BAD) {
			*why = "a record with an impossible length";
			return -1;
		}
		if (st == HSFRAME_READY) {
			n = hs_channel_open_raw(ch, f.data, f.len, plain, cap);
			memmove(rx->buf, rx->buf + f.consumed,
			    rx->have - f.consumed);
			rx->have -= f.consumed;
			if (n <= 0) {
				*why = "a record that is not whole AES blocks";
				return -1;
			}
			return (int)rx_judge(rx, plain, (size_t)n);
		}
		pr = poll(&pfd, 1, ms_left(deadline));
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0) {
			*why = pr == 0 ? "timed out" : "poll failed";
			return -1;
		}
		r = recv(rx->fd, rx->buf + rx->have, sizeof(rx->buf) - rx->have,
		    0);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r <= 0) {
			*why = r == 0 ? "the server closed the connection" :
			    "the connection was reset";
			return -1;
		}
		rx->have += (size_t)r;
	}
}

/* --- the client --------------------------------------------------------- */

struct run {
	struct handshake_result	*res;
	double			 t0;	/* start of the current step */
};

static void
step_begin(struct run *run)
{
	run->t0 = hs_now_ms();
}

static void __attribute__((format(printf, 4, 5)))
step_end(struct run *run, enum hs_step s, enum hs_outcome o,
    const char *fmt, ...)
{
	struct hs_step_result *sr = &run->res->step[s];
	va_list ap;

	sr->outcome = o;
	sr->ms = hs_now_ms() - run->t0;
	va_start(ap, fmt);
	vsnprintf(sr->detail, sizeof(sr->detail), fmt, ap);
	va_end(ap);
	log_info("handshake: %s: %s after %.0f ms%s%s", handshake_step_name(s),
	    handshake_outcome_name(o), (double)sr->ms,
	    sr->detail[0] != '\0' ? ": " : "", sr->detail);
}

static int
fail(struct run *run, enum finding_id id, enum hs_step s)
{
	struct handshake_result *r = run->res;

	r->failed = true;
	r->finding = id;
	snprintf(r->evidence, sizeof(r->evidence), "handshake step %s: %s",
	    handshake_step_name(s), r->step[s].detail);
	return 1;
}

/*
 * When a wait of ms that starts now ends: the protocol's time, cut short by
 * the caller's overall deadline (diagnose --timeout) when that comes first.
 */
static double
wait_end(const struct handshake_opts *o, int ms)
{
	double end = hs_now_ms() + ms;

	return o->until_ms > 0 && o->until_ms < end ? o->until_ms : end;
}

static int
connect_step(struct run *run, const struct handshake_opts *o, int *fdp)
{
	struct pollfd pfd;
	socklen_t sl = sizeof(int);
	int fd, soerr = 0, one = 1, pr;

	*fdp = -1;
	step_begin(run);
	fd = socket(o->addr->sa_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd < 0) {
		step_end(run, HS_STEP_CONNECT, HS_FAIL, "socket: %s",
		    strerror(errno));
		snprintf(run->res->evidence, sizeof(run->res->evidence),
		    "cannot create a socket: %s", strerror(errno));
		return -1;
	}
	/* diagnose --iface: the same interface as every other check. */
	if (o->iface != NULL && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE,
	    o->iface, (socklen_t)strlen(o->iface)) != 0) {
		step_end(run, HS_STEP_CONNECT, HS_FAIL, "SO_BINDTODEVICE %s: "
		    "%s", o->iface, strerror(errno));
		snprintf(run->res->evidence, sizeof(run->res->evidence),
		    "cannot bind the socket to %s: %s", o->iface,
		    strerror(errno));
		close(fd);
		return -1;
	}
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, o->addr, o->addrlen) != 0) {
		if (errno != EINPROGRESS) {
			soerr = errno;
		} else {
			pfd.fd = fd;
			pfd.events = POLLOUT;
			do
				pr = poll(&pfd, 1, o->connect_ms);
			while (pr < 0 && errno == EINTR);
			if (pr == 0) {
				step_end(run, HS_STEP_CONNECT, HS_FAIL,
				    "no answer to the TCP connect within %d ms",
				    o->connect_ms);
				close(fd);
				return fail(run, FINDING_CLOUD_PORT_BLOCKED,
				    HS_STEP_CONNECT);
			}
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr,
			    &sl) != 0)
				soerr = errno;
		}
	}
	if (soerr != 0) {
		step_end(run, HS_STEP_CONNECT, HS_FAIL, "TCP connect: %s",
		    strerror(soerr));
		close(fd);
		return fail(run, soerr == ECONNREFUSED ?
		    FINDING_CLOUD_PORT_REJECTED : FINDING_CLOUD_PORT_BLOCKED,
		    HS_STEP_CONNECT);
	}
	step_end(run, HS_STEP_CONNECT, HS_OK, "connected");
	*fdp = fd;
	return 0;
}

/* All printable ASCII or line ends: a banner, never 40 random bytes. */
static bool
nonce_is_text(const uint8_t nonce[HS_NONCE_LEN])
{
	size_t i;

	for (i = 0; i < HS_NONCE_LEN; i++)
		if ((nonce[i] < 0x20 || nonce[i] > 0x7e) && nonce[i] != '\r' &&
		    nonce[i] != '\n' && nonce[i] != '\t')
			return false;
	return true;
}

/* Bytes already queued behind the nonce (the cloud sends none). */
static bool
more_waiting(int fd)
{
	uint8_t b;

	return recv(fd, &b, 1, MSG_PEEK | MSG_DONTWAIT) == 1;
}

/* Steps 1-5: returns 0 with the session bytes, or the fail() status. */
static int
key_exchange(struct run *run, const struct handshake_opts *o, int fd,
    uint8_t session[HS_SESSION_LEN])
{
	uint8_t nonce[HS_NONCE_LEN], pub[HS_DEVICE_PUB_LEN];
	uint8_t plain[HS_CLIENT_LEN], block[HS_CLIENT_BLOCK];
	uint8_t reply[HS_REPLY_LEN], hmac[HS_HMAC_LEN];
	struct hsreply rep;
	enum io_status st;
	size_t got, n;

	/* 1: the nonce, in the clear. */
	step_begin(run);
	st = read_full(fd, nonce, sizeof(nonce), wait_end(o, o->step_ms),
	    &got);
	if (st != IO_OK) {
		step_end(run, HS_STEP_NONCE, HS_FAIL, "got %zu of 40 nonce "
		    "bytes: %s; not a Particle cloud, or something in the "
		    "path answers for it", got, io_text(st));
		return fail(run, FINDING_CLOUD_INTERCEPTED, HS_STEP_NONCE);
	}
	/*
	 * A Particle cloud sends 40 random bytes and waits.  Text (an HTTP,
	 * SSH or SMTP banner), or more bytes right behind the 40, means
	 * something else answers on this port.
	 */
	if (nonce_is_text(nonce) || more_waiting(fd)) {
		step_end(run, HS_STEP_NONCE, HS_FAIL, "the first bytes are %s, "
		    "not a random 40-byte nonce: not a Particle cloud",
		    nonce_is_text(nonce) ? "text" : "followed by more");
		return fail(run, FINDING_CLOUD_INTERCEPTED, HS_STEP_NONCE);
	}
	step_end(run, HS_STEP_NONCE, HS_OK, "40 bytes");

	/* 2: nonce || id || public key under the server key. */
	step_begin(run);
	if (keys_device_pub_der(o->device_key, pub) != 0) {
		step_end(run, HS_STEP_SEND_KEY, HS_FAIL, "the device key is "
		    "not RSA-1024 with e=65537");
		return -1;
	}
	hsclient_build(nonce, o->device_id, pub, plain);
	n = sizeof(block);
	if (hs_rsa_encrypt(o->server_key, plain, sizeof(plain), block, &n) !=
	    0 || n != sizeof(block)) {
		step_end(run, HS_STEP_SEND_KEY, HS_FAIL, "RSA encryption "
		    "under the server key failed (not RSA-2048?)");
		return -1;
	}
	st = write_full(fd, block, sizeof(block), wait_end(o, o->step_ms));
	if (st != IO_OK) {
		step_end(run, HS_STEP_SEND_KEY, HS_FAIL, "sending 256 bytes: "
		    "%s", io_text(st));
		return fail(run, FINDING_HANDSHAKE_REJECTED, HS_STEP_SEND_KEY);
	}
	step_end(run, HS_STEP_SEND_KEY, HS_OK, "256 bytes");

	/* 3: 384 bytes, or the server hung up on us. */
	step_begin(run);
	st = read_full(fd, reply, sizeof(reply), wait_end(o, o->step_ms),
	    &got);
	if (st != IO_OK) {
		step_end(run, HS_STEP_REPLY, HS_FAIL, "got %zu of 384 bytes: "
		    "%s; the server could not decrypt our block with its "
		    "key or does not know this device id", got, io_text(st));
		return fail(run, FINDING_HANDSHAKE_REJECTED, HS_STEP_REPLY);
	}
	hsreply_parse(reply, sizeof(reply), &rep);
	step_end(run, HS_STEP_REPLY, HS_OK, "384 bytes");

	/* 4: the session, under our key. */
	step_begin(run);
	/* OpenSSL wants room for a whole modulus, though 40 bytes come out. */
	n = sizeof(block);
	if (hs_rsa_decrypt(o->device_key, rep.cipher, HS_REPLY_CIPHER,
	    block, &n) != 0 || n != HS_SESSION_LEN) {
		step_end(run, HS_STEP_DECRYPT, HS_FAIL, "the session does not "
		    "decrypt with the device key: the cloud holds another "
		    "public key for this device");
		return fail(run, FINDING_HANDSHAKE_DECRYPT, HS_STEP_DECRYPT);
	}
	memcpy(session, block, HS_SESSION_LEN);
	OPENSSL_cleanse(block, sizeof(block));
	step_end(run, HS_STEP_DECRYPT, HS_OK, "40 session bytes");

	/* 5: the raw signature over HMAC-SHA1(session, ciphertext). */
	step_begin(run);
	if (hs_hmac(session, rep.cipher, hmac) != 0 ||
	    hs_verify_raw(o->server_key, rep.sig, hmac) != 0) {
		step_end(run, HS_STEP_VERIFY, HS_FAIL, "the signature does not "
		    "verify with the server key: the device's server key does "
		    "not belong to this cloud");
		return fail(run, FINDING_HANDSHAKE_BAD_SIGNATURE,
		    HS_STEP_VERIFY);
	}
	step_end(run, HS_STEP_VERIFY, HS_OK, "signature verified");
	OPENSSL_cleanse(plain, sizeof(plain));
	return 0;
}

/*
 * Wait for the server's Hello the way the firmware does (Device OS
 * event_loop(HELLO, 4000)): every message that is not one is handled and
 * skipped, and a Hello is any POST whose first path byte is 'h', token or
 * not (spark-server's carries a 1-byte token).  A record that does not
 * decrypt under the session key is skipped too, as the firmware drops it
 * on the floor (protocol.cpp handle_received_message, decodeType ERROR);
 * rx->nbad counts them.  A Hello whose padding is not valid PKCS#7 is a
 * Hello: the firmware never checks it.  Its payload, when libcoap can read
 * it, fills *out; the mid always does.  Returns 0, or -1 with *why.
 */
static int
wait_hello(struct rx *rx, struct hs_channel *ch, double deadline,
    struct hshello *out, const char **why)
{
	uint8_t plain[HS_FRAME_MAX + HS_AES_BLOCK];
	struct hspeek pk;
	struct hscoap m;
	unsigned skipped = 0;
	int n;

	for (;;) {
		n = rx_message(rx, ch, deadline, plain, sizeof(plain), why);
		if (n < 0) {
			if (skipped > 0 && strcmp(*why, "timed out") == 0)
				*why = "timed out after messages that are not "
				    "a Hello";
			return -1;
		}
		if (n == 0 || hscoap_peek(plain, (size_t)n, &pk) != 0 ||
		    pk.kind != HSPEEK_HELLO) {
			skipped++;
			continue;
		}
		if (hscoap_parse(plain, (size_t)n, &m) != 0 ||
		    hshello_parse(&m, out) != 0)
			memset(out, 0, sizeof(*out));
		out->mid = pk.mid;
		return 0;
	}
}

/*
 * Stay idle until `until` as a connected device does, handling (here:
 * reading and dropping) whatever the cloud sends.  Returns 0 when the time
 * passed with the connection open, -1 with *why when it ended.
 */
static int
idle(struct rx *rx, struct hs_channel *ch, double until, uint8_t *plain,
    size_t cap, const char **why)
{
	while (hs_now_ms() < until)
		if (rx_message(rx, ch, until, plain, cap, why) < 0)
			return strcmp(*why, "timed out") == 0 ? 0 : -1;
	return 0;
}

/*
 * The 2014 Core firmware with no Hello from the cloud (core-communication-lib
 * spark_protocol.cpp): handshake() returns once the device's own Hello is
 * sent, and event_loop() then counts any record as a sign of life
 * (handle_received_message), pings after 15 s idle and drops the session
 * when 10 s more pass without one.  So a missing Hello is no failure: the
 * step is absent and the ping judges the session.  A connection that ended
 * in the wait is that drop already (the Core's next receive fails and it
 * re-dials).  Returns 0 to go on to the ping, or the fail() status.
 */
static int
core_no_hello(struct run *run, const struct rx *rx, double waited,
    const char *why)
{
	bool ended = strncmp(why, "timed out", 9) != 0;
	char bad[48] = "";

	if (rx->nbad > 0)
		snprintf(bad, sizeof(bad), " (%u record%s that did not "
		    "decrypt)", rx->nbad, rx->nbad == 1 ? "" : "s");
	step_end(run, HS_STEP_HELLO_RECV, HS_ABSENT, "no server Hello in "
	    "%.0f ms%s: the 2014 Core firmware does not wait for it",
	    ended ? hs_now_ms() - run->t0 : waited, bad);
	if (!ended)
		return 0;
	step_begin(run);
	step_end(run, HS_STEP_PING, HS_FAIL, "the connection ended after the "
	    "handshake, before the ping: %s (the Core drops the session and "
	    "re-dials)", why);
	return fail(run, FINDING_CLOUD_PING_UNANSWERED, HS_STEP_PING);
}

/* Steps 6-7 over the encrypted channel. */
static int
session_steps(struct run *run, const struct handshake_opts *o, int fd,
    const uint8_t session[HS_SESSION_LEN])
{
	struct hs_channel tx, rxc;
	struct rx *rx;
	struct hshello h = o->hello;
	struct hspeek pk;
	uint8_t msg[64], wire[HS_WIRE_MAX + HS_AES_BLOCK];
	uint8_t plain[HS_FRAME_MAX + HS_AES_BLOCK];
	const char *why = "", *since;
	char after[48] = "";
	double deadline, waited;
	uint16_t mid;
	int n, hr, rc = 0;
	enum io_status st;

	if ((rx = calloc(1, sizeof(*rx))) == NULL)
		return -1;
	rx->fd = fd;
	rx->how = o->core2014 ? HSREAD_CORE2014 : HSREAD_DEVICE_OS;
	hs_channel_init(&tx, session);
	hs_channel_init(&rxc, session);
	/* core-communication-lib: the counter starts at salt[0..1]. */
	mid = (uint16_t)(session[32] << 8 | session[33]);

	/* 6: the Hello. */
	step_begin(run);
	h.mid = ++mid;
	if ((n = hshello_build(&h, msg, sizeof(msg))) < 0 ||
	    (n = hs_channel_seal(&tx, msg, (size_t)n, wire, sizeof(wire))) <
	    0) {
		step_end(run, HS_STEP_HELLO_SEND, HS_FAIL, "cannot build Hello");
		rc = -1;
		goto done;
	}
	st = write_full(fd, wire, (size_t)n, wait_end(o, o->step_ms));
	if (st != IO_OK) {
		step_end(run, HS_STEP_HELLO_SEND, HS_FAIL, "sending Hello: %s",
		    io_text(st));
		rc = fail(run, FINDING_HANDSHAKE_NO_HELLO, HS_STEP_HELLO_SEND);
		goto done;
	}
	step_end(run, HS_STEP_HELLO_SEND, HS_OK, "%d bytes", n);
	/* The 2014 Core's handshake() returns here: it breathes cyan. */
	run->res->handshake_done = o->core2014;

	/*
	 * 7: the server's Hello within hello_ms.  On the 2014 Core the wait
	 * only lets it come before the ping, so that what answers the ping
	 * is not the Hello.
	 */
	step_begin(run);
	waited = hs_now_ms();
	deadline = wait_end(o, o->hello_ms);
	waited = deadline - waited;
	hr = wait_hello(rx, &rxc, deadline, &run->res->server_hello, &why);
	if (hr != 0 && o->core2014) {
		if ((rc = core_no_hello(run, rx, waited, why)) != 0)
			goto done;
	} else if (hr != 0 && rx->nbad > 0) {
		/* The cloud answered, under another key or IV. */
		step_end(run, HS_STEP_HELLO_RECV, HS_FAIL, "%u record%s from "
		    "the cloud did not decrypt under the session key (the "
		    "first: %zu bytes, last byte 0x%02x), no Hello in %.0f ms",
		    rx->nbad, rx->nbad == 1 ? "" : "s", rx->bad_len,
		    rx->bad_last, waited);
		rc = fail(run, FINDING_HANDSHAKE_BAD_RECORD,
		    HS_STEP_HELLO_RECV);
		goto done;
	} else if (hr != 0) {
		step_end(run, HS_STEP_HELLO_RECV, HS_FAIL, "no server Hello "
		    "within %.0f ms: %s", waited, why);
		rc = fail(run, FINDING_HANDSHAKE_NO_HELLO, HS_STEP_HELLO_RECV);
		goto done;
	} else {
		step_end(run, HS_STEP_HELLO_RECV, HS_OK, "server Hello, message "
		    "id %u%s", (unsigned)run->res->server_hello.mid, rx->pad ==
		    HSPAD_OK ? "" : ", padding not valid PKCS#7 (the firmware "
		    "does not check it)");
		run->res->handshake_done = true;
	}
	if (o->skip_ping)
		goto done;
	since = hr == 0 ? "a good Hello" : "the handshake (no Hello)";

	/*
	 * 7: one ping (an empty CON).  The handshake is complete here: the
	 * device breathes cyan.  A missed answer drops the session later.
	 * Any record answers (Device OS pinger.message_received(), the
	 * Core's handle_received_message), the Hello too on the Core.
	 * The device pings once idle for 15 s; by default the probe does not
	 * wait (ping_after_ms), so that a run takes seconds.
	 */
	step_begin(run);
	if (idle(rx, &rxc, wait_end(o, o->ping_after_ms), plain,
	    sizeof(plain), &why) != 0) {
		step_end(run, HS_STEP_PING, HS_FAIL, "the connection ended "
		    "while idle, %.0f ms after %s, before the ping: %s",
		    hs_now_ms() - run->t0, since, why);
		rc = fail(run, FINDING_CLOUD_PING_UNANSWERED, HS_STEP_PING);
		goto done;
	}
	n = hscoap_build(HS_COAP_CON, HS_COAP_EMPTY, ++mid, NULL, NULL, 0,
	    msg, sizeof(msg));
	if (n < 0 || (n = hs_channel_seal(&tx, msg, (size_t)n, wire,
	    sizeof(wire))) < 0 || write_full(fd, wire, (size_t)n,
	    wait_end(o, o->step_ms)) != IO_OK) {
		step_end(run, HS_STEP_PING, HS_FAIL, "cannot send the ping");
		rc = fail(run, FINDING_CLOUD_PING_UNANSWERED, HS_STEP_PING);
		goto done;
	}
	waited = hs_now_ms();
	deadline = wait_end(o, o->ping_ms);
	waited = deadline - waited;
	/* An empty message is no message to the firmware: wait on. */
	do
		n = rx_message(rx, &rxc, deadline, plain, sizeof(plain), &why);
	while (n == 0);
	if (n < 0 || hscoap_peek(plain, (size_t)n, &pk) != 0) {
		step_end(run, HS_STEP_PING, HS_FAIL, "no message from the "
		    "cloud within %.0f ms of a CoAP ping after %s: %s (the "
		    "device waits 10 s, then drops the session)", waited,
		    since, n < 0 ? why : "an empty record");
		rc = fail(run, FINDING_CLOUD_PING_UNANSWERED, HS_STEP_PING);
		goto done;
	}
	/* Device OS pinger.message_received(): any message answers. */
	if (o->ping_after_ms > 0)
		snprintf(after, sizeof(after), ", sent after %d ms idle",
		    o->ping_after_ms);
	if (rx->garbled)
		step_end(run, HS_STEP_PING, HS_OK, "ping%s answered by a "
		    "record that does not decrypt under the session key (%s), "
		    "which the firmware still counts as a sign of life", after,
		    hspad_name(rx->pad));
	else
		step_end(run, HS_STEP_PING, HS_OK, "ping%s answered by %s (%s, "
		    "%s, token %u byte%s%s)", after, hspeek_kind_name(pk.kind),
		    pk.rfc7252 ? "valid CoAP" : "not valid RFC 7252 CoAP, "
		    "which the firmware accepts", coapmsg_type_name(pk.type),
		    (unsigned)pk.token_len, pk.token_len == 1 ? "" : "s",
		    pk.mid == mid ? ", our message id" : "");
done:
	OPENSSL_cleanse(&tx, sizeof(tx));
	OPENSSL_cleanse(&rxc, sizeof(rxc));
	free(rx);
	return rc;
}

int
handshake_run(const struct handshake_opts *o, struct handshake_result *res)
{
	struct run run = { res, 0 };
	uint8_t session[HS_SESSION_LEN];
	double start = hs_now_ms();
	int fd = -1, rc;

	memset(res, 0, sizeof(*res));
	if (o->addr == NULL || o->device_key == NULL || o->server_key == NULL) {
		snprintf(res->evidence, sizeof(res->evidence),
		    "handshake: address and both keys are needed");
		return -1;
	}
	if ((rc = connect_step(&run, o, &fd)) != 0)
		goto done;
	if ((rc = key_exchange(&run, o, fd, session)) != 0)
		goto done;
	rc = session_steps(&run, o, fd, session);
	OPENSSL_cleanse(session, sizeof(session));
	res->complete = rc == 0;
done:
	if (rc < 0 && res->evidence[0] == '\0') {
		int i;

		for (i = 0; i < HS_STEP_COUNT; i++)
			if (res->step[i].outcome == HS_FAIL)
				snprintf(res->evidence, sizeof(res->evidence),
				    "handshake could not run: %s",
				    res->step[i].detail);
	}
	if (fd >= 0)
		close(fd);
	res->total_ms = hs_now_ms() - start;
	return rc;
}

cJSON *
handshake_facts(const struct handshake_result *r)
{
	cJSON *o, *steps, *s, *h;
	int i;

	if ((o = cJSON_CreateObject()) == NULL)
		return NULL;
	cJSON_AddBoolToObject(o, "complete", r->complete);
	cJSON_AddNumberToObject(o, "total_ms",
	    (double)(long)(r->total_ms * 1000) / 1000);
	if (r->failed) {
		cJSON_AddStringToObject(o, "finding", finding_name(r->finding));
		cJSON_AddStringToObject(o, "evidence", r->evidence);
	}
	steps = cJSON_AddArrayToObject(o, "steps");
	for (i = 0; i < HS_STEP_COUNT && steps != NULL; i++) {
		if (r->step[i].outcome == HS_NOT_RUN)
			continue;
		if ((s = cJSON_CreateObject()) == NULL)
			break;
		cJSON_AddStringToObject(s, "step", handshake_step_name(i));
		cJSON_AddStringToObject(s, "outcome",
		    handshake_outcome_name(r->step[i].outcome));
		cJSON_AddNumberToObject(s, "ms",
		    (double)(long)(r->step[i].ms * 1000) / 1000);
		cJSON_AddStringToObject(s, "detail", r->step[i].detail);
		cJSON_AddItemToArray(steps, s);
	}
	if (r->step[HS_STEP_HELLO_RECV].outcome == HS_OK &&
	    (h = cJSON_AddObjectToObject(o, "server_hello")) != NULL) {
		cJSON_AddNumberToObject(h, "message_id", r->server_hello.mid);
		cJSON_AddBoolToObject(h, "payload",
		    r->server_hello.has_payload);
	}
	return o;
}

void
handshake_hello_for(struct hshello *h, bool is_core, unsigned platform_id,
    bool era_core2014)
{
	h->has_payload = true;
	h->has_platform = !(is_core && era_core2014);
	h->platform_id = (uint16_t)platform_id;
}

/* Load hc's keys and id; EXIT_OK, or EXIT_USAGE with err naming why. */
static int
load_check(const struct handshake_check *hc, uint8_t id[HS_DEVICE_ID_LEN],
    EVP_PKEY **dk, EVP_PKEY **sk, char *err, size_t errlen)
{
	char hex[2 * HS_DEVICE_ID_LEN + 1];
	uint8_t pub[HS_DEVICE_PUB_LEN];

	*dk = *sk = NULL;
	if (hc->device_key == NULL || hc->server_key == NULL) {
		snprintf(err, errlen, "the handshake needs both --device-key "
		    "and --server-key");
		return EXIT_USAGE;
	}
	if ((*dk = keys_load_private(hc->device_key, KEYS_DEVICE_BITS, err,
	    errlen)) == NULL)
		return EXIT_USAGE;
	if (keys_device_pub_der(*dk, pub) != 0) {
		snprintf(err, errlen, "%s: public exponent is not 65537, which "
		    "the firmware assumes", hc->device_key);
		EVP_PKEY_free(*dk);
		*dk = NULL;
		return EXIT_USAGE;
	}
	if ((*sk = keys_load_public(hc->server_key, KEYS_SERVER_BITS, err,
	    errlen)) == NULL) {
		EVP_PKEY_free(*dk);
		*dk = NULL;
		return EXIT_USAGE;
	}
	if (hc->device_id != NULL) {
		if (!keys_parse_device_id(hc->device_id, id)) {
			snprintf(err, errlen, "--device-id '%s': not 24 hex "
			    "digits", hc->device_id);
			goto bad_id;
		}
	} else if (keys_guess_device_id(hc->device_key, hex)) {
		keys_parse_device_id(hex, id);
	} else {
		snprintf(err, errlen, "%s: no device id stored with the key "
		    "(name it <24 hex>.pem or add %s.id); give --device-id",
		    hc->device_key, hc->device_key);
		goto bad_id;
	}
	return EXIT_OK;
bad_id:
	EVP_PKEY_free(*dk);
	EVP_PKEY_free(*sk);
	*dk = *sk = NULL;
	return EXIT_USAGE;
}

int
handshake_check_keys(const struct handshake_check *hc, char *err,
    size_t errlen)
{
	uint8_t id[HS_DEVICE_ID_LEN];
	EVP_PKEY *dk, *sk;
	int rc;

	rc = load_check(hc, id, &dk, &sk, err, errlen);
	EVP_PKEY_free(dk);
	EVP_PKEY_free(sk);
	return rc;
}

int
handshake_check_into(const struct handshake_check *hc,
    const struct sockaddr *addr, socklen_t addrlen, struct findings *fs,
    cJSON *facts, stage_set *seen, char *err, size_t errlen)
{
	struct handshake_opts o;
	struct handshake_result *res = NULL;
	char hex[2 * HS_DEVICE_ID_LEN + 1];
	cJSON *f, *it;
	int rc;

	*seen = 0;
	handshake_opts_init(&o);
	if ((rc = load_check(hc, o.device_id, &o.device_key, &o.server_key,
	    err, errlen)) != EXIT_OK)
		return rc;
	o.addr = addr;
	o.addrlen = addrlen;
	if (hc->connect_ms > 0)
		o.connect_ms = hc->connect_ms;
	if (hc->step_ms > 0)
		o.step_ms = hc->step_ms;
	if (hc->hello_ms > 0)
		o.hello_ms = hc->hello_ms;
	if (hc->ping_ms > 0)
		o.ping_ms = hc->ping_ms;
	o.ping_after_ms = hc->ping_after_ms;
	o.iface = hc->iface;
	o.until_ms = hc->until_ms;
	o.core2014 = hc->is_core && hc->era_core2014;
	handshake_hello_for(&o.hello, hc->is_core, hc->platform_id,
	    hc->era_core2014);
	rc = EXIT_RUNTIME;
	if ((res = calloc(1, sizeof(*res))) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	switch (handshake_run(&o, res)) {
	case 0:
		rc = EXIT_OK;
		break;
	case 1:
		rc = EXIT_PROBLEMS;
		findings_add(fs, res->finding, "%s", res->evidence);
		break;
	default:
		snprintf(err, errlen, "%s", res->evidence);
		break;
	}
	/* The device's handshake is over: it breathes cyan. */
	if (res->handshake_done)
		*seen = STAGE_BIT(STAGE_CLOUD) | STAGE_BIT(STAGE_HANDSHAKE);
	if (facts != NULL && (f = handshake_facts(res)) != NULL) {
		keys_format_device_id(o.device_id, hex);
		cJSON_AddStringToObject(facts, "device_id", hex);
		/* Move the members across: the caller owns `facts`. */
		while ((it = f->child) != NULL) {
			cJSON_DetachItemViaPointer(f, it);
			cJSON_AddItemToObject(facts, it->string, it);
		}
		cJSON_Delete(f);
	}
done:
	free(res);
	EVP_PKEY_free(o.device_key);
	EVP_PKEY_free(o.server_key);
	return rc;
}

int
handshake_check(const struct handshake_check *hc, const struct sockaddr *addr,
    socklen_t addrlen, struct report *r, char *err, size_t errlen)
{
	stage_set seen = 0;
	int rc;

	rc = handshake_check_into(hc, addr, addrlen, &r->findings,
	    report_facts(r, "handshake"), &seen, err, errlen);
	report_seen(r, seen);
	return rc;
}
