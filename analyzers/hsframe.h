/*
 * hsframe.h - the byte layouts of the Particle TCP cloud handshake and of
 * the framed, encrypted message stream that follows it, for both sides.
 *
 * particle-cloud.md 1.2-1.4 describes them: the device's 256-byte RSA block
 * (nonce, device id, device public key), the server's 384-byte reply (128
 * bytes of RSA ciphertext, 256 bytes of raw signature), the 40 session bytes
 * (AES key, IV, salt), the 2-byte length framing of AES-128-CBC records, and
 * the Hello, an ordinary RFC 7252 CoAP message.  Everything here is pure: it
 * splits and builds bytes; the RSA and AES work lives in probe/handshake.c.
 * Parsers return views into the caller's buffer, valid while that buffer is.
 */
#ifndef HSFRAME_H
#define HSFRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HS_NONCE_LEN		40	/* step 1, in the clear */
#define HS_DEVICE_ID_LEN	12	/* the STM32 unique id */
#define HS_DEVICE_PUB_LEN	162	/* RSA-1024 SubjectPublicKeyInfo DER */
#define HS_CLIENT_MIN		(HS_NONCE_LEN + HS_DEVICE_ID_LEN)	/* 2014 Core */
#define HS_CLIENT_LEN		(HS_CLIENT_MIN + HS_DEVICE_PUB_LEN)	/* 214 */
#define HS_CLIENT_BLOCK		256	/* RSA-2048 ciphertext, step 2 */
#define HS_REPLY_CIPHER		128	/* RSA-1024 ciphertext of the session */
#define HS_REPLY_SIG		256	/* RSA-2048 raw signature */
#define HS_REPLY_LEN		(HS_REPLY_CIPHER + HS_REPLY_SIG)	/* 384 */
#define HS_SESSION_LEN		40	/* key 16, IV 16, salt 8 */
#define HS_AES_BLOCK		16
#define HS_HMAC_LEN		20	/* HMAC-SHA1 */

/*
 * The largest record ciphertext we accept.  Device OS messages stay well
 * under this (OTA chunks are 512 bytes plus CoAP framing); a peer that
 * announces more is cut off instead of buffered.
 */
#define HS_FRAME_MAX		1024
#define HS_PLAIN_MAX		(HS_FRAME_MAX - 1)	/* PKCS#7 adds >= 1 */
#define HS_WIRE_MAX		(2 + HS_FRAME_MAX)

/* Defaults the firmware puts in a Hello when no product is set. */
#define HS_PRODUCT_DEFAULT	0xffff
#define HS_HELLO_FLAG_OTA_OK	0x01
#define HS_HELLO_FLAG_DIAG	0x02
#define HS_HELLO_FLAG_IMMEDIATE	0x04

/* CoAP message types and the codes this protocol uses (RFC 7252 3). */
#define HS_COAP_CON		0
#define HS_COAP_NON		1
#define HS_COAP_ACK		2
#define HS_COAP_RST		3
#define HS_COAP_EMPTY		0x00
#define HS_COAP_GET		0x01
#define HS_COAP_POST		0x02
#define HS_COAP_PUT		0x03
#define HS_COAP_PATH_MAX	64

/* The server's 384-byte reply, split; views into the input. */
struct hsreply {
	const uint8_t	*cipher;	/* HS_REPLY_CIPHER bytes */
	const uint8_t	*sig;		/* HS_REPLY_SIG bytes */
};

/*
 * Split a server reply.  Returns 0, or -1 unless `len` is exactly
 * HS_REPLY_LEN (a short read is not a reply).
 */
int	hsreply_parse(const uint8_t *buf, size_t len, struct hsreply *out);

/* The device's step-2 plaintext, after the server decrypted it. */
struct hsclient {
	const uint8_t	*nonce;		/* HS_NONCE_LEN bytes */
	const uint8_t	*device_id;	/* HS_DEVICE_ID_LEN bytes */
	const uint8_t	*pubkey;	/* NULL for the 52-byte 2014 form */
	size_t		 pubkey_len;
	bool		 pubkey_shaped;	/* starts with the RSA-1024 SPKI header */
};

/*
 * Split the step-2 plaintext.  More than 52 bytes means the tail is the
 * device's public key (spark-protocol Handshake.js read_coreid).  Returns 0,
 * or -1 when it is shorter than HS_CLIENT_MIN.
 */
int	hsclient_parse(const uint8_t *plain, size_t len, struct hsclient *out);

