/* tally-scheduler.c: one request queue per server origin, shared by the whole process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * State is guarded by one process-wide mutex (the registry's). A queued
 * ticket that is held back by time (a pause or the pacing of heavy routes)
 * arms a timer in its own main context; a ticket held back by the in-flight
 * cap is woken when a slot frees up. Callbacks always run from a GSource in
 * the ticket's context, never from inside the caller's stack.
 */

#define G_LOG_DOMAIN "tally-scheduler"

#include "config.h"

#include <stdlib.h>

#include "tally-scheduler-private.h"

#define DEFAULT_RETRY_BUDGET_US (60 * G_USEC_PER_SEC)
#define DEFAULT_RATE_LIMIT_BOUND_US (5 * 60 * G_USEC_PER_SEC)
#define DEFAULT_HEAVY_INTERVAL_US (G_USEC_PER_SEC)
#define DEFAULT_MAX_IN_FLIGHT 6

typedef enum
{
  TICKET_QUEUED,
  TICKET_DISPATCHED,
} TicketState;

typedef struct
{
  TallyScheduler *scheduler; /* owned reference */
  TallySchedClass klass;
  TallySchedPriority priority;
  guint64 seq;
  TicketState state;
  GMainContext *context;
  GCancellable *cancellable;
  GSource *cancel_source;
  GSource *timer;
  GSource *idle;
  TallySchedReadyFunc ready;
  gpointer data;
} Ticket;

struct _TallyScheduler
{
  gint ref_count; /* guarded by registry_lock */
  char *origin;

  GQueue queue; /* Ticket *, sorted by (priority, seq) */
  guint64 next_seq;
  guint in_flight;
  gint64 resume_at[2]; /* per class, monotonic µs; 0 = not paused */
  gint64 last_heavy_sent;
  gboolean limited; /* a 429 has been seen: pace heavy routes */
  gboolean answered;
  gint64 max_page_size;
};

static GMutex registry_lock;
static GHashTable *registry; /* origin → TallyScheduler * (borrowed) */

static TallySchedTiming timing;
static gboolean timing_set;

/* ------------------------------------------------------------------------ */
/* Timing                                                                   */

static void
timing_init_locked (void)
{
  const char *env;
  double scale = 1.0;

  if (timing_set)
    return;

  env = g_getenv ("TALLY_RETRY_SCALE");
  if (env != NULL && env[0] != '\0')
    {
      char *end = NULL;
      double value = g_ascii_strtod (env, &end);

      if (end != NULL && *end == '\0' && value >= 0.001 && value <= 1.0)
        scale = value;
      else
        g_warning ("TALLY_RETRY_SCALE=%s is not a number in 0.001 … 1: ignored", env);
    }

  timing.backoff_scale = scale;
  timing.retry_budget_us = (gint64) (DEFAULT_RETRY_BUDGET_US * scale);
  timing.rate_limit_bound_us = (gint64) (DEFAULT_RATE_LIMIT_BOUND_US * scale);
  timing.heavy_interval_us = DEFAULT_HEAVY_INTERVAL_US;
  timing.max_in_flight = DEFAULT_MAX_IN_FLIGHT;
  timing_set = TRUE;
}

const TallySchedTiming *
_tally_scheduler_get_timing (void)
{
  g_mutex_lock (&registry_lock);
  timing_init_locked ();
  g_mutex_unlock (&registry_lock);

  return &timing;
}

void
_tally_scheduler_set_timing (const TallySchedTiming *new_timing)
{
  g_mutex_lock (&registry_lock);
  if (new_timing != NULL)
    {
      timing = *new_timing;
      timing.max_in_flight = MAX (timing.max_in_flight, 1);
      timing_set = TRUE;
    }
  else
    {
      timing_set = FALSE;
      timing_init_locked ();
    }
  g_mutex_unlock (&registry_lock);
}

/* ------------------------------------------------------------------------ */
/* Registry                                                                 */

TallyScheduler *
_tally_scheduler_acquire (const char *origin)
{
  TallyScheduler *self;

  g_return_val_if_fail (origin != NULL, NULL);

  g_mutex_lock (&registry_lock);
  timing_init_locked ();
  if (registry == NULL)
    registry = g_hash_table_new (g_str_hash, g_str_equal);

  self = g_hash_table_lookup (registry, origin);
  if (self == NULL)
    {
      self = g_new0 (TallyScheduler, 1);
      self->origin = g_strdup (origin);
      self->max_page_size = TALLY_SCHED_DEFAULT_MAX_PAGE_SIZE;
      g_queue_init (&self->queue);
      g_hash_table_insert (registry, self->origin, self);
    }
  self->ref_count++;
  g_mutex_unlock (&registry_lock);

  return self;
}

