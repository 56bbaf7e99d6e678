/* validate.h - the programs of a pipeline, found and checked before it runs
 * (docs/run.md): each program resolved to a path, and each ward stage run
 * once in check mode, so a bad command line is reported with its
 * FILE:LINE before anything starts. */
#ifndef WARD_RUN_VALIDATE_H
#define WARD_RUN_VALIDATE_H

#include "stages/run/pipeline.h"
#include "stages/run/runner.h"

/* Resolve every program and run each ward stage once in check mode
 * (WARD_CHECK=1: parse options and configuration, open nothing, exit 0).
 * Other programs must exist and be executable. Returns 0, or the exit
 * status for ward-run (78) after logging "FILE:LINE: why". */
int run_validate(const struct pipeline *p, const struct run_opts *o);

/* The program's path: as written if it holds a '/', ward-* in self_dir
 * first, then $PATH. NULL if nothing executable is found. */
char *run_resolve(const char *name, const char *self_dir);

#endif
