package com.revops.feedback.disqualification;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import com.revops.feedback.leads.LeadContextRepository;
import com.revops.feedback.loop.FeedbackTimer;
import com.revops.feedback.loop.TimerRepository;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * What feedback does when a CRM record goes away (runs in the consumer's inbox transaction).
 *
 * <p>Deleted: the records stay for statistics, marked deleted, and the record joins {@code crm_record_gone}, which
 * {@link com.revops.feedback.commands.CrmCommands} checks before every command. Merged: the merged-away leads'
 * disqualifications (with their missing-reason loop and disputes) move to the surviving lead; where the survivor
 * already has a standing one, the more informative stays ({@link MergePolicy}) and the other becomes MERGED; every
 * move is audited. Both are idempotent: a redelivered event finds nothing left to move.
 */
@ApplicationScoped
public class CrmRecordService {

    private final DisqualificationRepository disqualifications;
    private final LeadContextRepository contexts;
    private final TimerRepository timers;
    private final CaptureService capture;
    private final MeterRegistry registry;
    private final com.revops.feedback.insights.InsightsService insights;

    public CrmRecordService(DisqualificationRepository disqualifications, LeadContextRepository contexts,
            TimerRepository timers, CaptureService capture, MeterRegistry registry,
            com.revops.feedback.insights.InsightsService insights) {
        this.insights = insights;
        this.disqualifications = disqualifications;
        this.contexts = contexts;
        this.timers = timers;
        this.capture = capture;
        this.registry = registry;
    }

    /** {@code contact.deleted}: keep the records, mark them deleted, never command the record again. */
    public Uni<Void> onDeleted(String crm, String crmId, UUID leadId) {
        if (crm == null || crmId == null) {
            return Uni.createFrom().voidItem();
        }
        return disqualifications.getSession().chain(s -> s.createNativeQuery("""
                INSERT INTO crm_record_gone (crm, crm_id, reason, lead_id) VALUES (:crm, :id, 'deleted', :lead)
                ON CONFLICT (crm, crm_id) DO NOTHING""")
                .setParameter("crm", crm).setParameter("id", crmId).setParameter("lead", leadId).executeUpdate()
                .chain(() -> s.createNativeQuery("UPDATE lead_context SET crm_deleted_at = coalesce(crm_deleted_at, "
                        + "now()), updated_at = now() WHERE crm = :crm AND crm_id = :id")
                        .setParameter("crm", crm).setParameter("id", crmId).executeUpdate())
                .chain(() -> s.createNativeQuery("UPDATE disqualification SET crm_deleted_at = coalesce("
                        + "crm_deleted_at, now()), updated_at = now() WHERE crm = :crm AND crm_id = :id")
                        .setParameter("crm", crm).setParameter("id", crmId).executeUpdate()))
                .chain(() -> capture.onCrmRecordsGone(crm, List.of(crmId)));
    }

    /** {@code contact.merged}: the records of {@code mergedCrmIds} (but {@code newCrmId}) move to the survivor. */
    public Uni<Void> onMerged(String crm, UUID eventLeadId, String newCrmId, List<String> mergedCrmIds) {
        List<String> gone = mergedCrmIds == null ? List.of() : new ArrayList<>(new LinkedHashSet<>(
                mergedCrmIds.stream().filter(id -> id != null && !id.equals(newCrmId)).toList()));
        if (crm == null || newCrmId == null || gone.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return disqualifications.getSession().chain(s -> markGone(s, crm, gone, newCrmId)
                .chain(() -> contexts.findByCrmId(crm, newCrmId))
                .chain(ctx -> {
                    UUID survivor = ctx != null ? ctx.leadId : eventLeadId;
                    if (survivor == null) {
                        Log.infof("merge into %s/%s: the surviving lead is unknown to feedback; the merged-away "
                                + "records only stop receiving commands", crm, newCrmId);
                        return capture.onCrmRecordsGone(crm, gone);
                    }
                    return moveAll(s, crm, survivor, newCrmId, gone);
                }));
    }

    private Uni<Void> markGone(Mutiny.Session s, String crm, List<String> gone, String newCrmId) {
        return Multi.createFrom().iterable(gone).onItem().transformToUniAndConcatenate(id -> s.createNativeQuery("""
                INSERT INTO crm_record_gone (crm, crm_id, reason, merged_into_crm_id)
                VALUES (:crm, :id, 'merged', :into) ON CONFLICT (crm, crm_id) DO NOTHING""")
                .setParameter("crm", crm).setParameter("id", id).setParameter("into", newCrmId).executeUpdate())
                .collect().asList().replaceWithVoid();
    }

    private Uni<Void> moveAll(Mutiny.Session s, String crm, UUID survivor, String newCrmId, List<String> gone) {
        insights.invalidateCache(); // merged-away leads leave the cohorts
        // a merge that gives the survivor a new id (newObjectId): the survivor's own rows follow it
        return s.createNativeQuery("""
                UPDATE lead_context SET crm_id = :new, updated_at = now()
                 WHERE lead_id = :s AND crm = :crm AND crm_id IN (:gone)
                   AND NOT EXISTS (SELECT 1 FROM lead_context o WHERE o.crm = :crm AND o.crm_id = :new)""")
                .setParameter("new", newCrmId).setParameter("s", survivor).setParameter("crm", crm)
                .setParameter("gone", gone).executeUpdate()
                .chain(() -> s.createNativeQuery("UPDATE disqualification SET crm_id = :new, updated_at = now() "
                        + "WHERE lead_id = :s AND crm = :crm AND crm_id IN (:gone)").setParameter("new", newCrmId)
                        .setParameter("s", survivor).setParameter("crm", crm).setParameter("gone", gone)
                        .executeUpdate())
                .chain(() -> moveOthers(s, crm, survivor, newCrmId, gone));
    }

    private Uni<Void> moveOthers(Mutiny.Session s, String crm, UUID survivor, String newCrmId, List<String> gone) {
        return s.createNativeQuery("SELECT lead_id FROM lead_context WHERE crm = :crm AND crm_id IN (:gone) "
                + "AND lead_id <> :s", UUID.class)
                .setParameter("crm", crm).setParameter("gone", gone).setParameter("s", survivor).getResultList()
                .chain(goneLeads -> {
                    List<UUID> leads = goneLeads.isEmpty() ? List.of(new UUID(0, 0)) : goneLeads;
                    return s.createNativeQuery("""
                            UPDATE lead_context SET merged_into = :s, crm_deleted_at = coalesce(crm_deleted_at, now()),
                                   updated_at = now()
                             WHERE lead_id IN (:leads)""").setParameter("s", survivor).setParameter("leads", leads)
                            .executeUpdate()
                            .chain(() -> s.createNativeQuery("""
                                    SELECT * FROM disqualification
                                     WHERE (lead_id IN (:leads) OR (crm = :crm AND crm_id IN (:gone)))
                                       AND lead_id <> :s AND state <> 'MERGED'
                                     ORDER BY disqualified_at, id
                                       FOR UPDATE""", Disqualification.class)
                                    .setParameter("leads", leads).setParameter("crm", crm)
                                    .setParameter("gone", gone).setParameter("s", survivor).getResultList())
                            .chain(records -> disqualifications.activeForLead(survivor).chain(active -> {
                                Disqualification[] standing = {active};
                                return Multi.createFrom().iterable(records).onItem()
                                        .transformToUniAndConcatenate(r -> moveOne(s, crm, survivor, newCrmId, r,
                                                standing))
                                        .collect().asList().replaceWithVoid();
                            }))
                            .chain(() -> s.createNativeQuery(
                                    "UPDATE dispute SET lead_id = :s WHERE lead_id IN (:leads)").setParameter("s", survivor).setParameter("leads", leads).executeUpdate())
                            .replaceWithVoid();
                });
    }

    /** Moves one record; {@code standing[0]} is the survivor's ACTIVE disqualification (updated as it changes). */
    private Uni<Void> moveOne(Mutiny.Session s, String crm, UUID survivor, String newCrmId, Disqualification r,
            Disqualification[] standing) {
        UUID from = r.leadId;
        Disqualification current = standing[0];
        if (!r.isActive() || current == null) {
            move(r, survivor, newCrmId);
            if (r.isActive()) {
                standing[0] = r;
            }
            registry.counter("feedback.merges.moved").increment();
            return s.flush().chain(() -> audit(s, crm, survivor, newCrmId, from, r.id, "MOVED",
                    r.state + " record of the merged-away lead"));
        }
        return openDispute(s, current.id).chain(currentDisputed -> openDispute(s, r.id).chain(movedDisputed -> {
            MergePolicy.Candidate a = new MergePolicy.Candidate(current.id, !current.reasonMissing(),
                    current.note != null, currentDisputed, true);
            MergePolicy.Candidate b = new MergePolicy.Candidate(r.id, !r.reasonMissing(), r.note != null,
                    movedDisputed, false);
            boolean keepMoved = MergePolicy.keep(a, b) == b;
            Disqualification keep = keepMoved ? r : current;
            Disqualification drop = keepMoved ? current : r;
            boolean keepDisputed = keepMoved ? movedDisputed : currentDisputed;
            boolean dropDisputed = keepMoved ? currentDisputed : movedDisputed;
            // the dropped one leaves ACTIVE first: one ACTIVE disqualification per lead at any time
            drop.state = Disqualification.MERGED;
            drop.supersededBy = keep.id;
            drop.closedAt = Instant.now();
            drop.updatedAt = drop.closedAt;
            if (drop == r) {
                move(r, survivor, newCrmId);
            }
            registry.counter("feedback.merges.superseded").increment();
            String detail = "kept " + keep.id + " (reason " + (keep.reasonMissing() ? "missing" : keep.reasonCode)
                    + ") over " + drop.id + " (reason " + (drop.reasonMissing() ? "missing" : drop.reasonCode) + ")";
            return s.flush()
                    .chain(() -> {
                        if (drop != r) {
                            move(r, survivor, newCrmId);
                            standing[0] = r;
                        }
                        return s.flush();
                    })
                    .chain(() -> timers.cancel(drop.id, List.of(FeedbackTimer.REASON_REMINDER,
                            FeedbackTimer.MANAGER_ESCALATION, FeedbackTimer.RECYCLE)))
                    .chain(() -> dropDisputed && !keepDisputed
                            ? s.createNativeQuery("UPDATE dispute SET disqualification_id = :k WHERE "
                                    + "disqualification_id = :d AND state = 'OPEN'").setParameter("k", keep.id)
                                    .setParameter("d", drop.id).executeUpdate()
                                    .chain(() -> audit(s, crm, survivor, newCrmId, from, drop.id, "DISPUTE_MOVED",
                                            "open dispute moved to " + keep.id))
                            : Uni.createFrom().voidItem())
                    .chain(() -> audit(s, crm, survivor, newCrmId, from, keep.id, keepMoved ? "MOVED" : "KEPT",
                            detail))
                    .chain(() -> audit(s, crm, survivor, newCrmId, from, drop.id, "SUPERSEDED", detail));
        }));
    }

    private static void move(Disqualification r, UUID survivor, String newCrmId) {
        if (!Objects.equals(r.leadId, survivor)) {
            r.mergedFromLeadId = r.leadId;
            r.leadId = survivor;
        }
        r.crmId = newCrmId;
        r.updatedAt = Instant.now();
    }

    private static Uni<Boolean> openDispute(Mutiny.Session s, UUID disqualificationId) {
        return s.createNativeQuery("SELECT count(*) FROM dispute WHERE disqualification_id = :d AND state = 'OPEN'",
                Long.class).setParameter("d", disqualificationId).getSingleResult().map(n -> n > 0);
    }

    private static Uni<Void> audit(Mutiny.Session s, String crm, UUID survivor, String survivorCrmId, UUID merged,
            UUID disqualificationId, String action, String detail) {
        return s.createNativeQuery("""
                INSERT INTO lead_merge_audit (id, crm, survivor_lead_id, survivor_crm_id, merged_lead_id,
                  disqualification_id, action, detail, at) VALUES (:id, :crm, :s, :sc, :m, :d, :a, :detail, now())""")
                .setParameter("id", UUID.randomUUID()).setParameter("crm", crm).setParameter("s", survivor)
                .setParameter("sc", survivorCrmId).setParameter("m", merged).setParameter("d", disqualificationId)
                .setParameter("a", action).setParameter("detail", detail).executeUpdate().replaceWithVoid();
    }
}
