/*
 * keys.c - loading and checking Particle device and server keys with
 * OpenSSL 3, and the server-key region layout (particle-cloud.md section
 * 2; particle-cli src/cmd/keys.js _formatPublicKey, _createAddressBuffer).
 * The DER framing and region bytes are read through cursor.h; OpenSSL only
 * sees DER whose outer length we have already checked against the input.
 * Messages name the file and the problem, never key bytes.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "cursor.h"
#include "hex.h"
#include "keys.h"

int
keys_read_file(const char *path, uint8_t **buf, size_t *len, char *err,
    size_t errlen)
{
	struct stat st;
	FILE *f;
	uint8_t *b;
	size_t n;

	*buf = NULL;
	*len = 0;
	if ((f = fopen(path, "rb")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		fclose(f);
		return -1;
	}
	if (st.st_size > KEYS_FILE_MAX) {
		snprintf(err, errlen, "%s: %lld bytes is too big for a key file",
		    path, (long long)st.st_size);
		fclose(f);
		return -1;
	}
	if (st.st_size == 0) {
		snprintf(err, errlen, "%s: empty file", path);
		fclose(f);
		return -1;
	}
	if ((b = malloc((size_t)st.st_size)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		fclose(f);
		return -1;
	}
	n = fread(b, 1, (size_t)st.st_size, f);
	fclose(f);
	if (n != (size_t)st.st_size) {
		snprintf(err, errlen, "%s: short read", path);
		keys_free_buf(b, (size_t)st.st_size);
		return -1;
	}
	*buf = b;
	*len = n;
	return 0;
}

void
keys_free_buf(uint8_t *buf, size_t len)
{
	if (buf == NULL)
		return;
	OPENSSL_cleanse(buf, len);
	free(buf);
}

/*
 * Length of the DER SEQUENCE at the front of buf (header included), or 0
 * when it is not one or claims more bytes than there are.
 */
static size_t
der_seq_len(const uint8_t *buf, size_t len)
{
	struct cursor c = cur_init(buf, len);
	uint8_t l;
	size_t n;

	if (cur_u8(&c) != 0x30)
		return 0;
	l = cur_u8(&c);
	if (l < 0x80)
		n = l;
	else if (l == 0x81)
		n = cur_u8(&c);
	else if (l == 0x82)
		n = cur_be16(&c);
	else
		return 0;
	if (c.bad || n > cur_left(&c))
		return 0;
	return len - cur_left(&c) + n;
}

/* Every byte of buf is erased flash (0xFF) or zero fill. */
static bool
all_fill(const uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != 0xff && buf[i] != 0x00)
			return false;
	return true;
}

static bool
looks_pem(const uint8_t *buf, size_t len)
{
	static const char tag[] = "-----BEGIN ";
	size_t i;

	for (i = 0; i + sizeof(tag) - 1 <= len; i++)
		if (memcmp(buf + i, tag, sizeof(tag) - 1) == 0)
			return true;
	return false;
}

/*
 * The DER inside a file's bytes: PEM is decoded, DER is copied.  *name is
 * the PEM label ("" for DER).  Caller frees *der with OPENSSL_free after
 * cleansing.  Returns 0, or -1 with `why`.
 */