/* Build the step-2 plaintext into out[HS_CLIENT_LEN]; pub is 162 bytes. */
void	hsclient_build(const uint8_t nonce[HS_NONCE_LEN],
	    const uint8_t id[HS_DEVICE_ID_LEN],
	    const uint8_t pub[HS_DEVICE_PUB_LEN], uint8_t out[HS_CLIENT_LEN]);

/* The 29-byte DER header every RSA-1024/e=65537 device public key has. */
extern const uint8_t hs_device_pub_header[29];

/* The 40 session bytes, split (Handshake.js, lightssl set_key). */
struct hssession {
	const uint8_t	*key;		/* 16 */
	const uint8_t	*iv;		/* 16 */
	const uint8_t	*salt;		/* 8; the server never uses it */
};

void	hssession_split(const uint8_t s[HS_SESSION_LEN], struct hssession *out);

/* One record of the framed stream: a view of its ciphertext. */
struct hsframe {
	const uint8_t	*data;
	size_t		 len;		/* a multiple of 16, 16..HS_FRAME_MAX */
	size_t		 consumed;	/* bytes of the input it took: 2 + len */
};

enum hsframe_status {
	HSFRAME_BAD = -1,	/* length 0, not a multiple of 16, or too big */
	HSFRAME_MORE = 0,	/* a record has started but is not complete */
	HSFRAME_READY = 1	/* *out holds one record */
};

/*
 * Take the next record from the front of buf[0..len).  Call it again on
 * buf + out->consumed for the next one.  A bad length is reported as soon
 * as the 2 length bytes are in, so a garbage sender is cut off at once.
 */
enum hsframe_status	hsframe_next(const uint8_t *buf, size_t len,
			    struct hsframe *out);

/*
 * A decrypted record's padding, read as the device firmware reads it.
 * Device OS does not check PKCS#7 at all: lightssl_message_channel.cpp
 * receive() decrypts the whole record (mbedtls_aes_crypt_cbc, no padding
 * mode) and takes `packet_size - buf[packet_size - 1]` as the message
 * length, whatever the other pad bytes hold.  So a record whose padding is
 * not valid PKCS#7 is still a message to the device; only a last byte equal
 * to the record's length leaves nothing (an empty message, skipped), and a
 * last byte larger than the record wraps that length round (the firmware
 * then reads the buffer from its start as a message all the same).
 * spark-server (CryptoStream.js, Node's decipher with its default PKCS#7
 * check) instead fails such a record ("bad decrypt").
 */
enum hspad {
	HSPAD_OK,	/* valid PKCS#7: 1..16, every pad byte the same */
	HSPAD_BAD,	/* not valid PKCS#7; the firmware cuts n - last byte */
	HSPAD_OVER	/* the last byte exceeds the record: no length fits */
};

/*
 * The plaintext length the firmware takes from a decrypted record of n
 * bytes (n for HSPAD_OVER, since the firmware reads from the start of the
 * buffer anyway; 0 for n == 0) and how its padding reads.  Pure.
 */
enum hspad	hsframe_unpad(const uint8_t *plain, size_t n, size_t *len);

/* "valid PKCS#7", ... for people. */
const char	*hspad_name(enum hspad p);

/*
 * Whose way a decrypted record is read.  The 2014 Core firmware does not
 * check PKCS#7 either, and does not even cut the padding off:
 * core-communication-lib src/spark_protocol.cpp received_message()
 * decrypts the whole record (`aes_crypt_cbc(&aes, AES_DECRYPT, length,
 * iv_receive, buf, buf)`, no padding mode) and dispatches on its code and
 * path byte (`char path = buf[ 5 + (buf[0] & 0x0F) ];`, `case 'h': return
 * CoAPMessageType::HELLO;`) with `length` the record's size; the pad byte
 * is read only by an event handler (`if (0 == pad || 16 < pad)`, "ignore
 * bad message") and by firmware chunks.  So a record whose last byte would
 * leave Device OS an empty or cut message is whole to the Core.
 */
enum hsread {
	HSREAD_DEVICE_OS,	/* length - last byte (hsframe_unpad) */
	HSREAD_CORE2014		/* the whole record */
};

/*
 * The plaintext length the firmware of `how` reads from a decrypted record
 * of n bytes, and in *pad how its padding reads (for evidence only: no
 * firmware refuses a record for it).  Pure.
 */
size_t		 hsframe_read_len(const uint8_t *plain, size_t n,
		    enum hsread how, enum hspad *pad);

/* Bytes on the wire for a plaintext of n bytes: 2 + PKCS#7-padded length. */
size_t	hsframe_wire_len(size_t n);

