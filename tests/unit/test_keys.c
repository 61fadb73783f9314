/*
 * test_keys.c - device and server keys as the firmware stores them, with
 * keys generated here by OpenSSL: PKCS#1 and PKCS#8, DER and PEM, slot
 * padding, truncated, wrong type and wrong size keys; the server key region
 * byte by byte against the layout in particle-cloud.md 2.3 (IPv4 and
 * domain); and the handshake crypto both sides share (raw signature,
 * session decrypt, chained AES records).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "handshake.h"
#include "hsframe.h"
#include "keys.h"
#include "test.h"

static char tmpdir[] = "/tmp/test_keys.XXXXXX";

static EVP_PKEY *
rsa_gen(unsigned bits, unsigned long e)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	EVP_PKEY *k = NULL;
	BIGNUM *bn = BN_new();

	BN_set_word(bn, e);
	if (ctx == NULL || EVP_PKEY_keygen_init(ctx) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, (int)bits) <= 0 ||
	    EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, bn) <= 0 ||
	    EVP_PKEY_keygen(ctx, &k) <= 0)
		k = NULL;
	BN_free(bn);
	EVP_PKEY_CTX_free(ctx);
	return k;
}

/* The whole output of a BIO-writing call, as bytes. */
static size_t
bio_bytes(BIO *b, uint8_t *out, size_t cap)
{
	char *p;
	long n = BIO_get_mem_data(b, &p);

	if (n < 0 || (size_t)n > cap)
		return 0;
	memcpy(out, p, (size_t)n);
	return (size_t)n;
}

static size_t
pkcs1_der(EVP_PKEY *k, uint8_t *out, size_t cap)
{
	unsigned char *p = NULL;
	int n = i2d_PrivateKey(k, &p);	/* RSA: RSAPrivateKey */

	if (n <= 0 || (size_t)n > cap)
		return 0;
	memcpy(out, p, (size_t)n);
	OPENSSL_free(p);
	return (size_t)n;
}

static size_t
pkcs8_der(EVP_PKEY *k, uint8_t *out, size_t cap)
{
	BIO *b = BIO_new(BIO_s_mem());
	size_t n = 0;

	if (i2d_PKCS8PrivateKey_bio(b, k, NULL, NULL, 0, NULL, NULL))
		n = bio_bytes(b, out, cap);
	BIO_free(b);
	return n;
}

static size_t
pem_private(EVP_PKEY *k, int traditional, uint8_t *out, size_t cap)
{
	BIO *b = BIO_new(BIO_s_mem());
	size_t n = 0;
	int ok = traditional ?
	    PEM_write_bio_PrivateKey_traditional(b, k, NULL, NULL, 0, NULL,
	    NULL) : PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL);

	if (ok)
		n = bio_bytes(b, out, cap);
	BIO_free(b);
	return n;
}

static size_t
spki_der(EVP_PKEY *k, uint8_t *out, size_t cap)
{
	unsigned char *p = NULL;
	int n = i2d_PUBKEY(k, &p);

	if (n <= 0 || (size_t)n > cap)
		return 0;
	memcpy(out, p, (size_t)n);
	OPENSSL_free(p);
	return (size_t)n;
}

static const char *
write_file(const char *name, const void *buf, size_t n)
{
	static char path[8][256];
	static int slot;
	char *p = path[slot++ % 8];
	FILE *f;

	snprintf(p, 256, "%s/%s", tmpdir, name);
	f = fopen(p, "wb");
	if (f != NULL) {
		fwrite(buf, 1, n, f);
		fclose(f);
	}
	return p;
}