static int
to_der(const uint8_t *buf, size_t len, uint8_t **der, size_t *der_len,
    char *name, size_t namelen, char *why, size_t whylen)
{
	EVP_CIPHER_INFO ci;
	BIO *bio;
	char *pname = NULL, *header = NULL;
	unsigned char *data = NULL;
	long dlen = 0;
	int rc = -1;

	*der = NULL;
	*der_len = 0;
	name[0] = '\0';
	if (!looks_pem(buf, len)) {
		if ((*der = OPENSSL_malloc(len)) == NULL) {
			snprintf(why, whylen, "out of memory");
			return -1;
		}
		memcpy(*der, buf, len);
		*der_len = len;
		return 0;
	}
	if ((bio = BIO_new_mem_buf(buf, (int)len)) == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	if (!PEM_read_bio(bio, &pname, &header, &data, &dlen)) {
		snprintf(why, whylen, "not a valid PEM file (bad base64 or "
		    "missing END line)");
		goto done;
	}
	snprintf(name, namelen, "%s", pname);
	if (strcmp(pname, "ENCRYPTED PRIVATE KEY") == 0 ||
	    (PEM_get_EVP_CIPHER_INFO(header, &ci) && ci.cipher != NULL)) {
		snprintf(why, whylen, "the key is encrypted with a passphrase; "
		    "devices store it in the clear");
		goto done;
	}
	if (dlen <= 0) {
		snprintf(why, whylen, "empty PEM block");
		goto done;
	}
	*der = data;
	*der_len = (size_t)dlen;
	data = NULL;
	rc = 0;
done:
	if (data != NULL) {
		OPENSSL_cleanse(data, (size_t)(dlen > 0 ? dlen : 0));
		OPENSSL_free(data);
	}
	OPENSSL_free(pname);
	OPENSSL_free(header);
	BIO_free(bio);
	ERR_clear_error();
	return rc;
}

static void
der_free(uint8_t *der, size_t len)
{
	if (der == NULL)
		return;
	OPENSSL_cleanse(der, len);
	OPENSSL_free(der);
}

/* An RSA private key from exactly n bytes of DER, or NULL. */
static EVP_PKEY *
d2i_private(const uint8_t *der, size_t n)
{
	const unsigned char *p = der;
	EVP_PKEY *k;

	k = d2i_AutoPrivateKey(NULL, &p, (long)n);
	if (k != NULL && (size_t)(p - der) != n) {
		EVP_PKEY_free(k);
		k = NULL;
	}
	ERR_clear_error();
	return k;
}

/* An RSA public key from exactly n bytes: SPKI, then PKCS#1. */
static EVP_PKEY *
d2i_public(const uint8_t *der, size_t n)
{
	const unsigned char *p = der;
	EVP_PKEY *k;

	k = d2i_PUBKEY(NULL, &p, (long)n);
	if (k == NULL || (size_t)(p - der) != n) {
		EVP_PKEY_free(k);
		p = der;
		k = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, (long)n);
		if (k != NULL && (size_t)(p - der) != n) {
			EVP_PKEY_free(k);
			k = NULL;
		}
	}
	ERR_clear_error();
	return k;
}

static bool
exponent_is_65537(EVP_PKEY *k)
{
	BIGNUM *e = NULL;
	bool ok;

	if (!EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_E, &e)) {
		ERR_clear_error();
		return false;
	}
	ok = BN_is_word(e, 65537);
	BN_free(e);
	return ok;
}

/* Check the key is RSA of `bits` (0: any); else a reason in why. */
static int
check_rsa(EVP_PKEY *k, int bits, char *why, size_t whylen)
{
	if (!EVP_PKEY_is_a(k, "RSA")) {
		snprintf(why, whylen, "not an RSA key (%s)",
		    EVP_PKEY_get0_type_name(k) != NULL ?
		    EVP_PKEY_get0_type_name(k) : "unknown type");
		return -1;
	}
	if (bits != 0 && EVP_PKEY_get_bits(k) != bits) {
		snprintf(why, whylen, "RSA-%d, but RSA-%d is needed here",
		    EVP_PKEY_get_bits(k), bits);
		return -1;
	}
	return 0;
}

/*
 * Split the DER at the front of a file's bytes from its fill.  Returns the
 * DER length, or 0 with a reason.
 */
static size_t
der_with_fill(const uint8_t *der, size_t len, char *why, size_t whylen)
{
	size_t n = der_seq_len(der, len);

	if (n == 0) {
		snprintf(why, whylen, "not a DER key (truncated, or not a key "
		    "file)");
		return 0;
	}
	if (!all_fill(der + n, len - n)) {
		snprintf(why, whylen, "%zu unexpected bytes after the key",
		    len - n);
		return 0;
	}
	return n;
}

/*
 * Both key file loaders: read `path`, unwrap PEM, refuse blank flash, then
 * decode and check the size.  A private key file holds the DER and fill
 * only.  A public one may be a server key region, which carries an address
 * after the fill, so only its leading DER is decoded; a private key file
 * gives its public half.  Returns the key, or NULL with "path: reason".
 */
