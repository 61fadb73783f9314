/*
 * serial.h - a device's USB serial port for `cyanprobe serial`: open it raw
 * with termios at a given speed, locked against other programs, read lines
 * with a timeout on every read, tell garbage (a wrong baud rate) from text,
 * and parse the listening-mode answers of particle-cloud.md 4.4
 * ("Your device id is ...", "Your core id is ...", "system firmware
 * version: ...", "Your device MAC address is" + the address).
 */
#ifndef SERIAL_H
#define SERIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define SERIAL_LINE_MAX		512

enum serial_err {
	SERIAL_OK,
	SERIAL_ENOENT,		/* no such device */
	SERIAL_EBUSY,		/* another program holds it */
	SERIAL_ESPEED,		/* speed not supported */
	SERIAL_ENOTTY,		/* not a serial device */
	SERIAL_EOTHER		/* errno says */
};

/*
 * Open `path` read-write, non-blocking, as a raw 8N1 line at `baud`, with an
 * exclusive flock.  Returns the fd, or -1 with *err set and a message (the
 * path named, ready for stderr after "cyanprobe: ") in msg.
 */
int	serial_open(const char *path, unsigned baud, enum serial_err *err,
	    char *msg, size_t msglen);

/* True when `baud` is a speed termios can set. */
bool	serial_speed_ok(unsigned baud);

/* Buffered line reader over a non-blocking fd. */
struct serial_rd {
	int	fd;
	size_t	len;			/* bytes in buf */
	size_t	bytes, binary;		/* totals, for the garbage check */
	bool	eof;
	char	buf[SERIAL_LINE_MAX];
};

void	serial_rd_init(struct serial_rd *rd, int fd);

/*
 * The next line, without CR/LF, NUL-terminated, into line (cap bytes; a
 * longer line is cut and the rest read as the next line).  Waits at most
 * timeout_ms (-1: forever).  Returns the length (>= 0), -2 on timeout, or -1
 * on end of file or a read error (errno set; 0 at end of file).
 */
ssize_t	serial_readline(struct serial_rd *rd, char *line, size_t cap,
	    int timeout_ms);

/*
 * True when what was read so far looks like a wrong baud rate: at least 16
 * bytes of which more than a quarter are neither printable nor whitespace.
 */
bool	serial_garbled(const struct serial_rd *rd);

/* Write all of buf within timeout_ms; 0, or -1 (errno set, ETIMEDOUT). */
int	serial_write_all(int fd, const void *buf, size_t len, int timeout_ms);

/*
 * Discard what the device sent before we ask (stale lines): read until
 * quiet_ms pass without a line, or at most 10 * quiet_ms in all.
 */
void	serial_drain(struct serial_rd *rd, int quiet_ms);

/*
 * Listening-mode answers.  serial_parse_id: "Your device id is <24 hex>",
 * "Your core id is <24 hex>" or (cellular, mesh) "Device ID: <24 hex>" ->
 * id (lower case) and is_core.  serial_parse_
 * version: "system firmware version: X" -> X.  serial_parse_mac: an address
 * "aa:bb:cc:dd:ee:ff" (the line after "Your device MAC address is").
 */
bool	serial_parse_id(const char *line, char id[25], bool *is_core);
bool	serial_parse_version(const char *line, char *ver, size_t cap);
bool	serial_parse_mac(const char *line, char mac[18]);

#endif /* SERIAL_H */
