package com.revops.feedback.leads;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class LeadContextRepository implements PanacheRepositoryBase<LeadContext, UUID> {

    /**
     * The context locked for the rest of the transaction: events about one lead arrive on two queues and are
     * processed concurrently, and each changes different columns of the same row.
     */
    public Uni<LeadContext> findForUpdate(UUID leadId) {
        return findById(leadId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * The context, created empty if needed, locked for the rest of the transaction. Creating it with
     * {@code ON CONFLICT DO NOTHING} first means two first events about one lead never race on the insert: the
     * second waits for the first's lock and then sees its row.
     */
    public Uni<LeadContext> ensureForUpdate(UUID leadId) {
        return getSession().chain(s -> s.createNativeQuery(
                "INSERT INTO lead_context (lead_id, first_seen_at, updated_at) VALUES (:id, now(), now()) "
                        + "ON CONFLICT (lead_id) DO NOTHING").setParameter("id", leadId).executeUpdate())
                .chain(() -> findForUpdate(leadId));
    }

    public Uni<LeadContext> findByCrmId(String crm, String crmId) {
        return find("crm = ?1 and crmId = ?2", crm, crmId).firstResult();
    }
}