static EVP_PKEY *
load_key(const char *path, int bits, bool is_private, char *err, size_t errlen)
{
	uint8_t *buf = NULL, *der = NULL;
	size_t len = 0, dlen = 0, n;
	char name[64], why[200];
	EVP_PKEY *k = NULL;

	if (keys_read_file(path, &buf, &len, err, errlen) != 0)
		return NULL;
	if (to_der(buf, len, &der, &dlen, name, sizeof(name), why,
	    sizeof(why)) != 0)
		goto bad;
	if (all_fill(der, dlen)) {
		snprintf(why, sizeof(why), "blank (all 0xFF or 0x00): no key");
		goto bad;
	}
	/* Fill after the DER: fine in a region, not in a private key file. */
	if ((n = der_with_fill(der, is_private ? dlen : der_seq_len(der, dlen),
	    why, sizeof(why))) == 0)
		goto bad;
	k = is_private ? d2i_private(der, n) : d2i_public(der, n);
	if (k == NULL && !is_private)
		k = d2i_private(der, n);
	if (k == NULL) {
		snprintf(why, sizeof(why), "%s%s%s%s",
		    is_private ? "not a private key" : "not an RSA public key",
		    name[0] != '\0' ? " (PEM label \"" : "",
		    name, name[0] != '\0' ? "\")" : "");
		goto bad;
	}
	if (check_rsa(k, bits, why, sizeof(why)) != 0)
		goto bad;
	der_free(der, dlen);
	keys_free_buf(buf, len);
	return k;
bad:
	snprintf(err, errlen, "%s: %s", path, why);
	EVP_PKEY_free(k);
	der_free(der, dlen);
	keys_free_buf(buf, len);
	return NULL;
}

EVP_PKEY *
keys_load_private(const char *path, int bits, char *err, size_t errlen)
{
	return load_key(path, bits, true, err, errlen);
}

EVP_PKEY *
keys_load_public(const char *path, int bits, char *err, size_t errlen)
{
	return load_key(path, bits, false, err, errlen);
}

int
keys_spki_der(EVP_PKEY *key, uint8_t **der, size_t *len)
{
	unsigned char *p = NULL;
	int n;

	*der = NULL;
	*len = 0;
	if ((n = i2d_PUBKEY(key, &p)) <= 0) {
		ERR_clear_error();
		return -1;
	}
	*der = p;
	*len = (size_t)n;
	return 0;
}

int
keys_device_pub_der(EVP_PKEY *key, uint8_t out[HS_DEVICE_PUB_LEN])
{
	static const uint8_t tail[] = { 0x02, 0x03, 0x01, 0x00, 0x01 };
	uint8_t *der;
	size_t n;
	int rc = -1;

	if (!EVP_PKEY_is_a(key, "RSA") ||
	    EVP_PKEY_get_bits(key) != KEYS_DEVICE_BITS ||
	    !exponent_is_65537(key) || keys_spki_der(key, &der, &n) != 0)
		return -1;
	/*
	 * handshake.cpp builds this from a fixed header, the modulus and a
	 * fixed e = 65537 tail; OpenSSL's encoding must agree byte for byte.
	 */
	if (n == HS_DEVICE_PUB_LEN &&
	    memcmp(der, hs_device_pub_header, sizeof(hs_device_pub_header))
	    == 0 && memcmp(der + n - sizeof(tail), tail, sizeof(tail)) == 0) {
		memcpy(out, der, HS_DEVICE_PUB_LEN);
		rc = 0;
	}
	OPENSSL_free(der);
	return rc;
}