/* A decoded CoAP message (RFC 7252 UDP encoding). */
struct hscoap {
	uint8_t		 type;		/* HS_COAP_CON.. */
	uint8_t		 code;		/* class << 5 | detail */
	uint16_t	 mid;
	uint8_t		 token_len;
	char		 path[HS_COAP_PATH_MAX];	/* Uri-Path segments, '/' */
	bool		 path_truncated;
	const uint8_t	*payload;	/* view into the input, or NULL */
	size_t		 payload_len;
};

/*
 * Parse one plaintext CoAP message with libcoap's coap_pdu_parse().
 * Returns 0, or -1 for anything libcoap rejects or a message over
 * HS_PLAIN_MAX bytes.
 */
int	hscoap_parse(const uint8_t *buf, size_t len, struct hscoap *out);

/*
 * Encode a CoAP message with no token: header, the Uri-Path segments of
 * `path` (NULL or "" for none; '/' separates them), then 0xff and the
 * payload when plen > 0.  Options go through libcoap's coap_opt_encode().
 * Returns the length, or -1 when it does not fit in `cap`.
 */
int	hscoap_build(uint8_t type, uint8_t code, uint16_t mid,
	    const char *path, const uint8_t *payload, size_t plen,
	    uint8_t *out, size_t cap);

/*
 * The same with a token of tkl (0..8) bytes after the header, which RFC
 * 7252 forbids on an empty message (code 0.00) and spark-server sends
 * anyway; hscoap_build() is this with no token.
 */
int	hscoap_build_token(uint8_t type, uint8_t code, uint16_t mid,
	    const uint8_t *token, size_t tkl, const char *path,
	    const uint8_t *payload, size_t plen, uint8_t *out, size_t cap);

/* The Hello payload (particle-cloud.md 1.4). */
struct hshello {
	uint16_t	mid;
	uint16_t	product_id;
	uint16_t	product_version;
	uint8_t		flags;
	bool		has_platform;	/* Photon era; the 2014 Core omits it */
	uint16_t	platform_id;	/* 0 Core, 6 Photon, 8 P1 */
	bool		has_payload;	/* the server's Hello may carry none */
};

/*
 * Build the Hello message (NON POST "h"): 13 bytes for the Core layout,
 * 15 with the platform id.  A server Hello (has_payload false) is 6 bytes.
 * Returns the length, or -1 when `cap` is too small.
 */
int	hshello_build(const struct hshello *h, uint8_t *out, size_t cap);

/*
 * Read a Hello out of a parsed message.  Returns 0, or -1 when it is not a
 * POST to "h" or its payload is cut short inside a field.
 */
int	hshello_parse(const struct hscoap *m, struct hshello *out);

/*
 * A message from the cloud as the device firmware reads it, which is not
 * how RFC 7252 does.  Device OS (messages.cpp Messages::decodeType) looks
 * at the 4-byte header, the token length and the byte at 5 + TKL (the
 * first Uri-Path byte behind a 1-byte option header), and nothing else;
 * the 2014 Core library reads the same fields.  Every message the cloud
 * sends, whatever it decodes to, proves the session alive: Device OS calls
 * pinger.message_received() before it decodes (protocol.cpp
 * handle_received_message), the Core library clears expecting_ping_ack.
 * So spark-server's PingAck `61 00 <mid> 00` (an empty ACK with a 1-byte
 * token, which libcoap rejects as malformed) is an answer to a ping.
 */
enum hspeek_kind {
	HSPEEK_SHORT,		/* under 4 bytes: decodeType's ERROR */
	HSPEEK_HELLO,		/* code POST, first path byte 'h' */
	HSPEEK_PING,		/* code 0.00, CON */
	HSPEEK_EMPTY_ACK,	/* code 0.00, any other type */
	HSPEEK_OTHER		/* anything else (handled or dropped) */
};

struct hspeek {
	enum hspeek_kind kind;
	uint8_t		 type;		/* header bits, as read */
	uint8_t		 code;
	uint16_t	 mid;
	uint8_t		 token_len;	/* TKL as sent, 0..15 */
	bool		 rfc7252;	/* libcoap's parser accepts it too */
};

/*
 * Read a decrypted message from the cloud the firmware's way.  Returns 0,
 * or -1 for an empty message (the firmware skips those unread).  Never
 * rejects anything the firmware takes.
 */
int	hscoap_peek(const uint8_t *buf, size_t len, struct hspeek *out);

/* "Hello", "ping", "empty ACK", ... for people. */
const char	*hspeek_kind_name(enum hspeek_kind k);

/* Is this an empty CON (a ping) / an empty ACK for mid (its answer)? */
bool	hscoap_is_ping(const struct hscoap *m);
bool	hscoap_is_ack_for(const struct hscoap *m, uint16_t mid);

#endif /* HSFRAME_H */
