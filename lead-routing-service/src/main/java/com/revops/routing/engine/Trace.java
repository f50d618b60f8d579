package com.revops.routing.engine;

import java.util.List;

/**
 * Why a lead went where it went: every stage the router went through, each rule tested, each candidate rep looked
 * at and the verdict on them. Stored with the decision; answers "why this rep" and "why not rep X".
 */
public record Trace(int ruleSetVersion, List<Step> steps, String chosen, String queue, String summary) {

    /**
     * One stage: {@code duplicate}, {@code account}, {@code rule} (with its name, condition and action) or
     * {@code fallback}.
     */
    public record Step(String stage, String rule, String condition, boolean matched, String action,
            List<CandidateCheck> candidates, String note) {
    }

    /** A rep considered for the lead, and the verdict. */
    public record CandidateCheck(String username, String team, Verdict verdict, String detail) {
    }

    /** Verdict on a candidate. */
    public enum Verdict {
        CHOSEN, NOT_NEXT_IN_ROTATION, UNKNOWN_REP, INACTIVE, PREVIOUSLY_ASSIGNED, OUT_OF_OFFICE, OUT_OF_HOURS,
        AT_CAPACITY, MISSING_SKILLS
    }

    /** The answer to "why did the lead not go to {@code username}?". */
    public String whyNot(String username) {
        if (username.equals(chosen)) {
            return username + " was chosen: " + summary;
        }
        for (Step step : steps) {
            for (CandidateCheck c : step.candidates()) {
                if (c.username().equals(username)) {
                    String where = step.rule() == null ? step.stage() : "rule '" + step.rule() + "'";
                    return username + " was considered at " + where + " and not chosen: " + c.verdict()
                            .name().toLowerCase().replace('_', ' ') + (c.detail() == null ? "" : " (" + c.detail()
                            + ")") + ". " + summary;
                }
            }
        }
        return username + " was never a candidate: " + summary;
    }
}