int
keys_device_decode(const uint8_t *buf, size_t len, struct keys_device *out)
{
	uint8_t *der = NULL;
	size_t dlen = 0, n;
	char name[64];

	memset(out, 0, sizeof(*out));
	if (buf == NULL || len == 0 || all_fill(buf, len)) {
		out->flags |= KEYS_F_PRIVATE_DEVICE_KEY_BLANK;
		snprintf(out->problem, sizeof(out->problem),
		    "blank: the slot is erased (all 0xFF or 0x00)");
		return 0;
	}
	out->was_pem = looks_pem(buf, len);
	if (to_der(buf, len, &der, &dlen, name, sizeof(name), out->problem,
	    sizeof(out->problem)) != 0)
		goto corrupt;
	if ((n = der_with_fill(der, dlen, out->problem,
	    sizeof(out->problem))) == 0)
		goto corrupt;
	out->der_len = n;
	if ((out->key = d2i_private(der, n)) == NULL) {
		snprintf(out->problem, sizeof(out->problem),
		    "not a DER private key (truncated or damaged)");
		goto corrupt;
	}
	if (check_rsa(out->key, KEYS_DEVICE_BITS, out->problem,
	    sizeof(out->problem)) != 0)
		goto corrupt;
	/*
	 * The firmware reads PKCS#1 RSAPrivateKey with fixed offsets: the
	 * modulus at byte 10 or 11 (handshake.cpp).  PKCS#8 would put an
	 * AlgorithmIdentifier there.  A PEM file is converted on its way to
	 * the slot, so only DER (a slot dump, or what would be flashed as
	 * is) is held to that layout and to the slot size.
	 */
	if (out->was_pem)
		goto layout_ok;
	if (n > 7 && der[7] == 0x30) {
		snprintf(out->problem, sizeof(out->problem), "PKCS#8, not the "
		    "PKCS#1 RSAPrivateKey the firmware reads (OpenSSL 3 writes "
		    "PKCS#8 unless given -traditional)");
		goto corrupt;
	}
	if (n < 11 || der[7] != 0x02 || der[8] != 0x81 ||
	    !((der[9] == 0x81 && der[10] == 0x00) || der[9] == 0x80)) {
		snprintf(out->problem, sizeof(out->problem), "the modulus is "
		    "not where the firmware reads it (byte 10 or 11)");
		goto corrupt;
	}
	if (n > KEYS_DEVICE_SLOT) {
		snprintf(out->problem, sizeof(out->problem), "the DER key is "
		    "%zu bytes; the device slot holds %d", n, KEYS_DEVICE_SLOT);
		goto corrupt;
	}
layout_ok:
	if (keys_device_pub_der(out->key, out->pub_der) != 0) {
		snprintf(out->problem, sizeof(out->problem), "public exponent "
		    "is not 65537: the firmware would derive a wrong public key");
		goto corrupt;
	}
	der_free(der, dlen);
	return 0;
corrupt:
	out->flags |= KEYS_F_PRIVATE_DEVICE_KEY_CORRUPTED;
	EVP_PKEY_free(out->key);
	out->key = NULL;
	der_free(der, dlen);
	return 0;
}

void
keys_device_free(struct keys_device *d)
{
	if (d == NULL)
		return;
	EVP_PKEY_free(d->key);
	d->key = NULL;
}

static bool
domain_char(uint8_t ch)
{
	return isalnum(ch) || ch == '.' || ch == '-' || ch == '_';
}

static void
region_address(struct cursor *c, struct keys_region *out)
{
	const uint8_t *v;
	uint8_t type, alen;
	size_t i;

	type = cur_u8(c);
	alen = cur_u8(c);
	if (c->bad) {
		out->short_file = true;
		out->flags |= KEYS_F_SERVER_ADDRESS_BLANK;
		return;
	}
	/* hal/shared/parse_server_address.h: only types 0 and 1 exist. */
	if (type != 0 && type != 1) {
		out->flags |= KEYS_F_SERVER_ADDRESS_BLANK;
		return;
	}
	if (type == 0 && alen != 4) {
		out->flags |= KEYS_F_SERVER_ADDRESS_CORRUPTED;
		snprintf(out->problem, sizeof(out->problem), "IPv4 address "
		    "with length %u (must be 4)", alen);
		return;
	}
	if (type == 1 && (alen == 0 || alen > KEYS_DOMAIN_MAX)) {
		out->flags |= KEYS_F_SERVER_ADDRESS_CORRUPTED;
		snprintf(out->problem, sizeof(out->problem), "domain length "
		    "%u (must be 1..%d)", alen, KEYS_DOMAIN_MAX);
		return;
	}
	if (!cur_take(c, alen, &v)) {
		out->flags |= KEYS_F_SERVER_ADDRESS_CORRUPTED;
		snprintf(out->problem, sizeof(out->problem), "address runs "
		    "past the end of the region");
		return;
	}
	if (type == 0) {
		snprintf(out->host, sizeof(out->host), "%u.%u.%u.%u", v[0],
		    v[1], v[2], v[3]);
	} else {
		for (i = 0; i < alen; i++) {
			if (!domain_char(v[i])) {
				out->flags |= KEYS_F_SERVER_ADDRESS_CORRUPTED;
				snprintf(out->problem, sizeof(out->problem),
				    "domain has a byte 0x%02x that no host "
				    "name has", v[i]);
				return;
			}
			out->host[i] = (char)v[i];
		}
		out->host[alen] = '\0';
	}
	out->addr_type = type;
	out->host_default = false;
}

