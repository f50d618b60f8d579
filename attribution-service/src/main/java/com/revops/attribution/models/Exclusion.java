package com.revops.attribution.models;

/** Why a touch got no credit at all. */
public enum Exclusion {
    /** It happened after the deal closed: it cannot have influenced the close. */
    AFTER_CLOSE,
    /** It happened after the data-as-of time of the computation (a restatement as of an earlier date). */
    AFTER_DATA_AS_OF,
    /** It happened more than the lookback window before the opportunity was created. */
    BEFORE_LOOKBACK
}
