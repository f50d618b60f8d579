package com.revops.feedback.insights;

import java.util.Arrays;
import java.util.Locale;

import com.revops.platform.web.ProblemException;

/** The lead attributes insights group by, with the lead_context column each reads (never user input in SQL). */
public enum Dimension {
    SOURCE("source", "source"),
    CHANNEL("channel", "channel"),
    CAMPAIGN("campaign", "campaign"),
    COUNTRY("country", "country"),
    INDUSTRY("industry", "industry"),
    COMPANY_SIZE("companySize", "company_size"),
    SENIORITY("seniority", "seniority"),
    INTENT_TIER("intentTier", "intent_tier"),
    FORM("form", "form"),
    TEAM("team", "team_name"),
    OWNER("owner", "owner_username");

    /** The attributes scoring feedback covers by default. */
    public static final Dimension[] SCORING = {SOURCE, CHANNEL, CAMPAIGN, COUNTRY, INDUSTRY, COMPANY_SIZE, SENIORITY};

    public final String param;
    public final String column;

    Dimension(String param, String column) {
        this.param = param;
        this.column = column;
    }

    /** The dimension named {@code name} (API spelling, e.g. companySize); a 400 problem otherwise. */
    public static Dimension parse(String name) {
        if (name == null || name.isBlank()) {
            throw new ProblemException.BadRequest("dimension is required: one of " + names());
        }
        for (Dimension d : values()) {
            if (d.param.equalsIgnoreCase(name.trim()) || d.name().equalsIgnoreCase(name.trim())) {
                return d;
            }
        }
        throw new ProblemException.BadRequest("unknown dimension " + name + ": one of " + names());
    }

    static String names() {
        return String.join(", ", Arrays.stream(values()).map(d -> d.param).toList()).toLowerCase(Locale.ROOT);
    }
}
