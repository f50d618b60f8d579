package com.revops.feedback.leads;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;

@ApplicationScoped
public class LeadContextRepository implements PanacheRepositoryBase<LeadContext, UUID> {
}
