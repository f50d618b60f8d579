package com.revops.attribution.deals;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

import com.revops.attribution.models.Money;
import com.revops.platform.events.MalformedEventException;
import com.revops.platform.web.ProblemException;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Records deals, their stage and amount history, their contacts, people and first touches. Runs inside the
 * caller's transaction (the idempotent consumer's, or {@code @WithTransaction} for REST imports), through the
 * Hibernate session, so the inbox record and the effect commit together. Every change queues the affected deals
 * for the incremental recompute ({@code deal_dirty}).
 */
@ApplicationScoped
public class DealIntakeService {

    private final String defaultCurrency;

    public DealIntakeService(@ConfigProperty(name = "attribution.default-currency", defaultValue = "USD")
    String defaultCurrency) {
        this.defaultCurrency = defaultCurrency;
    }

    /** Applies a {@code deal.changed} event; bad amounts or currencies are malformed (dead-lettered, nothing kept). */
    public Uni<Void> apply(DealChanged d, Instant eventTime) {
        if (d.dealId() == null || d.crm() == null || d.crmId() == null) {
            throw new MalformedEventException("deal.changed needs dealId, crm and crmId");
        }
        Instant at = d.modifiedAt() != null ? d.modifiedAt() : eventTime != null ? eventTime : Instant.now();
        String currency = d.currency() == null || d.currency().isBlank() ? defaultCurrency : d.currency().trim();
        if (!Money.isKnownCurrency(currency)) {
            throw new MalformedEventException("deal.changed " + d.dealId() + ": unknown currency " + currency);
        }
        Long amountMinor = null;
        if (d.amount() != null && !d.amount().isBlank()) {
            BigDecimal amount;
            try {
                amount = new BigDecimal(d.amount().trim());
            } catch (NumberFormatException e) {
                throw new MalformedEventException("deal.changed " + d.dealId() + ": amount is not a number");
            }
            if (amount.signum() < 0) {
                throw new MalformedEventException("deal.changed " + d.dealId() + ": negative amount " + amount);
            }
            amountMinor = Money.toMinor(amount, currency, false);
        }
        Instant created = parseInstant(d.createdAt());
        boolean isNew = Boolean.TRUE.equals(d.isNew());
        boolean deleted = Boolean.TRUE.equals(d.deleted());
        Instant createdAt = created != null ? created : at;
        Long amountForRow = amountMinor;
        return session().chain(s -> s.createNativeQuery("""
                INSERT INTO deal (id, crm, crm_id, name, stage, pipeline, amount_minor, currency, owner, created_at,
                                  close_date, deleted, updated_at)
                VALUES (:id, :crm, :crmId, cast(:name as text), cast(:stage as text), cast(:pipeline as text),
                        coalesce(cast(:amount as bigint), 0), :currency, cast(:owner as text), :createdAt,
                        cast(:closeDate as text), :deleted, :at)
                ON CONFLICT (id) DO UPDATE SET
                    name = coalesce(EXCLUDED.name, deal.name), stage = coalesce(EXCLUDED.stage, deal.stage),
                    pipeline = coalesce(EXCLUDED.pipeline, deal.pipeline),
                    amount_minor = CASE WHEN cast(:amount as bigint) IS NULL THEN deal.amount_minor
                                        ELSE EXCLUDED.amount_minor END,
                    currency = EXCLUDED.currency, owner = coalesce(EXCLUDED.owner, deal.owner),
                    close_date = coalesce(EXCLUDED.close_date, deal.close_date), deleted = EXCLUDED.deleted,
                    updated_at = EXCLUDED.updated_at
                WHERE deal.updated_at <= EXCLUDED.updated_at""")
                .setParameter("id", d.dealId()).setParameter("crm", d.crm()).setParameter("crmId", d.crmId())
                .setParameter("name", d.name()).setParameter("stage", d.stage()).setParameter("pipeline", d.pipeline())
                .setParameter("amount", amountForRow).setParameter("currency", currency)
                .setParameter("owner", d.owner()).setParameter("createdAt", createdAt)
                .setParameter("closeDate", d.closeDate()).setParameter("deleted", deleted).setParameter("at", at)
                .executeUpdate()
                .chain(() -> d.stage() == null || !(isNew || d.changed("stage") || d.changes() == null)
                        ? Uni.createFrom().voidItem()
                        : stage(s, d.dealId(), isNew && created != null ? created : at, d.stage()))
                .chain(() -> amountForRow == null || !(isNew || d.changed("amount") || d.changed("currency")
                        || d.changes() == null)
                        ? Uni.createFrom().voidItem()
                        : amount(s, d.dealId(), isNew && created != null ? created : at, amountForRow, currency))
                .chain(() -> contacts(s, d.dealId(), d.contactLeadIds()))
                .chain(() -> dirty(s, d.dealId())));
    }

