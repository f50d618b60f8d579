package com.revops.feedback.taxonomy;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One version of the taxonomy: who changed what, and a snapshot of the whole taxonomy after the change. */
@Entity
@Table(name = "taxonomy_version")
public class TaxonomyVersion {

    @Id
    public int version;

    @Column(name = "changed_at", nullable = false)
    public Instant changedAt;

    @Column(name = "changed_by", nullable = false)
    public String changedBy;

    @Column(nullable = false)
    public String change;

    @JdbcTypeCode(SqlTypes.JSON)
    public String snapshot;
}
