package com.revops.feedback.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The service's own settings (prefix {@code feedback}); each is overridable by environment variable. */
@ConfigMapping(prefix = "feedback")
public interface FeedbackConfig {

    /** Lead statuses that mean "disqualified", per CRM ({@code hubspot}, {@code salesforce}); compared without case. */
    Map<String, List<String>> disqualifiedStatuses();

    Loop loop();

    Recycling recycling();

    Requalify requalify();

    Timers timers();

    Scoring scoring();

    /** {@code feedback.notify.*} ({@code notify()} is taken by {@link Object}). */
    @io.smallrye.config.WithName("notify")
    Notify notifications();

    Escalation escalation();

    /** How long an insights read (aggregates, trends, scoring) is served from memory; 0 turns the cache off. */
    @WithDefault("30s")
    Duration insightsCacheTtl();

    /** Rows a CSV export may hold; a larger export is refused with a 422 asking for a narrower filter. */
    @WithDefault("100000")
    int exportMaxRows();

    /** The missing-reason loop. */
    interface Loop {
        /** Time between reminders to the owner while the reason is missing. */
        @WithDefault("P1D")
        Duration reminderEvery();

        /** Reminders after the first request, before the loop relies on the manager alone. */
        @WithDefault("3")
        int maxReminders();

        /** The manager is told once the reason has been missing this long. */
        @WithDefault("P3D")
        Duration managerAfter();

        /** Due date given to the CRM task asking for the reason. */
        @WithDefault("P1D")
        Duration taskDueIn();
    }

    /** Recycling of recyclable reasons back to nurture. */
    interface Recycling {
        /** How many times one lead may be recycled; a later recyclable disqualification is not recycled again. */
        @WithDefault("2")
        int cap();

        /** The lead status that means "nurture", per CRM. */
        Map<String, String> status();
    }

    /** The lead status set in the CRM when a dispute re-qualifies a lead, per CRM. */
    interface Requalify {
        Map<String, String> status();
    }

    /** The durable timer poller. */
    interface Timers {
        @WithDefault("5s")
        Duration pollInterval();

        /** Timers fired per poll at most (each in its own transaction). */
        @WithDefault("100")
        int batchSize();

        /** A timer whose effect keeps failing is retried this many times, then left with its error. */
        @WithDefault("10")
        int maxAttempts();
    }

    /** Scoring feedback. */
    interface Scoring {
        /** Confidence level of the Wilson intervals, as the normal quantile (1.96 = 95%). */
        @WithDefault("1.96")
        double z();

        /** Fewer leads than this for a value: no adjustment is suggested. */
        @WithDefault("30")
        int minSample();

        /** Score points per unit of probability between the interval and the baseline. */
        @WithDefault("100")
        double pointsPerUnit();

        /** Largest suggested adjustment, in score points, either way. */
        @WithDefault("20")
        int maxPoints();

        /** The CRM contact/lead field that receives a lead's summed adjustment, per CRM (record.fields.set). */
        Map<String, String> crmField();

        /** Open leads written to the CRM per publication at most (one command each). */
        @WithDefault("10000")
        int crmWriteMax();

        Schedule schedule();
    }

    /** The scheduled publication of scoring feedback (once per period across replicas). */
    interface Schedule {
        @WithDefault("true")
        boolean enabled();

        /** The period: one publication per period, periods counted from the epoch in UTC (P1D: daily at 00:00). */
        @WithDefault("P1D")
        Duration every();

        /** The lead cohort published: leads created in [period start - lookback, period start). */
        @WithDefault("P90D")
        Duration lookback();

        /** Dimensions published (default: the scoring attributes). */
        java.util.Optional<List<String>> dimensions();

        /** Also write each open lead's adjustment to its CRM record (changes only, with cleanup at zero). */
        @WithDefault("false")
        boolean writeToCrm();

        /** How often each replica checks whether the current period is published (cheap: one locked row). */
        @WithDefault("60s")
        Duration checkEvery();
    }

    /** Delivery of notifications to people (the manager escalation). */
    interface Notify {
        /** The notifier that delivers ({@code webhook}: Slack-compatible JSON POSTed to an incoming webhook). */
        @WithDefault("webhook")
        String channel();

        /** Service-wide webhook URL; empty: notifications without a team override are kept as SKIPPED. */
        java.util.Optional<String> webhookUrl();

        @WithDefault("5s")
        Duration pollInterval();

        /** Notifications claimed per poll at most. */
        @WithDefault("20")
        int batchSize();

        /** Delivery attempts before a notification is FAILED (an admin can retry it). */
        @WithDefault("8")
        int maxAttempts();

        /** First back-off after a failed attempt, doubled each time up to {@link #backoffCap()}. */
        @WithDefault("30s")
        Duration backoff();

        @WithDefault("PT1H")
        Duration backoffCap();

        /** A claimed notification is not claimed again for this long (longer than the timeout). */
        @WithDefault("60s")
        Duration lease();

        /** HTTP timeout of one delivery. */
        @WithDefault("10s")
        Duration timeout();
    }

    /** Who is told when a reason stays missing, for teams without an escalation contact. */
    interface Escalation {
        java.util.Optional<String> defaultManager();

        /** The default manager's HubSpot owner id: a task.create for them in HubSpot. */
        java.util.Optional<String> defaultOwnerHubspot();

        /** The default manager's Salesforce user id. */
        java.util.Optional<String> defaultOwnerSalesforce();

        /** Due date of the manager's CRM task. */
        @WithDefault("P1D")
        Duration taskDueIn();
    }

    /** True when {@code status} is a disqualified status of {@code crm}. */
    default boolean isDisqualified(String crm, String status) {
        if (crm == null || status == null) {
            return false;
        }
        List<String> statuses = disqualifiedStatuses().get(crm.toLowerCase(Locale.ROOT));
        return statuses != null && statuses.stream().anyMatch(s -> s.trim().equalsIgnoreCase(status.trim()));
    }
}
