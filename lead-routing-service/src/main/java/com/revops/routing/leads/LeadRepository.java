package com.revops.routing.leads;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class LeadRepository implements PanacheRepositoryBase<Lead, UUID> {

    public Uni<Lead> findByCrmId(String crm, String crmId) {
        return find("crm = ?1 and crmId = ?2", crm, crmId).firstResult();
    }
}