static void
test_device_slot(EVP_PKEY *dev, EVP_PKEY *server, EVP_PKEY *ec)
{
	uint8_t der[2048], slot[KEYS_DEVICE_SLOT], pub[512], buf[4096];
	struct keys_device d;
	size_t n, pn;

	n = pkcs1_der(dev, der, sizeof(der));
	test_cond("PKCS#1 DER written", n > 0 && n <= KEYS_DEVICE_SLOT);

	keys_device_decode(der, n, &d);
	expect_int("bare PKCS#1 DER: no flags", 0, d.flags);
	test_cond("bare DER: key loaded", d.key != NULL);
	expect_int("bare DER: length", n, d.der_len);
	pn = spki_der(dev, pub, sizeof(pub));
	expect_int("public DER is 162 bytes", HS_DEVICE_PUB_LEN, pn);
	expect_mem("derived public DER matches OpenSSL's", pub, d.pub_der,
	    HS_DEVICE_PUB_LEN);
	expect_mem("derived public DER has the firmware header",
	    hs_device_pub_header, d.pub_der, sizeof(hs_device_pub_header));
	keys_device_free(&d);

	/* The 612-byte slot as the CLI reads it: erased flash after the key. */
	memset(slot, 0xff, sizeof(slot));
	memcpy(slot, der, n);
	keys_device_decode(slot, sizeof(slot), &d);
	expect_int("0xFF-padded slot: no flags", 0, d.flags);
	keys_device_free(&d);
	memset(slot, 0x00, sizeof(slot));
	memcpy(slot, der, n);
	keys_device_decode(slot, sizeof(slot), &d);
	expect_int("0x00-padded slot: no flags", 0, d.flags);
	keys_device_free(&d);
	slot[sizeof(slot) - 1] = 0x42;
	keys_device_decode(slot, sizeof(slot), &d);
	expect_int("garbage after the key: corrupted",
	    KEYS_F_PRIVATE_DEVICE_KEY_CORRUPTED, d.flags);
	keys_device_free(&d);

	memset(slot, 0xff, sizeof(slot));
	keys_device_decode(slot, sizeof(slot), &d);
	expect_int("erased slot: blank", KEYS_F_PRIVATE_DEVICE_KEY_BLANK,
	    d.flags);
	memset(slot, 0x00, sizeof(slot));
	keys_device_decode(slot, sizeof(slot), &d);
	expect_int("zeroed slot: blank", KEYS_F_PRIVATE_DEVICE_KEY_BLANK,
	    d.flags);

	keys_device_decode(der, n / 2, &d);
	expect_int("truncated DER: corrupted",
	    KEYS_F_PRIVATE_DEVICE_KEY_CORRUPTED, d.flags);
	test_cond("truncated DER: no key", d.key == NULL);
	memcpy(buf, der, n);
	buf[40] ^= 0xff;	/* inside the modulus INTEGER header area */
	buf[8] ^= 0x40;		/* break the modulus length */
	keys_device_decode(buf, n, &d);
	expect_int("damaged DER: corrupted",
	    KEYS_F_PRIVATE_DEVICE_KEY_CORRUPTED, d.flags);

	n = pkcs8_der(dev, der, sizeof(der));
	test_cond("PKCS#8 DER written", n > 0);
	keys_device_decode(der, n, &d);
	expect_int("PKCS#8 in the slot: corrupted",
	    KEYS_F_PRIVATE_DEVICE_KEY_CORRUPTED, d.flags);
	test_cond("PKCS#8 problem says so", strstr(d.problem, "PKCS#8") !=
	    NULL);

	n = pem_private(dev, 1, buf, sizeof(buf));
	keys_device_decode(buf, n, &d);
	expect_int("PKCS#1 PEM: no flags", 0, d.flags);
	test_cond("PKCS#1 PEM: noted as PEM", d.was_pem);
	keys_device_free(&d);

	n = pkcs1_der(server, der, sizeof(der));
	keys_device_decode(der, n, &d);
	expect_int("RSA-2048 device key: corrupted",
	    KEYS_F_PRIVATE_DEVICE_KEY_CORRUPTED, d.flags);
	test_cond("wrong size named", strstr(d.problem, "RSA-2048") != NULL);

	n = pkcs8_der(ec, der, sizeof(der));
	keys_device_decode(der, n, &d);
	expect_int("EC device key: corrupted",
	    KEYS_F_PRIVATE_DEVICE_KEY_CORRUPTED, d.flags);
	test_cond("wrong type named", strstr(d.problem, "not an RSA key") !=
	    NULL);
}

