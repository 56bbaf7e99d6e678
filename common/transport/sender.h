/* sender.h - what the HTTP outputs (Loki, Alertmanager) need to run their
 * background sender thread: the mutex and condition variable it waits on
 * (the condition on CLOCK_MONOTONIC, so a wall-clock step neither stalls
 * nor hurries a retry), and a thread that takes none of the stage's
 * signals (they belong to the main thread's loop: signals.h). */
#ifndef WARD_TRANSPORT_SENDER_H
#define WARD_TRANSPORT_SENDER_H

#include <pthread.h>

void sender_sync_init(pthread_mutex_t *mu, pthread_cond_t *cv);
void sender_sync_destroy(pthread_mutex_t *mu, pthread_cond_t *cv);
/* pthread_create with every signal blocked in the new thread; 0 or an
 * error number. */
int sender_thread_start(pthread_t *t, void *(*fn)(void *), void *arg);

#endif
