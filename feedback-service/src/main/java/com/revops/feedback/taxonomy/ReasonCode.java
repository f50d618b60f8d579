package com.revops.feedback.taxonomy;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A disqualification reason of the governed taxonomy. */
@Entity
@Table(name = "reason_code")
public class ReasonCode {

    @Id
    public String code;

    @Column(nullable = false)
    public String label;

    @Column(nullable = false)
    public String category;

    @Column(name = "note_required", nullable = false)
    public boolean noteRequired;

    @Column(nullable = false)
    public boolean recyclable;

    @Column(name = "recycle_after_days")
    public Integer recycleAfterDays;

    @Column(nullable = false)
    public boolean active;

    /** The taxonomy version that last changed this code. */
    @Column(nullable = false)
    public int version;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