    /** Imports or replaces a deal with its full history (REST). Validated first: nothing is stored on bad input. */
    @WithTransaction
    public Uni<UUID> importDeal(DealImport d) {
        var violations = d.violations();
        if (!violations.isEmpty()) {
            return Uni.createFrom().failure(new ProblemException.Unprocessable("the deal is not valid", violations));
        }
        UUID id = d.id() != null ? d.id()
                : UUID.nameUUIDFromBytes((d.crm() + ":deal:" + d.crmId())
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        var stages = new ArrayList<>(d.stageHistory());
        stages.sort(java.util.Comparator.comparing(DealImport.StageAt::at));
        var amounts = new ArrayList<>(d.amountHistory());
        amounts.sort(java.util.Comparator.comparing(DealImport.AmountAt::at));
        DealImport.AmountAt latest = amounts.get(amounts.size() - 1);
        String latestStage = stages.get(stages.size() - 1).stage();
        return session().chain(s -> s.createNativeQuery("""
                INSERT INTO deal (id, crm, crm_id, name, account_domain, stage, amount_minor, currency, owner, team,
                                  source, created_at, deleted, updated_at)
                VALUES (:id, :crm, :crmId, cast(:name as text), cast(:domain as text), :stage, :amount, :currency,
                        cast(:owner as text), cast(:team as text), cast(:source as text), :createdAt, false, now())
                ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, account_domain = EXCLUDED.account_domain,
                    stage = EXCLUDED.stage, amount_minor = EXCLUDED.amount_minor, currency = EXCLUDED.currency,
                    owner = EXCLUDED.owner, team = EXCLUDED.team, source = EXCLUDED.source,
                    created_at = EXCLUDED.created_at, deleted = false, updated_at = now()""")
                .setParameter("id", id).setParameter("crm", d.crm()).setParameter("crmId", d.crmId())
                .setParameter("name", d.name()).setParameter("domain", lower(d.accountDomain()))
                .setParameter("stage", latestStage)
                .setParameter("amount", Money.toMinor(latest.amount(), latest.currency(), true))
                .setParameter("currency", latest.currency()).setParameter("owner", d.owner())
                .setParameter("team", d.team()).setParameter("source", d.source())
                .setParameter("createdAt", d.createdAt())
                .executeUpdate()
                .chain(() -> s.createNativeQuery("DELETE FROM deal_stage_change WHERE deal_id = :id")
                        .setParameter("id", id).executeUpdate())
                .chain(() -> s.createNativeQuery("DELETE FROM deal_amount_change WHERE deal_id = :id")
                        .setParameter("id", id).executeUpdate())
                .chain(() -> s.createNativeQuery("DELETE FROM deal_contact WHERE deal_id = :id")
                        .setParameter("id", id).executeUpdate())
                .chain(() -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (var st : stages) {
                        chain = chain.chain(() -> stage(s, id, st.at(), st.stage()));
                    }
                    for (var a : amounts) {
                        chain = chain.chain(() -> amount(s, id, a.at(), Money.toMinor(a.amount(), a.currency(), true),
                                a.currency()));
                    }
                    if (d.contacts() != null) {
                        for (var c : d.contacts()) {
                            chain = chain.chain(() -> s.createNativeQuery("""
                                    INSERT INTO deal_contact (deal_id, lead_id, role, is_primary)
                                    VALUES (:deal, :lead, :role, :primary) ON CONFLICT (deal_id, lead_id) DO UPDATE
                                    SET role = EXCLUDED.role, is_primary = EXCLUDED.is_primary""")
                                    .setParameter("deal", id).setParameter("lead", c.leadId())
                                    .setParameter("role", c.role() == null ? "contact" : c.role())
                                    .setParameter("primary", Boolean.TRUE.equals(c.primary()))
                                    .executeUpdate().replaceWithVoid());
                        }
                    }
                    return chain;
                })
                .chain(() -> dirty(s, id)))
                .replaceWith(id);
    }

