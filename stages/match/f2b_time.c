/* f2b_time.c - the time a fail2ban date template matched (see f2b_time.h). */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "event.h"
#include "wtime.h"
#include "stages/match/f2b_time.h"

static int num(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		if (isdigit((unsigned char)s[i]) && v < 100000000)	/* 9 digits at most: no overflow */
			v = v * 10 + (s[i] - '0');
	return v;
}

static int month_of(const char *s, size_t n)
{
	static const char *const m[] = { "jan", "feb", "mar", "apr", "may", "jun",
					 "jul", "aug", "sep", "oct", "nov", "dec" };
	if (n < 3)
		return 0;
	for (int i = 0; i < 12; i++)
		if (strncasecmp(s, m[i], 3) == 0)
			return i + 1;
	return 0;
}

/* fail2ban's fixed zone abbreviations (server/strptime.py TZ_STR): offset
 * in minutes; no DST switching, as there. */
static const char tz_str[] =
	"-720 Y\n-660 X NUT SST\n-600 W CKT HAST HST TAHT TKT\n-540 V AKST GAMT GIT HADT HNY\n"
	"-480 U AKDT CIST HAY HNP PST PT\n-420 T HAP HNR MST PDT\n-360 S CST EAST GALT HAR HNC MDT\n"
	"-300 R CDT COT EASST ECT EST ET HAC HNE PET\n-240 Q AST BOT CLT COST EDT FKT GYT HAE HNA PYT\n"
	"-180 P ADT ART BRT CLST FKST GFT HAA PMST PYST SRT UYT WGT\n-120 O BRST FNT PMDT UYST WGST\n"
	"-60 N AZOT CVT EGT\n0 Z EGST GMT UTC WET WT\n60 A CET DFT WAT WEDT WEST\n"
	"120 B CAT CEDT CEST EET SAST WAST\n180 C EAT EEDT EEST IDT MSK\n"
	"240 D AMT AZT GET GST KUYT MSD MUT RET SAMT SCT\n"
	"300 E AMST AQTT AZST HMT MAWT MVT PKT TFT TJT TMT UZT YEKT\n"
	"360 F ALMT BIOT BTT IOT KGT NOVT OMST YEKST\n420 G CXT DAVT HOVT ICT KRAT NOVST OMSST THA WIB\n"
	"480 H ACT AWST BDT BNT CAST HKT IRKT KRAST MYT PHT SGT ULAT WITA WST\n"
	"540 I AWDT IRKST JST KST PWT TLT WDT WIT YAKT\n600 K AEST ChST PGT VLAT YAKST YAPT\n"
	"660 L AEDT LHDT MAGT NCT PONT SBT VLAST VUT\n720 M ANAST ANAT FJT GILT MAGST MHT NZST PETST PETT TVT WFT\n"
	"780 FJST NZDT\n690 NFT\n630 ACDT LHST\n570 ACST\n390 CCT MMT\n345 NPT\n330 SLT\n270 AFT IRDT\n"
	"210 IRST\n-150 HAT NDT\n-210 HNT NST NT\n-270 HLV VET\n-570 MART MIT\n";

static bool abbr_offset(const char *a, size_t n, int *min)
{
	for (const char *l = tz_str; *l;) {
		const char *eol = strchr(l, '\n');
		int off = atoi(l);
		const char *p = strchr(l, ' ');
		while (p && p < eol) {
			p++;
			const char *e = p;
			while (e < eol && *e != ' ')
				e++;
			if ((size_t)(e - p) == n && strncmp(p, a, n) == 0) {
				*min = off;
				return true;
			}
			p = e;
		}
		l = eol + 1;
	}
	return false;
}

/* zone2offset: "Z", "UTC", "CET", "+0100", "-04:00", "CET+01": minutes east. */
static bool zone_offset(const char *v, size_t n, int *min)
{
	size_t a = 0;
	while (a < n && v[a] >= 'A' && v[a] <= 'Z')
		a++;
	int off = 0;
	if (a && !abbr_offset(v, a, &off))
		return false;
	if (a < n) {
		const char *o = v + a;
		size_t on = n - a;
		if (on < 3 || (o[0] != '+' && o[0] != '-'))
			return false;
		int hh = (o[1] - '0') * 10 + (o[2] - '0'), mm = 0;
		if (on >= 5)
			mm = (o[on - 2] - '0') * 10 + (o[on - 1] - '0');
		off += (o[0] == '-' ? -1 : 1) * (hh * 60 + mm);
	}
	*min = off;
	return true;
}

