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

    public Uni<LeadContext> findByCrmId(String crm, String crmId) {
        return find("crm = ?1 and crmId = ?2", crm, crmId).firstResult();
    }
}
