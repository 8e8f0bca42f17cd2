/* tally-scheduler-private.h: one request queue per server origin, shared by the whole process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every request a TallyClient makes waits here for its turn. The scheduler of
 * an origin is shared by every client of that origin in the process (a
 * registry keyed by the base URL), so two clients of one server pace together:
 *  - at most a few requests are in flight per server;
 *  - after a 429 the class of the refused route (heavy: everything under /usage and the
 *    per-key daily series; general: everything else) pauses until the server's
 *    Retry-After; a 429 on a general route pauses the heavy ones too (they count
 *    against the general limit as well);
 *  - once a 429 has been seen, heavy routes leave at most one per interval
 *    (1 s by default);
 *  - queued interactive requests leave before queued bulk ones (the pages of
 *    an export), first come first served within a priority.
 * It also remembers what the server has taught: the largest page_size it
 * accepts, and whether it has ever answered (connection failures are retried
 * only after that).
 *
 * Thread-safe; a ticket's callback runs in the thread-default main context of
 * the thread that queued it.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _TallyScheduler TallyScheduler;

typedef enum
{
  TALLY_SCHED_GENERAL,
  TALLY_SCHED_HEAVY,
} TallySchedClass;

typedef enum
{
  TALLY_SCHED_INTERACTIVE,
  TALLY_SCHED_BULK,
} TallySchedPriority;

/* @cancelled: TRUE when the ticket's cancellable fired while it was queued
 * (the request then never got a slot and must not call _tally_scheduler_done()).
 * With FALSE the request holds an in-flight slot until _tally_scheduler_done(). */
typedef void (*TallySchedReadyFunc) (gpointer data,
                                     gboolean cancelled);

/* the largest page_size asked for before the server has said what it takes */
#define TALLY_SCHED_DEFAULT_MAX_PAGE_SIZE 1000

/* The scheduler of @origin (a normalised base URL), created on first use; the
 * last _tally_scheduler_unref() forgets what it learned. */
TallyScheduler *_tally_scheduler_acquire (const char *origin);
void _tally_scheduler_unref (TallyScheduler *self);

/* Queues a request; @ready is called once, in the caller's thread-default
 * main context, when the request may be sent (or it was cancelled first).
 * Returns the monotonic time until which the request is held back by a rate
 * limit pause, or 0 when it is not. */
gint64 _tally_scheduler_queue (TallyScheduler *self,
                               TallySchedClass klass,
                               TallySchedPriority priority,
                               GCancellable *cancellable,
                               TallySchedReadyFunc ready,
                               gpointer data);

/* A request that was given a slot is over (answer, failure or cancellation). */
void _tally_scheduler_done (TallyScheduler *self);

/* The server refused a request of @klass with a 429: pause until @resume_at
 * (monotonic µs). Returns the time the class now resumes at (the later one). */
gint64 _tally_scheduler_rate_limited (TallyScheduler *self,
                                      TallySchedClass klass,
                                      gint64 resume_at);

/* The monotonic time @klass resumes at, or 0 when it is not paused. */
gint64 _tally_scheduler_get_resume_time (TallyScheduler *self,
                                         TallySchedClass klass);

/* The server sent an HTTP answer (of any status). */
void _tally_scheduler_note_answer (TallyScheduler *self);
gboolean _tally_scheduler_has_answered (TallyScheduler *self);

gint64 _tally_scheduler_get_max_page_size (TallyScheduler *self);
void _tally_scheduler_set_max_page_size (TallyScheduler *self,
                                         gint64 max_page_size);

/* Timing of retries and waits, process-wide. The defaults are the product's;
 * the environment variable TALLY_RETRY_SCALE (a factor in 0.001 … 1) shortens
 * the backoff, the retry budget and the bound on rate-limit waits (tests set
 * it so failing servers end quickly). Retry-After itself is never scaled. */
typedef struct
{
  double backoff_scale;       /* factor on 0.5 s · 2^attempt (cap 8 s) */
  gint64 retry_budget_us;     /* no new retry once a request has failed for this long */
  gint64 rate_limit_bound_us; /* total time one request may wait for rate limits */
  gint64 heavy_interval_us;   /* pacing of heavy routes after a 429 */
  guint max_in_flight;        /* per server */
} TallySchedTiming;

const TallySchedTiming *_tally_scheduler_get_timing (void);
/* For tests: replaces the timing (NULL = back to the defaults and the environment). */
void _tally_scheduler_set_timing (const TallySchedTiming *timing);

/* Destroys and unrefs *@source, if any, and sets it to NULL. */
void _tally_clear_source (GSource **source);

G_END_DECLS