static void
test_exponent(void)
{
	EVP_PKEY *k3 = rsa_gen(1024, 3);
	uint8_t der[2048], pub[HS_DEVICE_PUB_LEN];
	struct keys_device d;
	size_t n;

	test_cond("e=3 key generated", k3 != NULL);
	if (k3 == NULL)
		return;
	n = pkcs1_der(k3, der, sizeof(der));
	keys_device_decode(der, n, &d);
	expect_int("e=3: corrupted for the firmware",
	    KEYS_F_PRIVATE_DEVICE_KEY_CORRUPTED, d.flags);
	expect_int("e=3: no 162-byte public DER", -1,
	    keys_device_pub_der(k3, pub));
	EVP_PKEY_free(k3);
}

static void
test_load_files(EVP_PKEY *dev, EVP_PKEY *server, EVP_PKEY *ec)
{
	uint8_t buf[4096], der[4096];
	char err[KEYS_ERR_MAX];
	const char *p;
	EVP_PKEY *k;
	size_t n;

	n = pem_private(dev, 0, buf, sizeof(buf));
	p = write_file("dev8.pem", buf, n);
	k = keys_load_private(p, KEYS_DEVICE_BITS, err, sizeof(err));
	test_cond("PKCS#8 PEM loads", k != NULL);
	test_cond("and is the same key", k != NULL && EVP_PKEY_eq(k, dev) == 1);
	EVP_PKEY_free(k);

	n = pkcs1_der(dev, der, sizeof(der));
	p = write_file("dev1.der", der, n);
	k = keys_load_private(p, KEYS_DEVICE_BITS, err, sizeof(err));
	test_cond("PKCS#1 DER loads", k != NULL && EVP_PKEY_eq(k, dev) == 1);
	EVP_PKEY_free(k);

	p = write_file("trunc.der", der, n - 20);
	k = keys_load_private(p, KEYS_DEVICE_BITS, err, sizeof(err));
	test_cond("truncated DER refused", k == NULL);
	test_cond("error names the file", strstr(err, "trunc.der") != NULL);

	n = pem_private(dev, 0, buf, sizeof(buf));
	p = write_file("trunc.pem", buf, n / 2);
	k = keys_load_private(p, KEYS_DEVICE_BITS, err, sizeof(err));
	test_cond("truncated PEM refused", k == NULL);
	test_cond("PEM error names the file", strstr(err, "trunc.pem") != NULL);

	n = pem_private(server, 0, buf, sizeof(buf));
	p = write_file("big.pem", buf, n);
	k = keys_load_private(p, KEYS_DEVICE_BITS, err, sizeof(err));
	test_cond("RSA-2048 as a device key refused", k == NULL);
	test_cond("size named", strstr(err, "RSA-2048") != NULL &&
	    strstr(err, "big.pem") != NULL);

	n = pem_private(ec, 0, buf, sizeof(buf));
	p = write_file("ec.pem", buf, n);
	k = keys_load_private(p, 0, err, sizeof(err));
	test_cond("EC key refused", k == NULL);
	test_cond("type named", strstr(err, "not an RSA key") != NULL);

	/* Public keys: SPKI DER, SPKI PEM, PKCS#1 DER, a private key file. */
	n = spki_der(server, der, sizeof(der));
	expect_int("server SPKI is 294 bytes", KEYS_SERVER_DER_LEN, n);
	p = write_file("server.pub.der", der, n);
	k = keys_load_public(p, KEYS_SERVER_BITS, err, sizeof(err));
	test_cond("SPKI DER loads", k != NULL && EVP_PKEY_eq(k, server) == 1);
	EVP_PKEY_free(k);
	{
		BIO *b = BIO_new(BIO_s_mem());
		unsigned char *q = NULL;
		int m;

		PEM_write_bio_PUBKEY(b, server);
		n = bio_bytes(b, buf, sizeof(buf));
		BIO_free(b);
		p = write_file("server.pub.pem", buf, n);
		k = keys_load_public(p, KEYS_SERVER_BITS, err, sizeof(err));
		test_cond("SPKI PEM loads", k != NULL);
		EVP_PKEY_free(k);
		m = i2d_PublicKey(server, &q);
		p = write_file("server.pkcs1.der", q, (size_t)m);
		OPENSSL_free(q);
		k = keys_load_public(p, KEYS_SERVER_BITS, err, sizeof(err));
		test_cond("PKCS#1 public DER loads", k != NULL &&
		    EVP_PKEY_eq(k, server) == 1);
		EVP_PKEY_free(k);
	}
	n = pem_private(server, 1, buf, sizeof(buf));
	p = write_file("server.pem", buf, n);
	k = keys_load_public(p, KEYS_SERVER_BITS, err, sizeof(err));
	test_cond("public half of a private key file", k != NULL &&
	    EVP_PKEY_eq(k, server) == 1);
	EVP_PKEY_free(k);
	k = keys_load_public(p, KEYS_DEVICE_BITS, err, sizeof(err));
	test_cond("server key where a device key belongs: refused", k == NULL);

	memset(buf, 0xff, 512);
	p = write_file("blank.der", buf, 512);
	k = keys_load_public(p, 0, err, sizeof(err));
	test_cond("blank file refused", k == NULL &&
	    strstr(err, "blank") != NULL);
	p = write_file("empty.der", buf, 0);
	k = keys_load_public(p, 0, err, sizeof(err));
	test_cond("empty file refused", k == NULL &&
	    strstr(err, "empty.der") != NULL);
	k = keys_load_public("/nonexistent/x.der", 0, err, sizeof(err));
	test_cond("missing file named", k == NULL &&
	    strstr(err, "/nonexistent/x.der") != NULL);
}

