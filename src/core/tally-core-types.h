/* tally-core-types.h: forward declarations and enums shared by libtally-core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _TallyApiKey TallyApiKey;
typedef struct _TallyAuthResult TallyAuthResult;
typedef struct _TallyClient TallyClient;
typedef struct _TallyDashboardStats TallyDashboardStats;
typedef struct _TallyGroup TallyGroup;
typedef struct _TallyKeyUsage TallyKeyUsage;
typedef struct _TallyModelBreakdown TallyModelBreakdown;
typedef struct _TallyModelStat TallyModelStat;
typedef struct _TallyPage TallyPage;
typedef struct _TallyPublicSettings TallyPublicSettings;
typedef struct _TallySession TallySession;
typedef struct _TallyTrend TallyTrend;
typedef struct _TallyTrendPoint TallyTrendPoint;
typedef struct _TallyUsageLog TallyUsageLog;
typedef struct _TallyUsageQuery TallyUsageQuery;
typedef struct _TallyUsageStats TallyUsageStats;
typedef struct _TallyUser TallyUser;

/**
 * TallyGranularity:
 * @TALLY_GRANULARITY_DAY: one bucket per server calendar day
 * @TALLY_GRANULARITY_HOUR: one bucket per server hour
 */
typedef enum
{
  TALLY_GRANULARITY_DAY,
  TALLY_GRANULARITY_HOUR,
} TallyGranularity;

/**
 * TallyStreamFilter:
 * @TALLY_STREAM_ANY: streamed and synchronous requests
 * @TALLY_STREAM_STREAM: only streamed requests (`stream=true`)
 * @TALLY_STREAM_SYNC: only synchronous requests (`stream=false`)
 */
typedef enum
{
  TALLY_STREAM_ANY,
  TALLY_STREAM_STREAM,
  TALLY_STREAM_SYNC,
} TallyStreamFilter;

/**
 * TallyBillingType:
 * @TALLY_BILLING_ANY: no filter (only meaningful in a query)
 * @TALLY_BILLING_BALANCE: billing_type 0, charged to the wallet
 * @TALLY_BILLING_SUBSCRIPTION: billing_type 1, counted against a subscription
 *
 * In a #TallyUsageQuery this is the filter. On a #TallyUsageLog the row's
 * billing_type maps to BALANCE (0) or SUBSCRIPTION (1); any other value the
 * server sends is kept as the raw integer by tally_usage_log_get_billing_type().
 */
typedef enum
{
  TALLY_BILLING_ANY = -1,
  TALLY_BILLING_BALANCE = 0,
  TALLY_BILLING_SUBSCRIPTION = 1,
} TallyBillingType;

G_END_DECLS
