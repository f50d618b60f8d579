package com.revops.attribution.models;

/** The moments of a deal's journey a touch can be credited for. */
public enum Milestone {
    /** The earliest eligible touch. */
    FIRST_TOUCH,
    /** The last eligible touch at or before the lead was created. */
    LEAD_CREATION,
    /** The last eligible touch at or before the opportunity (the deal) was created. */
    OPPORTUNITY_CREATION,
    /** The last eligible touch at or before the deal passed the qualification bar (the QPC gate). */
    QUALIFICATION,
    /** The last eligible touch at or before the deal closed won. */
    CLOSED_WON
}
