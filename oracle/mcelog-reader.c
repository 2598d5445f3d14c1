/*
 * mcelog-reader: a small static reader of /dev/mcelog for the oracle's
 * initramfs (oracle/README.md). It runs inside the QEMU guest: in Xen's
 * dom0, where drivers/xen/mcelog.c fills /dev/mcelog with the records dom0
 * fetched from the hypervisor, and on a bare Linux kernel built with
 * CONFIG_X86_MCELOG_LEGACY (Debian's 6.1 is not; there the oracle reads the
 * kernel's own printed records instead).
 *
 * Five times a second it reads the whole log (the driver refuses smaller
 * reads and clears what it returns) and prints one line per record:
 *
 *   ORACLE-REC CPU c BANK b STATUS 0x.. ADDR 0x.. MISC 0x.. MCGSTATUS 0x.. MCGCAP 0x..
 *
 * The record layout is the ABI of struct mce (Linux uapi asm/mce.h),
 * whose first fields keep fixed offsets; the record length the driver
 * reports (ioctl MCE_GET_RECORD_LEN) is the stride.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

/* ioctls of /dev/mcelog: _IOR('M', n, int) */
#define MCELOG_GET_RECORD_LEN _IOR('M', 1, int)
#define MCELOG_GET_LOG_LEN    _IOR('M', 2, int)

/* Offsets in a record (struct mce's stable head). */
enum {
	OFF_STATUS = 0, OFF_MISC = 8, OFF_ADDR = 16, OFF_MCGSTATUS = 24,
	OFF_BANK = 65, OFF_EXTCPU = 68, OFF_MCGCAP = 80, MIN_RECORD = 88,
};

static uint64_t get64(const unsigned char *p, size_t off)
{
	uint64_t v;
	memcpy(&v, p + off, sizeof v);
	return v;
}

static uint32_t get32(const unsigned char *p, size_t off)
{
	uint32_t v;
	memcpy(&v, p + off, sizeof v);
	return v;
}

static void print_record(const unsigned char *r)
{
	printf("ORACLE-REC CPU %" PRIu32 " BANK %u STATUS 0x%" PRIx64
	       " ADDR 0x%" PRIx64 " MISC 0x%" PRIx64 " MCGSTATUS 0x%" PRIx64
	       " MCGCAP 0x%" PRIx64 "\n",
	       get32(r, OFF_EXTCPU), r[OFF_BANK], get64(r, OFF_STATUS),
	       get64(r, OFF_ADDR), get64(r, OFF_MISC), get64(r, OFF_MCGSTATUS),
	       get64(r, OFF_MCGCAP));
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/mcelog";
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		printf("ORACLE-REC-ERROR cannot open %s: %s\n", path, strerror(errno));
		return 1;
	}
	int reclen = 0, loglen = 0;
	if (ioctl(fd, MCELOG_GET_RECORD_LEN, &reclen) < 0 ||
	    ioctl(fd, MCELOG_GET_LOG_LEN, &loglen) < 0 ||
	    reclen < MIN_RECORD || loglen <= 0 || loglen > 4096) {
		printf("ORACLE-REC-ERROR %s: bad record/log length %d/%d\n", path, reclen, loglen);
		return 1;
	}
	size_t size = (size_t)reclen * (size_t)loglen;
	unsigned char *buf = malloc(size);
	if (!buf)
		return 1;
	setvbuf(stdout, NULL, _IOLBF, 0);  /* one write per line (/dev/kmsg) */
	printf("ORACLE-REC-START %s record %d bytes, log %d records\n", path, reclen, loglen);
	fflush(stdout);
	const struct timespec interval = { 0, 200 * 1000 * 1000 };
	for (;;) {
		ssize_t n = read(fd, buf, size);
		if (n < 0 && errno != EINTR && errno != EAGAIN) {
			printf("ORACLE-REC-ERROR read: %s\n", strerror(errno));
			return 1;
		}
		for (ssize_t off = 0; n > 0 && off + reclen <= n; off += reclen)
			print_record(buf + off);
		fflush(stdout);
		nanosleep(&interval, NULL);
	}
}