    /** A person announced by the gateway: their lead source and creation time, and their touches linked to them. */
    public Uni<Void> leadCreated(LeadEvents.LeadCreated l) {
        if (l.leadId() == null) {
            throw new MalformedEventException("lead.created needs leadId");
        }
        String email = lower(l.email());
        String domain = l.accountDomain() != null ? lower(l.accountDomain())
                : email != null && email.contains("@") ? email.substring(email.indexOf('@') + 1) : null;
        return session().chain(s -> s.createNativeQuery("""
                INSERT INTO lead_fact (lead_id, crm, crm_id, email, account_domain, source, channel, campaign,
                                       created_at, updated_at)
                VALUES (:id, cast(:crm as text), cast(:crmId as text), cast(:email as text), cast(:domain as text),
                        cast(:source as text), cast(:channel as text), cast(:campaign as text),
                        cast(:createdAt as timestamptz), now())
                ON CONFLICT (lead_id) DO UPDATE SET crm = coalesce(lead_fact.crm, EXCLUDED.crm),
                    crm_id = coalesce(lead_fact.crm_id, EXCLUDED.crm_id), email = EXCLUDED.email,
                    account_domain = EXCLUDED.account_domain, source = EXCLUDED.source, channel = EXCLUDED.channel,
                    campaign = EXCLUDED.campaign,
                    created_at = least(lead_fact.created_at, EXCLUDED.created_at), updated_at = now()""")
                .setParameter("id", l.leadId()).setParameter("crm", l.crm()).setParameter("crmId", l.crmId())
                .setParameter("email", email).setParameter("domain", domain).setParameter("source", l.source())
                .setParameter("channel", l.channel()).setParameter("campaign", l.campaign())
                .setParameter("createdAt", l.createdAt())
                .executeUpdate()
                .chain(() -> email == null ? Uni.createFrom().item(0) : s.createNativeQuery(
                        "UPDATE touchpoint SET lead_id = :id WHERE person_email = :email AND lead_id IS NULL")
                        .setParameter("id", l.leadId()).setParameter("email", email).executeUpdate())
                .chain(() -> s.createNativeQuery("""
                        INSERT INTO deal_dirty (deal_id) SELECT DISTINCT deal_id FROM deal_contact WHERE lead_id = :id
                        ON CONFLICT (deal_id) DO UPDATE SET marked_at = excluded.marked_at""")
                        .setParameter("id", l.leadId()).executeUpdate())
                .replaceWithVoid());
    }

    /** Routing's first touch of a lead: the TTFT facts by channel. */
    public Uni<Void> firstTouched(LeadEvents.LeadFirstTouched f) {
        if (f.leadId() == null || f.touchedAt() == null) {
            throw new MalformedEventException("lead.first-touched needs leadId and touchedAt");
        }
        return session().chain(s -> s.createNativeQuery("""
                INSERT INTO lead_fact (lead_id, channel, source, first_touched_at, ttft_seconds, first_touch_via,
                                       updated_at)
                VALUES (:id, cast(:channel as text), cast(:source as text), :at, cast(:ttft as bigint),
                        cast(:via as text), now())
                ON CONFLICT (lead_id) DO UPDATE SET
                    channel = coalesce(lead_fact.channel, EXCLUDED.channel),
                    source = coalesce(lead_fact.source, EXCLUDED.source),
                    first_touched_at = EXCLUDED.first_touched_at, ttft_seconds = EXCLUDED.ttft_seconds,
                    first_touch_via = EXCLUDED.first_touch_via, updated_at = now()
                WHERE lead_fact.first_touched_at IS NULL OR lead_fact.first_touched_at >= EXCLUDED.first_touched_at""")
                .setParameter("id", f.leadId()).setParameter("channel", f.channel()).setParameter("source", f.source())
                .setParameter("at", f.touchedAt()).setParameter("ttft", f.ttftSeconds())
                .setParameter("via", f.via()).executeUpdate().replaceWithVoid());
    }

    /** A touchpoint arrived: link it to its person and queue the deals it may belong to. */
    public Uni<Void> touchRecorded(UUID touchpointId, String email, String domain) {
        return session().chain(s -> (email == null ? Uni.createFrom().item(0) : s.createNativeQuery("""
                UPDATE touchpoint SET lead_id = (SELECT lead_id FROM lead_fact WHERE email = :email
                                                  ORDER BY created_at NULLS LAST LIMIT 1)
                 WHERE id = :id AND lead_id IS NULL""").setParameter("email", email).setParameter("id", touchpointId)
                .executeUpdate())
                .chain(() -> s.createNativeQuery("""
                        INSERT INTO deal_dirty (deal_id)
                        SELECT dc.deal_id FROM deal_contact dc JOIN lead_fact lf ON lf.lead_id = dc.lead_id
                         WHERE lf.email = cast(:email as text)
                        UNION SELECT d.id FROM deal d WHERE d.account_domain = cast(:domain as text)
                        ON CONFLICT (deal_id) DO UPDATE SET marked_at = excluded.marked_at""")
                        .setParameter("email", email).setParameter("domain", lower(domain))
                        .executeUpdate())
                .replaceWithVoid());
    }

