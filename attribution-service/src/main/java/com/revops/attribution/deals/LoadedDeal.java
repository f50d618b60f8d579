package com.revops.attribution.deals;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.revops.attribution.models.DealInput;
import com.revops.attribution.models.TouchInput;

/**
 * A deal as stored, resolved for the models as of a time under a definition: the model input, its touches in
 * scope, and what the resolution noticed (reopened, amount changes).
 */
public record LoadedDeal(UUID id, String crm, String crmId, String name, String stage, String owner, String team,
        String source, String accountDomain, Instant createdAt, DealInput input, boolean reopened,
        List<String> notes, List<TouchInput> touches) {
}
