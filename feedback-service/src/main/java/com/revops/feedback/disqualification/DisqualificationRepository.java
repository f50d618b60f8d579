package com.revops.feedback.disqualification;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class DisqualificationRepository implements PanacheRepositoryBase<Disqualification, UUID> {

    /** The lead's active disqualification, locked for the rest of the transaction, or null. */
    public Uni<Disqualification> activeForLead(UUID leadId) {
        return getSession().chain(s -> s.createNativeQuery(
                "SELECT * FROM disqualification WHERE lead_id = :lead AND state = 'ACTIVE' FOR UPDATE",
                Disqualification.class).setParameter("lead", leadId).getSingleResultOrNull());
    }

    /** A disqualification locked for the rest of the transaction, or null. */
    public Uni<Disqualification> findForUpdate(UUID id) {
        return getSession().chain(s -> s.createNativeQuery(
                "SELECT * FROM disqualification WHERE id = :id FOR UPDATE", Disqualification.class)
                .setParameter("id", id).getSingleResultOrNull());
    }

    /** How many times this lead has been recycled already. */
    public Uni<Long> recycledCount(UUID leadId) {
        return count("leadId = ?1 and recycledAt is not null", leadId);
    }
}
