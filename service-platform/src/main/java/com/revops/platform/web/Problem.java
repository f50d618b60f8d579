package com.revops.platform.web;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An RFC 9457 problem detail, the body of every error answer ({@code application/problem+json}). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@Schema(name = "Problem", description = "RFC 9457 problem detail")
public record Problem(
        @Schema(example = "https://revops.dev/problems/not-found") String type,
        @Schema(example = "Not Found") String title,
        @Schema(example = "404") int status,
        @Schema(example = "lead 42 does not exist") String detail,
        @Schema(example = "/leads/42") String instance,
        List<Violation> violations) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid field of a request. */
    public record Violation(String field, String message) {
    }
}