static void
scheduler_unref_locked (TallyScheduler *self)
{
  g_assert (self->ref_count > 0);

  if (--self->ref_count > 0)
    return;

  g_assert (g_queue_is_empty (&self->queue));
  g_hash_table_remove (registry, self->origin);
  if (g_hash_table_size (registry) == 0)
    g_clear_pointer (&registry, g_hash_table_unref);
  g_free (self->origin);
  g_free (self);
}

void
_tally_scheduler_unref (TallyScheduler *self)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&registry_lock);
  scheduler_unref_locked (self);
  g_mutex_unlock (&registry_lock);
}

/* ------------------------------------------------------------------------ */
/* Tickets                                                                  */

static void kick_locked (TallyScheduler *self);

void
_tally_clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_source_unref (*source);
  *source = NULL;
}

/* Called in the ticket's context once it has left the queue. */
static void
ticket_free (Ticket *ticket)
{
  g_mutex_lock (&registry_lock);
  _tally_clear_source (&ticket->cancel_source);
  _tally_clear_source (&ticket->timer);
  _tally_clear_source (&ticket->idle);
  scheduler_unref_locked (ticket->scheduler);
  g_mutex_unlock (&registry_lock);

  g_clear_object (&ticket->cancellable);
  g_main_context_unref (ticket->context);
  g_free (ticket);
}

static gboolean
ticket_dispatch_cb (gpointer user_data)
{
  Ticket *ticket = user_data;
  TallySchedReadyFunc ready = ticket->ready;
  gpointer data = ticket->data;

  ticket_free (ticket);
  ready (data, FALSE);

  return G_SOURCE_REMOVE;
}

static gboolean
ticket_cancelled_cb (GCancellable *cancellable,
                     gpointer user_data)
{
  Ticket *ticket = user_data;
  TallySchedReadyFunc ready = ticket->ready;
  gpointer data = ticket->data;
  gboolean queued;

  g_mutex_lock (&registry_lock);
  queued = ticket->state == TICKET_QUEUED;
  if (queued)
    g_queue_remove (&ticket->scheduler->queue, ticket);
  else
    _tally_clear_source (&ticket->cancel_source); /* the dispatch idle is pending: it goes on */
  g_mutex_unlock (&registry_lock);

  if (!queued)
    return G_SOURCE_REMOVE;

  ticket_free (ticket);
  ready (data, TRUE);

  return G_SOURCE_REMOVE;
}

static gboolean
ticket_timer_cb (gpointer user_data)
{
  Ticket *ticket = user_data;

  g_mutex_lock (&registry_lock);
  _tally_clear_source (&ticket->timer);
  kick_locked (ticket->scheduler);
  g_mutex_unlock (&registry_lock);

  return G_SOURCE_REMOVE;
}

static void
ticket_arm_timer_locked (Ticket *ticket,
                         gint64 at)
{
  gint64 now = g_get_monotonic_time ();
  guint ms = at > now ? (guint) MIN ((at - now + 999) / 1000, G_MAXUINT) : 0;

  _tally_clear_source (&ticket->timer);
  ticket->timer = g_timeout_source_new (ms);
  g_source_set_callback (ticket->timer, ticket_timer_cb, ticket, NULL);
  g_source_set_static_name (ticket->timer, "[tally] scheduler wait");
  g_source_attach (ticket->timer, ticket->context);
}

static gint64
class_resume_locked (TallyScheduler *self,
                     TallySchedClass klass,
                     gint64 now)
{
  gint64 resume = self->resume_at[klass];

  /* the general limit covers the heavy routes too */
  if (klass == TALLY_SCHED_HEAVY)
    resume = MAX (resume, self->resume_at[TALLY_SCHED_GENERAL]);

  return resume > now ? resume : 0;
}

/* Sends whatever may go now, in queue order; arms timers for the rest. */
static void
kick_locked (TallyScheduler *self)
{
  gint64 now = g_get_monotonic_time ();
  gboolean heavy_blocked = FALSE;
  GList *link = self->queue.head;

  while (link != NULL)
    {
      Ticket *ticket = link->data;
      GList *next = link->next;
      gint64 hold = class_resume_locked (self, ticket->klass, now);

      if (ticket->klass == TALLY_SCHED_HEAVY)
        {
          if (hold == 0 && self->limited && self->last_heavy_sent != 0 && now < self->last_heavy_sent + timing.heavy_interval_us)
            hold = self->last_heavy_sent + timing.heavy_interval_us;
          /* one paced slot at a time: later heavy tickets wait behind this one */
          if (hold == 0 && heavy_blocked)
            {
              link = next;
              continue;
            }
        }

      if (hold != 0)
        {
          if (ticket->klass == TALLY_SCHED_HEAVY)
            heavy_blocked = TRUE;
          if (ticket->timer == NULL)
            ticket_arm_timer_locked (ticket, hold);
          link = next;
          continue;
        }

      if (self->in_flight >= timing.max_in_flight)
        break; /* woken by _tally_scheduler_done() */

      g_queue_delete_link (&self->queue, link);
      ticket->state = TICKET_DISPATCHED;
      _tally_clear_source (&ticket->timer);
      self->in_flight++;
      if (ticket->klass == TALLY_SCHED_HEAVY)
        {
          self->last_heavy_sent = now;
          if (self->limited)
            heavy_blocked = TRUE;
        }

      ticket->idle = g_idle_source_new ();
      g_source_set_priority (ticket->idle, G_PRIORITY_DEFAULT);
      g_source_set_callback (ticket->idle, ticket_dispatch_cb, ticket, NULL);
      g_source_set_static_name (ticket->idle, "[tally] scheduler send");
      g_source_attach (ticket->idle, ticket->context);

      link = next;
    }

  g_debug ("%s: %u queued, %u in flight", self->origin, self->queue.length, self->in_flight);
}

