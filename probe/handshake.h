/*
 * handshake.h - the Particle TCP cloud handshake (particle-cloud.md 1.2-1.5)
 * with OpenSSL 3: the device's side as a client that times and judges every
 * step (handshake_run), and the crypto both sides share (the RSA blocks,
 * the raw HMAC-SHA1 signature and the chained AES-128-CBC records), which
 * probe/cloud.c uses for the server's side.
 *
 * handshake_run() is what `cyanprobe handshake`, `diagnose` (cloud stage
 * with keys) and the load client call: give it a resolved address, loaded
 * keys and deadlines; it fills per-step outcomes and, on failure, the one
 * finding id that explains it.  It never prints and never logs key bytes.
 */
#ifndef HANDSHAKE_H
#define HANDSHAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <cJSON.h>
#include <openssl/evp.h>

#include "finding.h"
#include "hsframe.h"
#include "stage.h"

/* The steps, in order; the 1-7 with connect first and 7 split. */
enum hs_step {
	HS_STEP_CONNECT,	/* TCP connect */
	HS_STEP_NONCE,		/* 1: read the 40-byte nonce */
	HS_STEP_SEND_KEY,	/* 2: send the 256-byte RSA block */
	HS_STEP_REPLY,		/* 3: read the 384-byte reply */
	HS_STEP_DECRYPT,	/* 4: decrypt the 40 session bytes */
	HS_STEP_VERIFY,		/* 5: verify the server's signature */
	HS_STEP_HELLO_SEND,	/* 6: send the device Hello */
	HS_STEP_HELLO_RECV,	/* 7: the server's Hello within 4 s (Device
				   OS; the 2014 Core does not wait) */
	HS_STEP_PING,		/* 7: one CoAP ping and its ACK */
	HS_STEP_COUNT
};

enum hs_outcome {
	HS_NOT_RUN,
	HS_OK,
	HS_FAIL,
	/*
	 * The step's message did not come and the firmware does not need
	 * it: the cloud's Hello on the 2014 Core firmware.
	 */
	HS_ABSENT
};

struct hs_step_result {
	enum hs_outcome	outcome;
	double		ms;		/* time the step took */
	char		detail[224];	/* what happened, for people */
};

struct handshake_opts {
	const struct sockaddr	*addr;	/* resolved cloud address */
	socklen_t		 addrlen;
	EVP_PKEY		*device_key;	/* RSA-1024 private, borrowed */
	EVP_PKEY		*server_key;	/* RSA-2048 public, borrowed */
	uint8_t			 device_id[HS_DEVICE_ID_LEN];
	int			 connect_ms;	/* default 8000 (Device OS) */
	int			 step_ms;	/* per read/write, default 20000 */
	int			 hello_ms;	/* server Hello, default 4000;
						   core2014: how long it may
						   come before the ping */
	int			 ping_ms;	/* ping ACK, default 10000 */
	/*
	 * Idle time between the server Hello and the ping: 0 (default) pings
	 * at once; a device pings only after 15 s idle (particle-cloud.md
	 * 1.5), which a test can ask for to meet a cloud or NAT that drops
	 * idle sessions.
	 */
	int			 ping_after_ms;
	const char		*iface;		/* SO_BINDTODEVICE; NULL: none */
	/* No wait (read, write, Hello, ping) ends later: hs_now_ms() time. */
	double			 until_ms;	/* 0: none */
	bool			 skip_ping;	/* stop after the server Hello */
	/*
	 * The 2014 Core firmware's session, not Device OS's: read the
	 * cloud's records as it does (the whole record, hsframe.h
	 * HSREAD_CORE2014), and do not require the cloud's Hello, as its
	 * handshake() returns once the device's own Hello is sent; the
	 * keep-alive ping then judges the session.
	 */
	bool			 core2014;
	/* The Hello to send; mid is ignored (it comes from the salt). */
	struct hshello		 hello;
};