static void
test_region(EVP_PKEY *server, EVP_PKEY *dev)
{
	uint8_t der[512], region[KEYS_REGION_LEN], want[KEYS_REGION_LEN];
	struct keys_region r;
	char err[KEYS_ERR_MAX];
	size_t n;

	n = spki_der(server, der, sizeof(der));

	/* IPv4 with a port: particle-cli's layout, built by hand here. */
	memset(want, 0xff, sizeof(want));
	memcpy(want, der, n);
	want[384] = 0x00; want[385] = 0x04;
	want[386] = 192; want[387] = 168; want[388] = 1; want[389] = 10;
	want[450] = 0x16; want[451] = 0x33;	/* 5683 */
	expect_int("IPv4 region encodes", 0, keys_region_encode(der, n,
	    "192.168.1.10", 5683, region, sizeof(region), err, sizeof(err)));
	expect_mem("IPv4 region byte by byte", want, region, sizeof(region));
	keys_region_decode(region, sizeof(region), &r);
	expect_int("IPv4 region: no flags", 0, r.flags);
	expect_str("IPv4 host", "192.168.1.10", r.host);
	expect_int("IPv4 port", 5683, r.port);
	test_cond("server key decoded", r.key != NULL &&
	    EVP_PKEY_eq(r.key, server) == 1);
	keys_region_free(&r);

	/* A domain and no port: the port bytes stay 0xFF (means 5683). */
	memset(want, 0xff, sizeof(want));
	memcpy(want, der, n);
	want[384] = 0x01; want[385] = 17;
	memcpy(want + 386, "cloud.example.com", 17);
	expect_int("domain region encodes", 0, keys_region_encode(der, n,
	    "cloud.example.com", 0, region, sizeof(region), err, sizeof(err)));
	expect_mem("domain region byte by byte", want, region, sizeof(region));
	keys_region_decode(region, sizeof(region), &r);
	expect_int("domain region: no flags", 0, r.flags);
	expect_str("domain host", "cloud.example.com", r.host);
	expect_int("default port", 5683, r.port);
	test_cond("port marked default", r.port_default);
	keys_region_free(&r);

	region[450] = 0x00; region[451] = 0x00;
	keys_region_decode(region, sizeof(region), &r);
	expect_int("port 0 means 5683", 5683, r.port);
	keys_region_free(&r);
	region[450] = 0x1f; region[451] = 0x90;
	keys_region_decode(region, sizeof(region), &r);
	expect_int("port 8080 read big-endian", 8080, r.port);
	keys_region_free(&r);

	expect_int("bad dotted quad", -1, keys_region_encode(der, n, "1.2.3",
	    0, region, sizeof(region), err, sizeof(err)));
	test_cond("bad quad named", strstr(err, "1.2.3") != NULL);
	expect_int("octet over 255", -1, keys_region_encode(der, n,
	    "256.1.1.1", 0, region, sizeof(region), err, sizeof(err)));
	expect_int("domain of 64 bytes", -1, keys_region_encode(der, n,
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com",
	    0, region, sizeof(region), err, sizeof(err)));
	expect_int("domain with a space", -1, keys_region_encode(der, n,
	    "a b", 0, region, sizeof(region), err, sizeof(err)));
	expect_int("region too small for the port", -1, keys_region_encode(
	    der, n, "1.2.3.4", 0, region, 451, err, sizeof(err)));

	/* What the device flags. */
	keys_region_encode(der, n, "10.0.0.1", 0, region, sizeof(region), err,
	    sizeof(err));
	region[0] = 0xff;
	keys_region_decode(region, sizeof(region), &r);
	expect_int("blank server key", KEYS_F_SERVER_KEY_BLANK, r.flags);
	expect_str("address still read", "10.0.0.1", r.host);
	keys_region_free(&r);
	region[0] = 0x30;
	region[20] ^= 0xff;	/* inside the AlgorithmIdentifier */
	keys_region_decode(region, sizeof(region), &r);
	expect_int("corrupted server key", KEYS_F_SERVER_KEY_CORRUPTED,
	    r.flags);
	keys_region_free(&r);

	keys_region_decode(der, n, &r);
	expect_int("bare 294-byte key: address blank",
	    KEYS_F_SERVER_ADDRESS_BLANK, r.flags);
	test_cond("bare key: short file", r.short_file);
	expect_str("bare key: default host", KEYS_DEFAULT_HOST, r.host);
	keys_region_free(&r);

	keys_region_encode(der, n, "10.0.0.1", 0, region, sizeof(region), err,
	    sizeof(err));
	region[384] = 0x07;
	keys_region_decode(region, sizeof(region), &r);
	expect_int("type 7 is blank", KEYS_F_SERVER_ADDRESS_BLANK, r.flags);
	keys_region_free(&r);
	region[384] = 0x00; region[385] = 0x05;
	keys_region_decode(region, sizeof(region), &r);
	expect_int("IPv4 of length 5 is corrupted",
	    KEYS_F_SERVER_ADDRESS_CORRUPTED, r.flags);
	keys_region_free(&r);
	region[384] = 0x01; region[385] = 0x03; region[387] = 0x01;
	keys_region_decode(region, sizeof(region), &r);
	expect_int("control byte in a domain is corrupted",
	    KEYS_F_SERVER_ADDRESS_CORRUPTED, r.flags);
	keys_region_free(&r);
	region[385] = 0x50;
	keys_region_decode(region, sizeof(region), &r);
	expect_int("domain of 80 bytes is corrupted",
	    KEYS_F_SERVER_ADDRESS_CORRUPTED, r.flags);
	keys_region_free(&r);

	/* An RSA-1024 key in the server slot. */
	n = spki_der(dev, der, sizeof(der));
	keys_region_encode(der, n, "10.0.0.1", 0, region, sizeof(region), err,
	    sizeof(err));
	keys_region_decode(region, sizeof(region), &r);
	expect_int("RSA-1024 server key is corrupted",
	    KEYS_F_SERVER_KEY_CORRUPTED, r.flags);
	keys_region_free(&r);
}

