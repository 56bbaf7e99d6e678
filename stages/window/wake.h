/* wake.h - the two ways a rule's keys come due for advancing:
 *
 *   the wake heap   a binary min-heap (1-based, rstate.heap) of keys by the
 *                   time of their next deadline or expiry (ww_key.wake);
 *                   each key knows its position (heap_pos, 0: not in it);
 *   the FIFO        keys with samples not yet applied, in the order their
 *                   first such sample came (rstate.dirty), each entry
 *                   stamped with the key's generation so that an entry of a
 *                   freed key is recognised and skipped.
 *
 * No I/O; both grow by doubling. */
#ifndef WARD_WINDOW_WAKE_H
#define WARD_WINDOW_WAKE_H

#include "stages/window/engine_impl.h"

/* Put key idx in the heap at `wake`, move it there, or (INT64_MAX) take it out. */
void wake_heap_update(struct rstate *r, uint32_t idx, int64_t wake);
void wake_heap_remove(struct rstate *r, uint32_t idx);
/* Queue key idx, whose oldest unapplied sample has time ts; marks it dirty. */
void wake_fifo_push(struct rstate *r, uint32_t idx, int64_t ts);

#endif
