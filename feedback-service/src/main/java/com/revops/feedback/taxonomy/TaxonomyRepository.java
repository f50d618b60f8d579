package com.revops.feedback.taxonomy;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** Reason codes, their CRM mappings and the taxonomy versions. */
@ApplicationScoped
public class TaxonomyRepository implements PanacheRepositoryBase<ReasonCode, String> {

    public Uni<List<ReasonCode>> allCodes() {
        return listAll(Sort.by("code"));
    }

    public Uni<List<ReasonMapping>> allMappings() {
        return getSession().chain(s -> s.createQuery("FROM ReasonMapping ORDER BY crm, crmValue", ReasonMapping.class)
                .getResultList());
    }

    /** The mapping of a CRM value (without case), or null. */
    public Uni<ReasonMapping> mappingFor(String crm, String crmValue) {
        return getSession().chain(s -> s.createQuery(
                "FROM ReasonMapping WHERE crm = :crm AND lower(crmValue) = lower(:value)", ReasonMapping.class)
                .setParameter("crm", crm).setParameter("value", crmValue.trim())
                .getSingleResultOrNull());
    }

    public Uni<Void> persistMapping(ReasonMapping m) {
        return getSession().chain(s -> s.persist(m));
    }

    public Uni<Integer> deleteMapping(UUID id) {
        return getSession().chain(s -> s.createMutationQuery("DELETE FROM ReasonMapping WHERE id = :id")
                .setParameter("id", id).executeUpdate());
    }

    public Uni<ReasonMapping> findMapping(UUID id) {
        return getSession().chain(s -> s.find(ReasonMapping.class, id));
    }

    public Uni<TaxonomyVersion> findVersion(int version) {
        return getSession().chain(s -> s.find(TaxonomyVersion.class, version));
    }

    public Uni<List<TaxonomyVersion>> versions() {
        return getSession().chain(s -> s.createQuery("FROM TaxonomyVersion ORDER BY version DESC", TaxonomyVersion.class)
                .getResultList());
    }

    /**
     * Takes the next version number under a table lock, so that two admins changing the taxonomy at the same time
     * get consecutive versions instead of a key clash.
     */
    public Uni<Integer> nextVersion() {
        return getSession().chain(s -> s.createNativeQuery("LOCK TABLE taxonomy_version IN EXCLUSIVE MODE")
                .executeUpdate()
                .chain(() -> s.createNativeQuery("SELECT coalesce(max(version), 0) + 1 FROM taxonomy_version",
                        Integer.class).getSingleResult()));
    }

    public Uni<Void> persistVersion(TaxonomyVersion v) {
        return getSession().chain(s -> s.persist(v));
    }
}
