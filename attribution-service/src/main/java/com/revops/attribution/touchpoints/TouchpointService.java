package com.revops.attribution.touchpoints;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.attribution.deals.DealIntakeService;
import com.revops.platform.web.ProblemException;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Stores imported touchpoints (validated first: nothing is stored on bad input). */
@ApplicationScoped
public class TouchpointService {

    private final TouchpointRepository touchpoints;
    private final DealIntakeService deals;

    public TouchpointService(TouchpointRepository touchpoints, DealIntakeService deals) {
        this.touchpoints = touchpoints;
        this.deals = deals;
    }

    @WithTransaction
    public Uni<Touchpoint> importTouch(TouchpointImport t) {
        var violations = t.violations();
        if (!violations.isEmpty()) {
            return Uni.createFrom().failure(new ProblemException.Unprocessable("the touchpoint is not valid",
                    violations));
        }
        UUID id = t.id() != null ? t.id() : UUID.randomUUID();
        return touchpoints.findById(id).chain(existing -> {
            if (existing != null) {
                throw new ProblemException.Conflict("touchpoint " + id + " already exists");
            }
            Touchpoint row = new Touchpoint();
            row.id = id;
            row.crm = t.crm();
            row.personEmail = t.personEmail() == null ? null : t.personEmail().trim().toLowerCase();
            row.leadId = t.leadId();
            row.accountDomain = t.accountDomain() == null ? null : t.accountDomain().trim().toLowerCase();
            row.occurredAt = t.occurredAt();
            row.touchType = t.type();
            row.channel = t.channel();
            row.source = t.source();
            row.campaign = t.campaign();
            row.team = t.team();
            row.recordedAt = Instant.now();
            return touchpoints.persistAndFlush(row)
                    .call(() -> t.leadId() == null ? deals.touchRecorded(row.id, row.personEmail, row.accountDomain)
                            : deals.touchOfLead(t.leadId(), row.accountDomain));
        });
    }
}