int
keys_region_decode(const uint8_t *buf, size_t len, struct keys_region *out)
{
	struct cursor c = cur_init(buf, len);
	struct cursor a;
	size_t n, keyarea = len < KEYS_ADDR_OFFSET ? len : KEYS_ADDR_OFFSET;
	uint16_t port;

	memset(out, 0, sizeof(*out));
	out->addr_type = -1;
	snprintf(out->host, sizeof(out->host), "%s", KEYS_DEFAULT_HOST);
	out->host_default = true;
	out->port = KEYS_DEFAULT_PORT;
	out->port_default = true;

	if (len == 0 || buf[0] == 0xff) {
		/* The firmware then quietly uses its built-in backup key. */
		out->flags |= KEYS_F_SERVER_KEY_BLANK;
	} else if ((n = der_seq_len(buf, keyarea)) == 0 ||
	    (out->key = d2i_public(buf, n)) == NULL) {
		out->flags |= KEYS_F_SERVER_KEY_CORRUPTED;
		snprintf(out->problem, sizeof(out->problem), "the server key "
		    "is not a DER RSA public key (truncated or damaged)");
	} else if (check_rsa(out->key, KEYS_SERVER_BITS, out->problem,
	    sizeof(out->problem)) != 0 || !exponent_is_65537(out->key)) {
		/* The firmware takes the modulus at 33 and assumes e=65537. */
		if (out->problem[0] == '\0')
			snprintf(out->problem, sizeof(out->problem), "public "
			    "exponent is not 65537");
		out->flags |= KEYS_F_SERVER_KEY_CORRUPTED;
		EVP_PKEY_free(out->key);
		out->key = NULL;
	} else if (n != KEYS_SERVER_DER_LEN) {
		out->flags |= KEYS_F_SERVER_KEY_CORRUPTED;
		snprintf(out->problem, sizeof(out->problem), "server key DER "
		    "is %zu bytes, the firmware expects %d", n,
		    KEYS_SERVER_DER_LEN);
		EVP_PKEY_free(out->key);
		out->key = NULL;
	}

	if (!cur_skip(&c, KEYS_ADDR_OFFSET)) {
		out->short_file = true;
		out->flags |= KEYS_F_SERVER_ADDRESS_BLANK;
		return 0;
	}
	a = cur_sub(&c, cur_left(&c) < KEYS_PORT_OFFSET - KEYS_ADDR_OFFSET ?
	    cur_left(&c) : KEYS_PORT_OFFSET - KEYS_ADDR_OFFSET);
	region_address(&a, out);
	port = cur_be16(&c);
	if (!c.bad && port != 0 && port != 0xffff) {
		out->port = port;
		out->port_default = false;
	}
	return 0;
}

void
keys_region_free(struct keys_region *r)
{
	if (r == NULL)
		return;
	EVP_PKEY_free(r->key);
	r->key = NULL;
}

/* particle-cli: `/^[0-9.]*$/` decides IPv4 versus domain. */
static bool
host_is_ipv4_shaped(const char *h)
{
	for (; *h != '\0'; h++)
		if (!isdigit((unsigned char)*h) && *h != '.')
			return false;
	return true;
}

static int
parse_quad(const char *h, uint8_t q[4])
{
	unsigned long v;
	char *end;
	int i;

	for (i = 0; i < 4; i++) {
		if (!isdigit((unsigned char)*h))
			return -1;
		v = strtoul(h, &end, 10);
		if (v > 255 || end - h > 3)
			return -1;
		q[i] = (uint8_t)v;
		h = end;
		if (i < 3 && *h++ != '.')
			return -1;
	}
	return *h == '\0' ? 0 : -1;
}