/* Firmware defaults: Photon layout, product 0xffff, the timeouts above. */
void	handshake_opts_init(struct handshake_opts *o);

struct handshake_result {
	struct hs_step_result	step[HS_STEP_COUNT];
	bool			complete;	/* every step ran and passed */
	/*
	 * The device's handshake is over: it breathes cyan.  Device OS:
	 * the cloud's Hello came; the 2014 Core: its own Hello went out.
	 */
	bool			handshake_done;
	bool			failed;		/* then finding is set */
	enum finding_id		finding;
	char			evidence[FINDING_EVIDENCE_MAX];
	double			total_ms;
	struct hshello		server_hello;	/* valid when step 7 passed */
};

/*
 * Run the device's side against opts->addr.  Returns 0 when the handshake
 * completes, 1 when it fails (result->finding names why: cloud.port_* or
 * cloud.intercepted before the nonce, handshake.* after it), or -1 on a
 * local failure (bad options, no socket), with result->evidence saying so.
 */
int	handshake_run(const struct handshake_opts *o,
	    struct handshake_result *result);

/* Stable step names used in JSON: "connect", "nonce", ... */
const char	*handshake_step_name(enum hs_step s);
const char	*handshake_outcome_name(enum hs_outcome o);

/*
 * The result as a JSON object (steps with outcome, ms and detail; complete;
 * the server Hello), for a report's facts.  Caller owns it.  Holds no key
 * material.
 */
cJSON	*handshake_facts(const struct handshake_result *r);

/*
 * The Hello a device of this kind sends: the 2014 Core firmware omits the
 * platform id (13 bytes); Device OS adds it (15 bytes).
 */
void	handshake_hello_for(struct hshello *h, bool is_core,
	    unsigned platform_id, bool era_core2014);

struct report;

/* What `diagnose` and `handshake` pass to handshake_check(). */
struct handshake_check {
	const char	*device_key;	/* path: device private key */
	const char	*server_key;	/* path: server public key or region */
	const char	*device_id;	/* 24 hex, or NULL: from the key file */
	bool		 is_core;	/* profile: Core layout and platform */
	unsigned	 platform_id;
	bool		 era_core2014;
	int		 connect_ms, step_ms, hello_ms;	/* 0: defaults */
	int		 ping_ms;	/* 0: the firmware's 10 s */
	int		 ping_after_ms;	/* idle before the ping; 0: none */
	const char	*iface;		/* bind the socket to it; NULL: none */
	double		 until_ms;	/* hs_now_ms() time every wait ends by */
};

/*
 * Load the keys, run the handshake against addr, and put the outcome into
 * the report: the finding on failure, the stages seen to pass, and facts
 * under "handshake" (the steps, never key material).  Returns 0 when it
 * completed, 1 when it failed (finding added), 2 for bad input (a key file
 * or device id; err names the file), 3 for a local failure.  These are the
 * exit codes of `cyanprobe handshake`.
 */
int	handshake_check(const struct handshake_check *hc,
	    const struct sockaddr *addr, socklen_t addrlen, struct report *r,
	    char *err, size_t errlen);

/*
 * The same for a caller that keeps its own findings and facts, such as
 * diagnose's cloud check: a failure's finding is added to fs and the facts'
 * members to `facts` (an object the caller owns; NULL for none).  *seen
 * gets the stages seen to pass: cloud and handshake once the server's
 * Hello came, even when the ping after it then went unanswered.  Same
 * return values.
 */
int	handshake_check_into(const struct handshake_check *hc,
	    const struct sockaddr *addr, socklen_t addrlen,
	    struct findings *fs, cJSON *facts, stage_set *seen, char *err,
	    size_t errlen);

/*
 * Check hc's key files and device id before any network work, so a command
 * can refuse bad input up front.  Returns 0, or 2 (EXIT_USAGE) with err
 * naming the file or id.
 */