static gint
compare_tickets (gconstpointer a,
                 gconstpointer b,
                 gpointer user_data)
{
  const Ticket *x = a;
  const Ticket *y = b;

  if (x->priority != y->priority)
    return x->priority < y->priority ? -1 : 1;

  return x->seq < y->seq ? -1 : x->seq > y->seq ? 1
                                                : 0;
}

gint64
_tally_scheduler_queue (TallyScheduler *self,
                        TallySchedClass klass,
                        TallySchedPriority priority,
                        GCancellable *cancellable,
                        TallySchedReadyFunc ready,
                        gpointer data)
{
  Ticket *ticket;
  gint64 hold;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (ready != NULL, 0);

  ticket = g_new0 (Ticket, 1);
  ticket->klass = klass;
  ticket->priority = priority;
  ticket->context = g_main_context_ref_thread_default ();
  ticket->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  ticket->ready = ready;
  ticket->data = data;

  g_mutex_lock (&registry_lock);
  self->ref_count++;
  ticket->scheduler = self;
  ticket->seq = self->next_seq++;

  if (cancellable != NULL)
    {
      ticket->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (ticket->cancel_source, (GSourceFunc) (GCallback) ticket_cancelled_cb, ticket, NULL);
      g_source_set_static_name (ticket->cancel_source, "[tally] scheduler cancel");
      g_source_attach (ticket->cancel_source, ticket->context);
    }

  g_queue_insert_sorted (&self->queue, ticket, compare_tickets, NULL);
  hold = class_resume_locked (self, klass, g_get_monotonic_time ());
  kick_locked (self);
  g_mutex_unlock (&registry_lock);

  return hold;
}

void
_tally_scheduler_done (TallyScheduler *self)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&registry_lock);
  g_assert (self->in_flight > 0);
  self->in_flight--;
  kick_locked (self);
  g_mutex_unlock (&registry_lock);
}

gint64
_tally_scheduler_rate_limited (TallyScheduler *self,
                               TallySchedClass klass,
                               gint64 resume_at)
{
  gint64 resume;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&registry_lock);
  self->limited = TRUE;
  self->resume_at[klass] = MAX (self->resume_at[klass], resume_at);
  resume = class_resume_locked (self, klass, g_get_monotonic_time ());
  /* queued tickets of the class may have timers for an earlier time: rearm */
  for (GList *l = self->queue.head; l != NULL; l = l->next)
    _tally_clear_source (&((Ticket *) l->data)->timer);
  kick_locked (self);
  g_mutex_unlock (&registry_lock);

  return resume;
}

gint64
_tally_scheduler_get_resume_time (TallyScheduler *self,
                                  TallySchedClass klass)
{
  gint64 resume;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&registry_lock);
  resume = class_resume_locked (self, klass, g_get_monotonic_time ());
  g_mutex_unlock (&registry_lock);

  return resume;
}

void
_tally_scheduler_note_answer (TallyScheduler *self)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&registry_lock);
  self->answered = TRUE;
  g_mutex_unlock (&registry_lock);
}

gboolean
_tally_scheduler_has_answered (TallyScheduler *self)
{
  gboolean answered;

  g_return_val_if_fail (self != NULL, FALSE);

  g_mutex_lock (&registry_lock);
  answered = self->answered;
  g_mutex_unlock (&registry_lock);

  return answered;
}

gint64
_tally_scheduler_get_max_page_size (TallyScheduler *self)
{
  gint64 size;

  g_return_val_if_fail (self != NULL, TALLY_SCHED_DEFAULT_MAX_PAGE_SIZE);

  g_mutex_lock (&registry_lock);
  size = self->max_page_size;
  g_mutex_unlock (&registry_lock);

  return size;
}

void
_tally_scheduler_set_max_page_size (TallyScheduler *self,
                                    gint64 max_page_size)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (max_page_size > 0);

  g_mutex_lock (&registry_lock);
  self->max_page_size = max_page_size;
  g_mutex_unlock (&registry_lock);
}
