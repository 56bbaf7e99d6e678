/* pathfacts.h - facts about a log file that ward-ingest reads from the file
 * system once per path, not once per line: its modification time (it picks
 * the year of BSD syslog times in a file read once) and the container whose
 * log it is (Docker's config.v2.json, Kubernetes' path layout).
 *
 * The only file I/O on ward-ingest's record path happens here, at the first
 * line of each path; record processing (ingest.h) asks this cache. The
 * lookups are injectable so a test can count them. */
#ifndef WARD_INGEST_PATHFACTS_H
#define WARD_INGEST_PATHFACTS_H

#include <stdint.h>

struct pathfacts_lookup {
	/* The file's modification time in ns since the epoch, or WARD_TS_NONE. */
	int64_t (*mtime)(const char *path);
	/* The container's name (caller frees), or NULL (container.h). */
	char *(*container_name)(const char *path);
};

struct pathfacts;

/* lookup NULL: stat(2) and container_name_for_path. */
struct pathfacts *pathfacts_new(const struct pathfacts_lookup *lookup);
void pathfacts_free(struct pathfacts *pf);
/* path's modification time, read at its first request, or WARD_TS_NONE. */
int64_t pathfacts_mtime(struct pathfacts *pf, const char *path);
/* path's container name, read at its first request, or NULL. Valid until
 * pathfacts_free. */
const char *pathfacts_container(struct pathfacts *pf, const char *path);

#endif
