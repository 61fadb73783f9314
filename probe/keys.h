/*
 * keys.h - Particle device and server keys: loading them from files (DER or
 * PEM, PKCS#1, PKCS#8 or SubjectPublicKeyInfo), checking a device's private
 * key the way the firmware reads its 612-byte slot, and decoding or writing
 * the server-key region (key, 0xFF fill, address TLV at +384, port at +450)
 * as particle-cli `keys server` does.  Facts: particle-cloud.md section 2.
 *
 * Every error message names the file it is about and never contains key
 * bytes: nothing in this module prints, logs or returns key material other
 * than as an EVP_PKEY or the public DER the device itself sends.
 */
#ifndef KEYS_H
#define KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "hsframe.h"

#define KEYS_FILE_MAX		65536	/* no key file is larger */
#define KEYS_DEVICE_SLOT	612	/* MAX_DEVICE_PRIVATE_KEY_LENGTH */
#define KEYS_DEVICE_BITS	1024
#define KEYS_SERVER_BITS	2048
#define KEYS_SERVER_DER_LEN	294
#define KEYS_REGION_LEN		512	/* particle-cli's tcpServerKey size */
#define KEYS_ADDR_OFFSET	384
#define KEYS_PORT_OFFSET	450
#define KEYS_DOMAIN_MAX		63	/* ServerAddress.domain[64] with NUL */
#define KEYS_DEFAULT_HOST	"device.spark.io"
#define KEYS_DEFAULT_PORT	5683
#define KEYS_ERR_MAX		320

/* The device's key-error flags (system_cloud.h ParticleKeyErrorFlag). */
#define KEYS_F_SERVER_KEY_BLANK		0x01
#define KEYS_F_SERVER_KEY_CORRUPTED	0x02
#define KEYS_F_SERVER_ADDRESS_BLANK	0x04
#define KEYS_F_SERVER_ADDRESS_CORRUPTED	0x08
#define KEYS_F_PUBLIC_DEVICE_KEY_BLANK	0x10
#define KEYS_F_PUBLIC_DEVICE_KEY_CORRUPTED 0x20
#define KEYS_F_PRIVATE_DEVICE_KEY_BLANK	0x40
#define KEYS_F_PRIVATE_DEVICE_KEY_CORRUPTED 0x80

/*
 * Read a whole file of at most KEYS_FILE_MAX bytes into a new buffer the
 * caller frees with keys_free_buf() (which wipes it first).  Returns 0, or
 * -1 with a message naming `path` in err.
 */
int	keys_read_file(const char *path, uint8_t **buf, size_t *len,
	    char *err, size_t errlen);
void	keys_free_buf(uint8_t *buf, size_t len);

/*
 * Load an RSA private key (PEM or DER, PKCS#1 or PKCS#8; trailing 0xFF or
 * 0x00 fill allowed).  `bits` is the size required, or 0 for any.  Returns
 * a key the caller frees with EVP_PKEY_free(), or NULL with err set.
 */
EVP_PKEY	*keys_load_private(const char *path, int bits, char *err,
		    size_t errlen);

/*
 * Load an RSA public key: PEM or DER, SubjectPublicKeyInfo or PKCS#1, a
 * server-key region file (DER plus fill and address), or the public half of
 * a private key file.  `bits` as above.  Caller frees; NULL with err set.
 */
EVP_PKEY	*keys_load_public(const char *path, int bits, char *err,
		    size_t errlen);

/*
 * The 162-byte public DER the device derives and sends in step 2.  Fails
 * (-1) unless the key is RSA-1024 with e = 65537, the only shape the
 * firmware's fixed-offset derivation produces correctly.
 */
int	keys_device_pub_der(EVP_PKEY *key, uint8_t out[HS_DEVICE_PUB_LEN]);

/* The outcome of checking a device private key as the device stores it. */
struct keys_device {
	EVP_PKEY	*key;		/* NULL when blank or corrupted; owned */
	unsigned	 flags;		/* KEYS_F_PRIVATE_DEVICE_KEY_* */
	bool		 was_pem;	/* the file was PEM, the slot holds DER */
	size_t		 der_len;	/* length of the DER in the slot */
	uint8_t		 pub_der[HS_DEVICE_PUB_LEN];	/* valid if key */
	char		 problem[KEYS_ERR_MAX];	/* why flags are set */
};

/*
 * Check device private-key bytes (a slot dump, DER or PEM).  Returns 0 and
 * fills *out even when the key is blank or corrupted (that is a finding,
 * not an error); pair with keys_device_free().
 */
int	keys_device_decode(const uint8_t *buf, size_t len,
	    struct keys_device *out);
void	keys_device_free(struct keys_device *d);

/* The decoded server-key region: what the device will use. */
struct keys_region {
	EVP_PKEY	*key;		/* NULL when blank or corrupted; owned */
	unsigned	 flags;		/* KEYS_F_SERVER_* */
	int		 addr_type;	/* 0 IPv4, 1 domain, -1 none valid */
	char		 host[KEYS_DOMAIN_MAX + 1];	/* effective host */
	uint16_t	 port;		/* effective port */
	bool		 host_default;	/* firmware default host in use */
	bool		 port_default;	/* 0 or 0xffff: 5683 */
	bool		 short_file;	/* no address bytes in the input */
	char		 problem[KEYS_ERR_MAX];
};

/*
 * Decode a region dump.  A bare 294-byte DER key is accepted; its address
 * reads as blank.  Returns 0 (findings in flags), pair with
 * keys_region_free().
 */
int	keys_region_decode(const uint8_t *buf, size_t len,
	    struct keys_region *out);
void	keys_region_free(struct keys_region *r);

/*
 * Write a region as particle-cli `keys server` does: the DER, 0xFF up to
 * `outlen`, the address TLV at 384 (a host matching ^[0-9.]*$ is IPv4,
 * type 0 length 4; else a domain, type 1), and the port big-endian at 450
 * unless port is 0 (left 0xFF, meaning 5683).  Returns 0, or -1 with err
 * (bad dotted quad, domain over 63 bytes, DER too long, outlen < 452).
 */
int	keys_region_encode(const uint8_t *der, size_t der_len,
	    const char *host, uint16_t port, uint8_t *out, size_t outlen,
	    char *err, size_t errlen);

/* SubjectPublicKeyInfo DER of a key into a new buffer (OPENSSL_free). */
int	keys_spki_der(EVP_PKEY *key, uint8_t **der, size_t *len);

/* 24 hex digits to 12 bytes; false when not exactly that. */
bool	keys_parse_device_id(const char *hex, uint8_t id[HS_DEVICE_ID_LEN]);
void	keys_format_device_id(const uint8_t id[HS_DEVICE_ID_LEN],
	    char hex[2 * HS_DEVICE_ID_LEN + 1]);

/*
 * The device id stored with a key file: a name starting with 24 hex digits
 * (<id>.pem, <id>.der, <id>_rsa_new.der) or a sidecar "<path>.id" holding
 * them.  Returns true and fills hex on success.
 */
bool	keys_guess_device_id(const char *path,
	    char hex[2 * HS_DEVICE_ID_LEN + 1]);

#endif /* KEYS_H */