int
keys_region_encode(const uint8_t *der, size_t der_len, const char *host,
    uint16_t port, uint8_t *out, size_t outlen, char *err, size_t errlen)
{
	size_t hl = strlen(host), i;
	uint8_t q[4];

	if (outlen < KEYS_PORT_OFFSET + 2) {
		snprintf(err, errlen, "region of %zu bytes has no room for the "
		    "port at %d", outlen, KEYS_PORT_OFFSET);
		return -1;
	}
	if (der_len > KEYS_ADDR_OFFSET) {
		snprintf(err, errlen, "key DER of %zu bytes runs into the "
		    "address at %d", der_len, KEYS_ADDR_OFFSET);
		return -1;
	}
	if (hl == 0) {
		snprintf(err, errlen, "empty host");
		return -1;
	}
	memcpy(out, der, der_len);
	memset(out + der_len, 0xff, outlen - der_len);
	if (host_is_ipv4_shaped(host)) {
		if (parse_quad(host, q) != 0) {
			snprintf(err, errlen, "host '%s' is not a dotted-quad "
			    "IPv4 address", host);
			return -1;
		}
		out[KEYS_ADDR_OFFSET] = 0;
		out[KEYS_ADDR_OFFSET + 1] = 4;
		memcpy(out + KEYS_ADDR_OFFSET + 2, q, 4);
	} else {
		if (hl > KEYS_DOMAIN_MAX) {
			snprintf(err, errlen, "host name of %zu bytes; the device "
			    "holds at most %d", hl, KEYS_DOMAIN_MAX);
			return -1;
		}
		for (i = 0; i < hl; i++) {
			if (!domain_char((uint8_t)host[i])) {
				snprintf(err, errlen, "host name '%s' has a "
				    "character no host name has", host);
				return -1;
			}
		}
		out[KEYS_ADDR_OFFSET] = 1;
		out[KEYS_ADDR_OFFSET + 1] = (uint8_t)hl;
		memcpy(out + KEYS_ADDR_OFFSET + 2, host, hl);
	}
	/* particle-cli writes the port only when one is given. */
	if (port != 0) {
		out[KEYS_PORT_OFFSET] = (uint8_t)(port >> 8);
		out[KEYS_PORT_OFFSET + 1] = (uint8_t)port;
	}
	return 0;
}

bool
keys_parse_device_id(const char *hex, uint8_t id[HS_DEVICE_ID_LEN])
{
	return hex_decode(hex, HS_DEVICE_ID_LEN, id);
}

void
keys_format_device_id(const uint8_t id[HS_DEVICE_ID_LEN],
    char hex[2 * HS_DEVICE_ID_LEN + 1])
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < HS_DEVICE_ID_LEN; i++) {
		hex[2 * i] = digits[id[i] >> 4];
		hex[2 * i + 1] = digits[id[i] & 15];
	}
	hex[2 * HS_DEVICE_ID_LEN] = '\0';
}

bool
keys_guess_device_id(const char *path, char hex[2 * HS_DEVICE_ID_LEN + 1])
{
	uint8_t id[HS_DEVICE_ID_LEN];
	const char *base = strrchr(path, '/');
	char side[4096], line[64];
	FILE *f;
	size_t n;

	base = base != NULL ? base + 1 : path;
	if (strlen(base) >= 2 * HS_DEVICE_ID_LEN &&
	    strchr("._-", base[2 * HS_DEVICE_ID_LEN]) != NULL) {
		memcpy(line, base, 2 * HS_DEVICE_ID_LEN);
		line[2 * HS_DEVICE_ID_LEN] = '\0';
		if (keys_parse_device_id(line, id)) {
			keys_format_device_id(id, hex);
			return true;
		}
	}
	if ((size_t)snprintf(side, sizeof(side), "%s.id", path) >= sizeof(side))
		return false;
	if ((f = fopen(side, "r")) == NULL)
		return false;
	n = fread(line, 1, sizeof(line) - 1, f);
	fclose(f);
	line[n] = '\0';
	line[strcspn(line, " \t\r\n")] = '\0';
	if (!keys_parse_device_id(line, id))
		return false;
	keys_format_device_id(id, hex);
	return true;
}