int64_t f2b_time_tai64n(const char *h)
{
	uint64_t sec = 0, nsec = 0;
	for (int i = 0; i < 16; i++)
		sec = sec * 16 + (uint64_t)(isdigit((unsigned char)h[i]) ? h[i] - '0' : h[i] - 'a' + 10);
	for (int i = 16; i < 24; i++)
		nsec = nsec * 16 + (uint64_t)(isdigit((unsigned char)h[i]) ? h[i] - '0' : h[i] - 'a' + 10);
	sec -= (uint64_t)1 << 62;
	return (int64_t)sec * 1000000000 + (int64_t)nsec;
}

int64_t f2b_time_epoch(const char *s, size_t l, bool longer)
{
	char buf[40];
	if (l >= sizeof(buf))
		return WARD_TS_NONE;
	memcpy(buf, s, l);
	buf[l] = '\0';
	double x = strtod(buf, NULL);
	if (longer && l >= 13)
		x = (l >= 16 && !strchr(buf, '.')) ? x / 1e6 : x / 1e3;
	return (int64_t)(x * 1e9);
}

/* F(k): field k's text (its length in n), or NULL */
#define F(k) (n = f->n[k], f->v[k])

/* The year, month and day of ref (gmtime_r's, by arithmetic: this runs
 * for every failure). */
static void ref_civil(time_t ref, struct tm *rt)
{
	int64_t days = (int64_t)ref / 86400 - ((int64_t)ref % 86400 < 0);
	int64_t y;
	unsigned m, d;
	time_civil_from_days(days, &y, &m, &d);
	rt->tm_year = (int)(y - 1900);
	rt->tm_mon = (int)m - 1;
	rt->tm_mday = (int)d;
}

/* timegm of tm (month 0..11, the other fields counted on as timegm
 * normalizes them: a day past the month's end, an hour past 23). */
static int64_t utc_secs(const struct tm *tm)
{
	int64_t days = time_days_from_civil((int64_t)tm->tm_year + 1900, (unsigned)tm->tm_mon + 1, 1) + tm->tm_mday - 1;
	return days * 86400 + (int64_t)tm->tm_hour * 3600 + tm->tm_min * 60 + tm->tm_sec;
}

int64_t f2b_time_of(const struct f2b_tfields *f, int64_t ref_ns)
{
	size_t n;
	const char *v;
	struct tm tm = { 0 };
	time_t ref = (time_t)(ref_ns / 1000000000);
	struct tm rt;
	ref_civil(ref, &rt);
	bool have_year = false;
	tm.tm_year = rt.tm_year;
	if ((v = F(F2B_TF_Y))) {
		tm.tm_year = num(v, n) - 1900;
		have_year = true;
	} else if ((v = F(F2B_TF_y))) {
		tm.tm_year = num(v, n) + 100;
		have_year = true;
	}
	tm.tm_mon = rt.tm_mon;
	tm.tm_mday = rt.tm_mday;
	bool have_date = false;
	if ((v = F(F2B_TF_m))) {
		tm.tm_mon = num(v, n) - 1;
		have_date = true;
	} else if ((v = F(F2B_TF_b)) || (v = F(F2B_TF_B))) {
		tm.tm_mon = month_of(v, n) - 1;
		have_date = true;
	}
	if ((v = F(F2B_TF_d)))
		tm.tm_mday = num(v, n);
	if ((v = F(F2B_TF_H)))
		tm.tm_hour = num(v, n);
	else if ((v = F(F2B_TF_I))) {
		tm.tm_hour = num(v, n) % 12;
		const char *pm = F(F2B_TF_p);
		if (pm && (pm[0] == 'p' || pm[0] == 'P'))
			tm.tm_hour += 12;
	}
	if ((v = F(F2B_TF_M)))
		tm.tm_min = num(v, n);
	if ((v = F(F2B_TF_S)))
		tm.tm_sec = num(v, n);
	if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1)
		return WARD_TS_NONE;
	bool have_day = F(F2B_TF_d) != NULL;
	int64_t secs = utc_secs(&tm);
	int zmin = 0;
	if ((v = F(F2B_TF_z)) || (v = F(F2B_TF_Z))) {
		if (!zone_offset(v, n, &zmin))
			return WARD_TS_NONE;	/* fail2ban: "Unknown or unsupported time zone" */
		secs -= (int64_t)zmin * 60;
	}
	if (!have_date && !have_day && secs > ref)
		secs -= 86400;	/* a time of day ahead of now is yesterday's */
	if (!have_year && secs > ref + 86400) {
		tm.tm_year--;	/* a date ahead of now is from last year */
		secs = utc_secs(&tm) - (int64_t)zmin * 60;
	}
	int64_t frac = 0;
	if ((v = F(F2B_TF_f))) {
		frac = num(v, n);
		for (size_t k = n; k < 9; k++)
			frac *= 10;
	}
	if (secs < -9000000000LL || secs > 9000000000LL)
		return WARD_TS_NONE;	/* year 1 or 9999: outside what int64 nanoseconds hold */
	return secs * 1000000000 + frac;
}

#undef F