int	handshake_check_keys(const struct handshake_check *hc, char *err,
	    size_t errlen);

/* --- crypto shared by both sides ----------------------------------- */

/* One direction of the record stream: key and the chained IV. */
struct hs_channel {
	uint8_t		key[16];
	uint8_t		iv[16];
};

/* Both directions start from the session's key and IV. */
void	hs_channel_init(struct hs_channel *ch,
	    const uint8_t session[HS_SESSION_LEN]);

/*
 * Encrypt `n` plaintext bytes as one record (2-byte length + AES-128-CBC,
 * PKCS#7) into out; the next IV becomes the first 16 ciphertext bytes.
 * Returns the wire length, or -1 (n > HS_PLAIN_MAX or cap too small).
 */
int	hs_channel_seal(struct hs_channel *ch, const uint8_t *plain, size_t n,
	    uint8_t *out, size_t cap);

/*
 * Decrypt one record's ciphertext (from hsframe_next) into out, chaining
 * the IV.  Returns the plaintext length, or -1 on a padding error: the
 * server's reading (spark-server's CryptoStream.js fails such a record).
 */
int	hs_channel_open(struct hs_channel *ch, const uint8_t *cipher,
	    size_t n, uint8_t *out, size_t cap);

/*
 * The device's reading (Device OS lightssl_message_channel.cpp receive()):
 * decrypt the whole record, padding and all, with no check; the caller
 * takes the length the firmware takes with hsframe_unpad().  Returns n, or
 * -1 when n is not whole blocks.
 */
int	hs_channel_open_raw(struct hs_channel *ch, const uint8_t *cipher,
	    size_t n, uint8_t *out, size_t cap);

/*
 * Encrypt n bytes already padded to whole blocks (any padding, valid or
 * not) as one record; for the test cloud's faults.  Returns the wire
 * length, or -1.
 */
int	hs_channel_seal_raw(struct hs_channel *ch, const uint8_t *padded,
	    size_t n, uint8_t *out, size_t cap);

/* RSA PKCS#1 v1.5 encryption / decryption; 0 or -1.  *outlen in/out. */
int	hs_rsa_encrypt(EVP_PKEY *pub, const uint8_t *in, size_t n,
	    uint8_t *out, size_t *outlen);
int	hs_rsa_decrypt(EVP_PKEY *priv, const uint8_t *in, size_t n,
	    uint8_t *out, size_t *outlen);

/* HMAC-SHA1(key = session, message = the 128-byte ciphertext). */
int	hs_hmac(const uint8_t session[HS_SESSION_LEN],
	    const uint8_t cipher[HS_REPLY_CIPHER], uint8_t out[HS_HMAC_LEN]);

/*
 * The server's raw signature: a private-key operation with PKCS#1 type-1
 * padding over the 20 HMAC bytes, no DigestInfo (Node's privateEncrypt).
 */
int	hs_sign_raw(EVP_PKEY *priv, const uint8_t hmac[HS_HMAC_LEN],
	    uint8_t sig[HS_REPLY_SIG]);

/* 0 when sig recovers to exactly hmac under pub, else -1. */
int	hs_verify_raw(EVP_PKEY *pub, const uint8_t sig[HS_REPLY_SIG],
	    const uint8_t hmac[HS_HMAC_LEN]);

/*
 * Resolve "HOST[:PORT]" ("[v6]:PORT" for IPv6 literals) into ss; PORT
 * defaults to default_port.  passive: for listening ("" or "*" means any).
 * Returns 0, -1 for a malformed spec (bad input), or -2 when the name does
 * not resolve; err says which, naming the spec.
 */
int	handshake_resolve(const char *spec, int default_port, bool passive,
	    struct sockaddr_storage *ss, socklen_t *len, char *err,
	    size_t errlen);

/* Milliseconds on the monotonic clock. */
double	hs_now_ms(void);

#endif /* HANDSHAKE_H */
