package com.revops.feedback.web;

import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.revops.platform.web.Problem;
import com.revops.platform.web.ProblemException;
import com.revops.platform.web.ProblemMapper;

/**
 * Two requests racing on the same lead or dispute (the unique indexes on one ACTIVE disqualification per lead and
 * one OPEN dispute per disqualification) are a 409, not a server error: the loser's transaction rolled back.
 */
public class ConflictMapper {

    private final ProblemMapper problems = new ProblemMapper();

    static final java.util.Set<String> RACES = java.util.Set.of("disqualification_active_uk", "dispute_open_uk",
            "reason_mapping_value_uk", "reason_code_pkey");

    @ServerExceptionMapper
    public RestResponse<Problem> constraint(org.hibernate.exception.ConstraintViolationException e, UriInfo uri) {
        String name = e.getConstraintName();
        String message = String.valueOf(e.getMessage());
        boolean race = (name != null && RACES.contains(name)) || RACES.stream().anyMatch(message::contains);
        if (!race) {
            return problems.unexpected(e, uri);
        }
        return problems.domain(new ProblemException.Conflict(
                "a concurrent change to the same record won; read it again and retry"), uri);
    }
}
