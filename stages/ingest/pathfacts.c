/* pathfacts.c - per-path facts read once: a small list searched from the
 * path asked last (a file's lines come in runs). */
#include "stages/ingest/pathfacts.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "event.h"
#include "stages/ingest/container.h"
#include "wtime.h"

struct pathfact {
	char *path;
	int64_t mtime;
	char *container;
	bool has_mtime, has_container;
};

struct pathfacts {
	struct pathfacts_lookup lookup;
	struct pathfact *items;
	size_t len;
	size_t last;		/* index asked last (valid when len > 0) */
};

static int64_t stat_mtime(const char *path)
{
	struct stat sb;
	if (stat(path, &sb) != 0)
		return WARD_TS_NONE;
	return (int64_t)sb.st_mtim.tv_sec * NS_PER_SEC + sb.st_mtim.tv_nsec;
}

struct pathfacts *pathfacts_new(const struct pathfacts_lookup *lookup)
{
	struct pathfacts *pf = ward_xcalloc(1, sizeof *pf);
	pf->lookup.mtime = lookup && lookup->mtime ? lookup->mtime : stat_mtime;
	pf->lookup.container_name = lookup && lookup->container_name ? lookup->container_name
								     : container_name_for_path;
	return pf;
}

void pathfacts_free(struct pathfacts *pf)
{
	if (!pf)
		return;
	for (size_t i = 0; i < pf->len; i++) {
		free(pf->items[i].path);
		free(pf->items[i].container);
	}
	free(pf->items);
	free(pf);
}

static struct pathfact *fact(struct pathfacts *pf, const char *path)
{
	if (pf->len > 0 && strcmp(pf->items[pf->last].path, path) == 0)
		return &pf->items[pf->last];
	for (size_t i = 0; i < pf->len; i++)
		if (strcmp(pf->items[i].path, path) == 0) {
			pf->last = i;
			return &pf->items[i];
		}
	pf->items = ward_xrealloc(pf->items, (pf->len + 1) * sizeof *pf->items);
	pf->items[pf->len] = (struct pathfact){ .path = ward_xstrdup(path) };
	pf->last = pf->len++;
	return &pf->items[pf->last];
}

int64_t pathfacts_mtime(struct pathfacts *pf, const char *path)
{
	struct pathfact *f = fact(pf, path);
	if (!f->has_mtime) {
		f->mtime = pf->lookup.mtime(path);
		f->has_mtime = true;
	}
	return f->mtime;
}

const char *pathfacts_container(struct pathfacts *pf, const char *path)
{
	struct pathfact *f = fact(pf, path);
	if (!f->has_container) {
		f->container = pf->lookup.container_name(path);
		f->has_container = true;
	}
	return f->container;
}