    /** A touch already linked to a person: queue the deals of that person and of the account. */
    public Uni<Void> touchOfLead(UUID leadId, String domain) {
        return session().chain(s -> s.createNativeQuery("""
                INSERT INTO deal_dirty (deal_id)
                SELECT deal_id FROM deal_contact WHERE lead_id = :lead
                UNION SELECT d.id FROM deal d WHERE d.account_domain = cast(:domain as text)
                ON CONFLICT (deal_id) DO UPDATE SET marked_at = excluded.marked_at""")
                .setParameter("lead", leadId).setParameter("domain", lower(domain))
                .executeUpdate().replaceWithVoid());
    }

    private Uni<Void> stage(Mutiny.Session s, UUID deal, Instant at, String stage) {
        return s.createNativeQuery("""
                INSERT INTO deal_stage_change (deal_id, changed_at, stage) VALUES (:deal, :at, :stage)
                ON CONFLICT DO NOTHING""").setParameter("deal", deal).setParameter("at", at)
                .setParameter("stage", stage).executeUpdate().replaceWithVoid();
    }

    private Uni<Void> amount(Mutiny.Session s, UUID deal, Instant at, long minor, String currency) {
        return s.createNativeQuery("""
                INSERT INTO deal_amount_change (deal_id, changed_at, amount_minor, currency)
                VALUES (:deal, :at, :amount, :currency)
                ON CONFLICT (deal_id, changed_at) DO UPDATE SET amount_minor = EXCLUDED.amount_minor,
                    currency = EXCLUDED.currency""").setParameter("deal", deal).setParameter("at", at)
                .setParameter("amount", minor).setParameter("currency", currency).executeUpdate().replaceWithVoid();
    }

    /**
     * Contacts from the gateway's {@code contactLeadIds} (CRM contact id -> lead id). The CRM event carries no
     * roles: each is a "contact", and the one with the smallest CRM id is the primary contact, unless an import set
     * roles explicitly.
     */
    private Uni<Void> contacts(Mutiny.Session s, UUID deal, Map<String, UUID> contactLeadIds) {
        if (contactLeadIds == null || contactLeadIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        TreeMap<String, UUID> sorted = new TreeMap<>(contactLeadIds);
        String primary = sorted.firstKey();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (var e : sorted.entrySet()) {
            chain = chain.chain(() -> s.createNativeQuery("""
                    INSERT INTO deal_contact (deal_id, lead_id, crm_contact_id, role, is_primary)
                    VALUES (:deal, :lead, :crmId, 'contact', :primary)
                    ON CONFLICT (deal_id, lead_id) DO UPDATE SET crm_contact_id = EXCLUDED.crm_contact_id""")
                    .setParameter("deal", deal).setParameter("lead", e.getValue()).setParameter("crmId", e.getKey())
                    .setParameter("primary", e.getKey().equals(primary)).executeUpdate().replaceWithVoid());
        }
        // the deal's account: the domain of its primary contact, when known
        return chain.chain(() -> s.createNativeQuery("""
                UPDATE deal SET account_domain = coalesce(account_domain,
                    (SELECT lf.account_domain FROM lead_fact lf WHERE lf.lead_id = :lead))
                 WHERE id = :deal""").setParameter("lead", sorted.get(primary)).setParameter("deal", deal)
                .executeUpdate().replaceWithVoid());
    }

    /**
     * Queues a deal for the live recompute. An existing mark is updated, not left alone: that locks it until this
     * transaction commits, so the recompute job (which claims marks with {@code SKIP LOCKED}) cannot take it in
     * between and compute the deal from the state before this change. With "do nothing" on a mark already queued,
     * the job could consume the old mark while this change was still uncommitted, and the change was never
     * recomputed (a closed-won deal kept the credits of its open state).
     */
    private Uni<Void> dirty(Mutiny.Session s, UUID deal) {
        return s.createNativeQuery("INSERT INTO deal_dirty (deal_id) VALUES (:id) "
                + "ON CONFLICT (deal_id) DO UPDATE SET marked_at = excluded.marked_at")
                .setParameter("id", deal).executeUpdate().replaceWithVoid();
    }

    private static Uni<Mutiny.Session> session() {
        return Panache.getSession();
    }

    static String lower(String s) {
        return s == null || s.isBlank() ? null : s.trim().toLowerCase(java.util.Locale.ROOT);
    }

    /** HubSpot sends dates as ISO instants, epoch milliseconds or plain dates. */
    static Instant parseInstant(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        String t = v.trim();
        try {
            if (t.chars().allMatch(Character::isDigit)) {
                return Instant.ofEpochMilli(Long.parseLong(t));
            }
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(t);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