static void
test_device_id(void)
{
	uint8_t id[HS_DEVICE_ID_LEN];
	char hex[25];
	const char *p;

	test_cond("24 hex parse", keys_parse_device_id(
	    "0123456789ABCDEF01234567", id));
	keys_format_device_id(id, hex);
	expect_str("formatted lower case", "0123456789abcdef01234567", hex);
	test_cond("23 hex refused", !keys_parse_device_id(
	    "0123456789abcdef0123456", id));
	test_cond("non-hex refused", !keys_parse_device_id(
	    "0123456789abcdef0123456g", id));
	p = write_file("53ff6f066667574852212467.der", "x", 1);
	test_cond("id from the file name", keys_guess_device_id(p, hex));
	expect_str("file-name id", "53ff6f066667574852212467", hex);
	p = write_file("device.pem", "x", 1);
	test_cond("no id for device.pem", !keys_guess_device_id(p, hex));
	write_file("device.pem.id", "aaaaaaaaaaaaaaaaaaaaaaaa\n", 25);
	test_cond("id from the sidecar", keys_guess_device_id(p, hex));
	expect_str("sidecar id", "aaaaaaaaaaaaaaaaaaaaaaaa", hex);
}

static void
test_crypto(EVP_PKEY *dev, EVP_PKEY *server)
{
	uint8_t session[HS_SESSION_LEN], cipher[HS_REPLY_CIPHER];
	uint8_t back[HS_REPLY_CIPHER], hmac[HS_HMAC_LEN], sig[HS_REPLY_SIG];
	uint8_t wire1[64], wire2[64], plain[64];
	struct hs_channel a, b;
	size_t n;
	int w1, w2, p;

	RAND_bytes(session, sizeof(session));
	n = sizeof(cipher);
	expect_int("session encrypts under the device key", 0,
	    hs_rsa_encrypt(dev, session, sizeof(session), cipher, &n));
	expect_int("128 bytes", HS_REPLY_CIPHER, n);
	n = sizeof(back);
	expect_int("and decrypts", 0, hs_rsa_decrypt(dev, cipher,
	    sizeof(cipher), back, &n));
	expect_int("to 40 bytes", HS_SESSION_LEN, n);
	expect_mem("the same 40 bytes", session, back, HS_SESSION_LEN);
	n = sizeof(back);
	cipher[5] ^= 1;
	test_cond("a damaged block does not decrypt to the session",
	    hs_rsa_decrypt(dev, cipher, sizeof(cipher), back, &n) != 0 ||
	    n != HS_SESSION_LEN || memcmp(back, session, n) != 0);
	cipher[5] ^= 1;

	expect_int("HMAC", 0, hs_hmac(session, cipher, hmac));
	expect_int("raw signature", 0, hs_sign_raw(server, hmac, sig));
	expect_int("verifies", 0, hs_verify_raw(server, sig, hmac));
	hmac[0] ^= 1;
	expect_int("another HMAC does not", -1, hs_verify_raw(server, sig,
	    hmac));
	hmac[0] ^= 1;
	sig[100] ^= 1;
	expect_int("a damaged signature does not", -1, hs_verify_raw(server,
	    sig, hmac));

	/* Two records; the second is sealed under the first's first block. */
	hs_channel_init(&a, session);
	hs_channel_init(&b, session);
	w1 = hs_channel_seal(&a, (const uint8_t *)"hello world", 11, wire1,
	    sizeof(wire1));
	expect_int("11 bytes -> 2 + 16", 18, w1);
	expect_mem("next IV is the first ciphertext block", wire1 + 2, a.iv,
	    16);
	w2 = hs_channel_seal(&a, (const uint8_t *)"0123456789abcdef", 16,
	    wire2, sizeof(wire2));
	expect_int("16 bytes -> 2 + 32", 34, w2);
	p = hs_channel_open(&b, wire1 + 2, (size_t)w1 - 2, plain,
	    sizeof(plain));
	expect_int("first opens", 11, p);
	expect_mem("first text", "hello world", plain, 11);
	p = hs_channel_open(&b, wire2 + 2, (size_t)w2 - 2, plain,
	    sizeof(plain));
	expect_int("second opens with the chained IV", 16, p);
	expect_mem("second text", "0123456789abcdef", plain, 16);
	hs_channel_init(&b, session);
	p = hs_channel_open(&b, wire2 + 2, (size_t)w2 - 2, plain,
	    sizeof(plain));
	test_cond("out of order does not give the text", p != 16 ||
	    memcmp(plain, "0123456789abcdef", 16) != 0);
}

