package com.revops.feedback.notify;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;

@ApplicationScoped
public class EscalationContactRepository implements PanacheRepositoryBase<EscalationContact, String> {
}
