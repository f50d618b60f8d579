package com.revops.feedback.disputes;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class DisputeRepository implements PanacheRepositoryBase<Dispute, UUID> {

    public Uni<Dispute> findForUpdate(UUID id) {
        return findById(id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
    }

    public Uni<Dispute> openFor(UUID disqualificationId) {
        return find("disqualificationId = ?1 and state = 'OPEN'", disqualificationId).firstResult();
    }

    public Uni<Void> audit(DisputeAudit a) {
        return getSession().chain(s -> s.persist(a));
    }

    public Uni<List<DisputeAudit>> trail(UUID disputeId) {
        return getSession().chain(s -> s.createQuery("FROM DisputeAudit WHERE disputeId = :id ORDER BY at, id",
                DisputeAudit.class).setParameter("id", disputeId).getResultList());
    }
}
