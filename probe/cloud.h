/*
 * cloud.h - a local Particle TCP cloud: the server's side of the handshake
 * (particle-cloud.md 1.2-1.5, spark-protocol Handshake.js) for labs and
 * tests, with faults that reproduce every handshake LED outcome on purpose.
 *
 * cloud_serve() runs worker threads, each a poll() loop over its own
 * bounded set of connections sharing one listening socket.  Every
 * connection has fixed buffers and a deadline, so a device that stalls or
 * sends garbage is cut off without slowing the others.  Each connection
 * ends in one JSON line on the log: device id, step times, outcome, reason.
 */
#ifndef CLOUD_H
#define CLOUD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include <openssl/evp.h>

#define CLOUD_MAX_CLIENTS_DEFAULT	256
#define CLOUD_DEADLINE_MS_DEFAULT	30000	/* Handshake.js: 30 s a step */
#define CLOUD_STALL_MS_DEFAULT		30000	/* Handshake.js get_hello */
#define CLOUD_THREADS_MAX		16

/* Misbehaviours on purpose; the LED the device then shows is the point. */
enum cloud_fault {
	CLOUD_FAULT_NONE,
	CLOUD_FAULT_UNKNOWN_DEVICE,	/* close after step 2: red */
	CLOUD_FAULT_WRONG_SESSION_KEY,	/* session under another key: orange */
	CLOUD_FAULT_BAD_SIGNATURE,	/* signature does not verify: magenta */
	CLOUD_FAULT_NO_HELLO,		/* never send the server Hello, nor
					   answer anything after the key
					   exchange: red on Device OS; the
					   2014 Core does not wait for the
					   Hello and drops the session when
					   its ping goes unanswered */
	CLOUD_FAULT_CLOSE_AFTER_NONCE,	/* close right after the nonce: red */
	CLOUD_FAULT_SILENT,		/* accept, send nothing */
	CLOUD_FAULT_NO_PING_ACK,	/* handshake, then never answer a
					   ping: the session drops */
	CLOUD_FAULT_BAD_RECORD,		/* our Hello under another AES key:
					   the device cannot read it: red */
	CLOUD_FAULT_BAD_PADDING,	/* our Hello padded with bytes that
					   are not PKCS#7: the firmware does
					   not check, so it connects */
	CLOUD_FAULT_BAD_RECORD_STALL,	/* the device's Hello does not decrypt
					   here (read under another key), and
					   the cloud does what spark-server
					   does then: it stalls, sends nothing,
					   and drops the session after
					   stall_ms: red, as no-hello */
	CLOUD_FAULT_COUNT
};

/*
 * The bytes of the cloud's own messages.  spark-server (spark-protocol
 * SparkCore.js and Messages.js) sends forms RFC 7252 does not allow, and
 * devices take them: a Hello with a 1-byte token, `51 02 <mid> 01 b1 68`,
 * and a PingAck that is an empty ACK with a 1-byte token, `61 00 <mid> 00`.
 */
enum cloud_wire {
	CLOUD_WIRE_RFC7252,		/* no tokens: `50 02 <mid> b1 68`,
					   `60 00 <mid>` */
	CLOUD_WIRE_SPARK_SERVER,	/* spark-server's forms, above */
	CLOUD_WIRE_COUNT
};

struct cloud_opts {
	const struct sockaddr	*addr;		/* where to listen */
	socklen_t		 addrlen;
	EVP_PKEY		*server_key;	/* RSA-2048 private, borrowed */
	const char		*devices_dir;	/* <deviceid>.pub.pem files */
	enum cloud_fault	 fault;
	enum cloud_wire		 wire;
	int			 max_clients;	/* open connections at once */
	int			 deadline_ms;	/* per connection handshake, and
						   idle time after it */
	int			 stall_ms;	/* bad-record-stall: how long a
						   connection is held after a record
						   that does not decrypt */
	int			 threads;	/* 0: one per CPU, at most 8 */
	FILE			*log;		/* JSON lines; NULL for none */
	const char		*ready_file;	/* "ADDR PORT\n" once listening */
	int			 stop_fd;	/* readable means stop; -1 none */
};

void	cloud_opts_init(struct cloud_opts *o);

/*
 * Listen and serve until stop_fd becomes readable.  Returns 0 after a clean
 * stop, or -1 when it cannot start (bind, listen, threads), with the reason
 * in err.
 */
int	cloud_serve(const struct cloud_opts *o, char *err, size_t errlen);

const char	*cloud_fault_name(enum cloud_fault f);
bool		 cloud_fault_from_name(const char *name, enum cloud_fault *out);
const char	*cloud_wire_name(enum cloud_wire w);
bool		 cloud_wire_from_name(const char *name, enum cloud_wire *out);

/*
 * The cloud's Hello and its answer to a ping (an empty ACK for mid) in the
 * given wire form, into out.  Returns the length, or -1 if cap is short.
 */
int	cloud_hello_bytes(enum cloud_wire w, uint16_t mid, uint8_t *out,
	    size_t cap);
int	cloud_ack_bytes(enum cloud_wire w, uint16_t mid, uint8_t *out,
	    size_t cap);

#endif /* CLOUD_H */
