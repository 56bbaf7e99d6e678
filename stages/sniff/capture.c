/* capture.c - libpcap handles and privilege dropping. */
#include "stages/sniff/capture.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

pcap_t *capture_open_file(const char *path, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, perr);
	if (!p)
		snprintf(err, errlen, "%s", perr);
	return p;
}

static enum capture_err activate_status(int rc)
{
	switch (rc) {
	case PCAP_ERROR_PERM_DENIED:
	case PCAP_ERROR_PROMISC_PERM_DENIED:
		return CAPTURE_ERR_PERM;
	case PCAP_ERROR_NO_SUCH_DEVICE:
	case PCAP_ERROR_IFACE_NOT_UP:
		return CAPTURE_ERR_NODEV;
	default:
		return CAPTURE_ERR_IO;
	}
}

pcap_t *capture_open_live(const struct capture_live_opts *o, enum capture_err *why,
			  char *err, size_t errlen, char *warn, size_t warnlen)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	warn[0] = '\0';
	pcap_t *p = pcap_create(o->iface, perr);
	if (!p) {
		*why = CAPTURE_ERR_NODEV;
		snprintf(err, errlen, "%s", perr);
		return NULL;
	}
	pcap_set_snaplen(p, o->snaplen);
	pcap_set_promisc(p, o->promisc);
	pcap_set_timeout(p, o->timeout_ms);
	if (o->immediate)
		pcap_set_immediate_mode(p, 1);
	if (o->buffer_size > 0)
		pcap_set_buffer_size(p, o->buffer_size > INT32_MAX ? INT32_MAX : (int)o->buffer_size);
	/* Nanoseconds where the kernel gives them; checked after activation. */
	pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
	int rc = pcap_activate(p);
	if (rc < 0) {
		*why = activate_status(rc);
		snprintf(err, errlen, "%s%s%s", pcap_statustostr(rc),
			 *pcap_geterr(p) ? ": " : "", pcap_geterr(p));
		pcap_close(p);
		return NULL;
	}
	if (rc > 0)
		snprintf(warn, warnlen, "%s: %s", pcap_statustostr(rc), pcap_geterr(p));
	*why = CAPTURE_OK;
	return p;
}

int capture_set_filter(pcap_t *p, const char *filter, bool live, char *err, size_t errlen)
{
	struct bpf_program prog;
	bpf_u_int32 netmask = PCAP_NETMASK_UNKNOWN;
	(void)live;
	if (pcap_compile(p, &prog, filter, 1, netmask) != 0) {
		snprintf(err, errlen, "%s", pcap_geterr(p));
		return -1;
	}
	int rc = pcap_setfilter(p, &prog);
	if (rc != 0)
		snprintf(err, errlen, "%s", pcap_geterr(p));
	pcap_freecode(&prog);
	return rc;
}

int capture_drop_privileges(const char *user, char *err, size_t errlen)
{
	errno = 0;
	struct passwd *pw = getpwnam(user);
	if (!pw) {
		snprintf(err, errlen, "no such user: %s", user);
		return -1;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) != 0 || setgid(pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0) {
		snprintf(err, errlen, "cannot become %s: %s", user, strerror(errno));
		return -1;
	}
	/* Prove there is no way back to root. */
	if (pw->pw_uid != 0 && setuid(0) == 0) {
		snprintf(err, errlen, "could regain root after becoming %s", user);
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		snprintf(err, errlen, "PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int64_t capture_file_pos(pcap_t *p)
{
	FILE *f = pcap_file(p);
	if (!f)
		return -1;
	off_t pos = ftello(f);
	return pos < 0 ? -1 : (int64_t)pos;
}