static void
test_resolve(void)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	char err[256];

	expect_int("IPv4 with port", 0, handshake_resolve("127.0.0.1:8080",
	    5683, false, &ss, &sl, err, sizeof(err)));
	expect_int("port read", 8080,
	    ntohs(((struct sockaddr_in *)&ss)->sin_port));
	expect_int("default port", 0, handshake_resolve("127.0.0.1", 5683,
	    false, &ss, &sl, err, sizeof(err)));
	expect_int("default port is 5683", 5683,
	    ntohs(((struct sockaddr_in *)&ss)->sin_port));
	expect_int("[v6]:port", 0, handshake_resolve("[::1]:5684", 5683,
	    false, &ss, &sl, err, sizeof(err)));
	expect_int("v6 family", AF_INET6, ss.ss_family);
	expect_int("bare v6", 0, handshake_resolve("::1", 5683, false, &ss,
	    &sl, err, sizeof(err)));
	expect_int("port over 65535", -1, handshake_resolve("127.0.0.1:65536",
	    5683, false, &ss, &sl, err, sizeof(err)));
	test_cond("bad port message names the spec",
	    strstr(err, "127.0.0.1:65536") != NULL);
	expect_int("empty port", -1, handshake_resolve("127.0.0.1:", 5683,
	    false, &ss, &sl, err, sizeof(err)));
	expect_int("port 0 to connect", -1, handshake_resolve("127.0.0.1:0",
	    5683, false, &ss, &sl, err, sizeof(err)));
	expect_int("port 0 to listen", 0, handshake_resolve("127.0.0.1:0",
	    5683, true, &ss, &sl, err, sizeof(err)));
	expect_int("any address to listen", 0, handshake_resolve(":5683",
	    5683, true, &ss, &sl, err, sizeof(err)));
	expect_int("no host to connect", -1, handshake_resolve(":5683", 5683,
	    false, &ss, &sl, err, sizeof(err)));
	expect_int("unclosed bracket", -1, handshake_resolve("[::1:5683",
	    5683, false, &ss, &sl, err, sizeof(err)));
	/* No name lookups here: they would leave the machine. */
}

int
main(void)
{
	EVP_PKEY *dev, *server, *ec;
	char cmd[300];

	if (mkdtemp(tmpdir) == NULL) {
		printf("FAIL mkdtemp\n");
		return test_report();
	}
	dev = rsa_gen(1024, 65537);
	server = rsa_gen(2048, 65537);
	ec = EVP_EC_gen("P-256");
	test_cond("keys generated", dev != NULL && server != NULL &&
	    ec != NULL);
	if (dev != NULL && server != NULL && ec != NULL) {
		test_device_slot(dev, server, ec);
		test_exponent();
		test_load_files(dev, server, ec);
		test_region(server, dev);
		test_device_id();
		test_crypto(dev, server);
	}
	test_resolve();
	EVP_PKEY_free(dev);
	EVP_PKEY_free(server);
	EVP_PKEY_free(ec);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		printf("SKIP could not remove %s\n", tmpdir);
	return test_report();
}
