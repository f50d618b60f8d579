package com.revops.sandbox.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Builds the seeded organisation in both CRMs from one seed: the same seed gives the same owners, teams, companies,
 * people, deals (with their stage history), campaigns and campaign members, with the same ids. Timestamps are laid
 * out over the {@code days} before {@code now}. Seeded records are written straight into the stores: they are the
 * org's past, so they are neither journalled nor delivered as webhooks. Plain Java.
 */
public final class Seeder {

    /** How much to seed. */
    public record Sizes(int owners, int companies, int contacts, int leads, int deals, int opportunities, int days) {
    }

    /** A campaign of the org, with the channel its members come from. */
    public record Campaign(String name, String type, String channel, String hubspotSource, String salesforceId) {
    }

    /** One seeded person who owns records, in both CRMs. */
    public record Person(String hubspotOwnerId, String salesforceUserId, String email, String firstName,
            String lastName, String team, String teamId) {
    }

    /** What was seeded, for the driving API's {@code GET /_sim/org}. */
    public record Org(long seed, List<Person> owners, Map<String, String> teams, List<Campaign> campaigns,
            String integrationUserId, String integrationUsername, String leadQueueId) {
    }

    static final String[] FIRST = {"Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas",
        "Kira", "Liam", "Maya", "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wes",
        "Xena", "Yusuf", "Zoe"};
    static final String[] LAST = {"Adler", "Brooks", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Hansen",
        "Ivanova", "Jensen", "Kowalski", "Larsen", "Moreau", "Novak", "Okafor", "Petrov", "Quist", "Rossi",
        "Schmidt", "Tanaka", "Ueda", "Varga", "Weber", "Xu", "Yilmaz", "Zhang"};
    static final String[] WORD_A = {"Blue", "Bright", "North", "Silver", "Rapid", "Clear", "Prime", "Green", "Iron",
        "Summit", "Nova", "Atlas"};
    static final String[] WORD_B = {"Harbor", "Logic", "Works", "Labs", "Systems", "Cloud", "Metrics", "Dynamics",
        "Freight", "Health", "Retail", "Energy"};
    static final String[] INDUSTRIES = {"COMPUTER_SOFTWARE", "FINANCIAL_SERVICES", "HOSPITAL_HEALTH_CARE", "RETAIL",
        "LOGISTICS_AND_SUPPLY_CHAIN", "MANUFACTURING", "MARKETING_AND_ADVERTISING", "EDUCATION_MANAGEMENT"};
    static final String[] COUNTRIES = {"United States", "Germany", "United Kingdom", "France", "Netherlands", "Canada",
        "Spain", "Sweden"};
    static final int[] SIZES = {8, 25, 60, 150, 400, 1200, 5000};
    static final String[] TIERS = {"HIGH", "MEDIUM", "LOW"};

    public static final List<Campaign> CAMPAIGNS = List.of(
            new Campaign("Webinar: Pipeline Hygiene", "Webinar", "webinar", "OFFLINE", null),
            new Campaign("Paid Search - Brand", "Advertisement", "paid-search", "PAID_SEARCH", null),
            new Campaign("LinkedIn ABM", "Advertisement", "paid-social", "PAID_SOCIAL", null),
            new Campaign("Newsletter", "Email", "email", "EMAIL_MARKETING", null),
            new Campaign("Partner Referral Program", "Partners", "referral", "REFERRALS", null),
            new Campaign("Trade Show Booth", "Trade Show", "event", "OFFLINE", null),
            new Campaign("Content Syndication", "Other", "content", "OTHER_CAMPAIGNS", null),
            new Campaign("Organic - Blog", "Other", "organic", "ORGANIC_SEARCH", null));

    private Seeder() {
    }

    public static Org seed(long seed, Sizes sizes, HubSpotStore hubspot, SalesforceStore salesforce,
            String integrationUsername, long now) {
        Random r = new Random(seed);
        long start = now - sizes.days() * 86_400_000L;
        // Salesforce: the integration user first, so it keeps the same id whatever the sizes
        Map<String, Object> integration = new LinkedHashMap<>();
        integration.put("Username", integrationUsername);
        integration.put("Email", integrationUsername);
        integration.put("FirstName", "Integration");
        integration.put("LastName", "User");
        integration.put("IsActive", true);
        integration.put("Department", "Integration");
        String bootstrap = "005000000000000AAA";
        String integrationId = salesforce.create("User", integration, bootstrap, start);
        String queue = salesforce.addQueue("Inbound Lead Queue", start);

        Map<String, String> teams = new LinkedHashMap<>();
        teams.put("9001", "SDR");
        teams.put("9002", "Account Executives");
        teams.put("9003", "Marketing");
        List<Person> people = new ArrayList<>();
        int sdrs = Math.max(1, sizes.owners() / 2);
        int aes = Math.max(1, sizes.owners() * 3 / 10);
        for (int i = 0; i < sizes.owners(); i++) {
            String teamId = i < sdrs ? "9001" : i < sdrs + aes ? "9002" : "9003";
            String first = FIRST[(i * 7 + r.nextInt(3)) % FIRST.length];
            String last = LAST[(i * 11 + r.nextInt(5)) % LAST.length];
            String email = (first + "." + last + i).toLowerCase(Locale.ROOT) + "@sandbox.revops.example";
            String ownerId = Long.toString(60_000_001L + i);
            hubspot.addOwner(new HubSpotStore.Owner(ownerId, email, first, last, 9_000_001L + i,
                    List.of(new HubSpotStore.Team(teamId, teams.get(teamId), true)), start));
            Map<String, Object> user = new LinkedHashMap<>();
            user.put("Username", email);
            user.put("Email", email);
            user.put("FirstName", first);
            user.put("LastName", last);
            user.put("IsActive", true);
            user.put("Department", teams.get(teamId));
            user.put("Title", "9001".equals(teamId) ? "Sales Development Representative"
                    : "9002".equals(teamId) ? "Account Executive" : "Marketing Manager");
            String userId = salesforce.create("User", user, integrationId, start);
            people.add(new Person(ownerId, userId, email, first, last, teams.get(teamId), teamId));
        }
        List<Person> sdrList = people.stream().filter(p -> "9001".equals(p.teamId())).toList();
        List<Person> aeList = people.stream().filter(p -> "9002".equals(p.teamId())).toList();
        List<Person> marketing = people.stream().filter(p -> "9003".equals(p.teamId())).toList();
        Person campaignOwner = marketing.isEmpty() ? people.get(0) : marketing.get(0);

        List<Campaign> campaigns = new ArrayList<>();
        for (Campaign c : CAMPAIGNS) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("Name", c.name());
            f.put("Type", c.type());
            f.put("Status", "In Progress");
            f.put("IsActive", true);
            f.put("StartDate", java.time.Instant.ofEpochMilli(start).toString().substring(0, 10));
            f.put("BudgetedCost", (double) (5 + r.nextInt(45)) * 1000);
            f.put("OwnerId", campaignOwner.salesforceUserId());
            campaigns.add(new Campaign(c.name(), c.type(), c.channel(), c.hubspotSource(),
                    salesforce.create("Campaign", f, integrationId, start)));
        }

        // companies and accounts
        List<String[]> companies = new ArrayList<>(); // hubspot id, sf account id, domain, name, country
        for (int i = 0; i < sizes.companies(); i++) {
            String name = WORD_A[(i + r.nextInt(WORD_A.length)) % WORD_A.length] + " "
                    + WORD_B[(i * 5 + r.nextInt(WORD_B.length)) % WORD_B.length] + (i >= 100 ? " " + i : "");
            String domain = name.toLowerCase(Locale.ROOT).replace(" ", "") + i + (i % 3 == 0 ? ".io" : ".com");
            String industry = INDUSTRIES[r.nextInt(INDUSTRIES.length)];
            String country = COUNTRIES[r.nextInt(COUNTRIES.length)];
            int size = SIZES[r.nextInt(SIZES.length)];
            long at = start + (long) (r.nextDouble() * (now - start) / 3);
            Person owner = aeList.isEmpty() ? people.get(0) : aeList.get(i % aeList.size());
            Map<String, String> p = new LinkedHashMap<>();
            p.put("name", name);
            p.put("domain", domain);
            p.put("industry", industry);
            p.put("country", country);
            p.put("numberofemployees", Integer.toString(size));
            p.put("hubspot_owner_id", owner.hubspotOwnerId());
            String hsId = hubspot.create("companies", p, List.of(), "IMPORT", at).id();
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("Name", name);
            a.put("Website", "https://www." + domain);
            a.put("Industry", industry);
            a.put("BillingCountry", country);
            a.put("NumberOfEmployees", (double) size);
            a.put("OwnerId", owner.salesforceUserId());
            String sfId = salesforce.create("Account", a, integrationId, at);
            companies.add(new String[] {hsId, sfId, domain, name, country, Integer.toString(size)});
        }

        // HubSpot contacts
        List<String[]> contacts = new ArrayList<>(); // id, company index
        for (int i = 0; i < sizes.contacts() && !companies.isEmpty(); i++) {
            int ci = r.nextInt(companies.size());
            String[] co = companies.get(ci);
            Campaign camp = campaigns.get(r.nextInt(campaigns.size()));
            String first = FIRST[r.nextInt(FIRST.length)];
            String last = LAST[r.nextInt(LAST.length)];
            long at = start + (long) (r.nextDouble() * (now - start));
            Map<String, String> p = new LinkedHashMap<>();
            p.put("email", (first + "." + last + "." + i).toLowerCase(Locale.ROOT) + "@" + co[2]);
            p.put("firstname", first);
            p.put("lastname", last);
            p.put("company", co[3]);
            p.put("country", co[4]);
            p.put("numemployees", co[5]);
            p.put("hs_analytics_source", camp.hubspotSource());
            p.put("hs_analytics_source_data_1", camp.channel());
            p.put("hs_analytics_first_touch_converting_campaign", camp.name());
            p.put("recent_conversion_date", Long.toString(at));
            p.put("recent_conversion_event_name", camp.name());
            p.put("first_conversion_date", Long.toString(at));
            p.put("first_conversion_event_name", camp.name());
            p.put("intent_tier", TIERS[r.nextInt(TIERS.length)]);
            p.put("lifecyclestage", "lead");
            p.put("hs_lead_status", HubSpotStore.LEAD_STATUSES.get(r.nextInt(HubSpotStore.LEAD_STATUSES.size())));
            if (!sdrList.isEmpty() && r.nextInt(10) < 7) {
                p.put("hubspot_owner_id", sdrList.get(r.nextInt(sdrList.size())).hubspotOwnerId());
            }
            if ("UNQUALIFIED".equals(p.get("hs_lead_status"))) {
                p.put("disqualification_reason", r.nextBoolean() ? "no-budget" : "bad-timing");
            }
            String id = hubspot.create("contacts", p, List.of(new long[] {279, Long.parseLong(co[0])}), "FORM",
                    at).id();
            contacts.add(new String[] {id, Integer.toString(ci)});
        }

        // HubSpot deals with their stage history
        for (int i = 0; i < sizes.deals() && !contacts.isEmpty(); i++) {
            String[] person = contacts.get(r.nextInt(contacts.size()));
            String[] co = companies.get(Integer.parseInt(person[1]));
            int target = r.nextInt(HubSpotStore.DEAL_STAGES.size());
            long at = start + (long) (r.nextDouble() * (now - start) / 2);
            Map<String, String> p = new LinkedHashMap<>();
            p.put("dealname", co[3] + " - " + (i % 2 == 0 ? "New business" : "Expansion"));
            p.put("pipeline", "default");
            p.put("dealstage", HubSpotStore.DEAL_STAGES.get(0));
            p.put("amount", Integer.toString((5 + r.nextInt(95)) * 1000));
            p.put("closedate", Long.toString(at + (30L + r.nextInt(60)) * 86_400_000L));
            p.put("deal_currency_code", "USD");
            if (!aeList.isEmpty()) {
                p.put("hubspot_owner_id", aeList.get(r.nextInt(aeList.size())).hubspotOwnerId());
            }
            String id = hubspot.create("deals", p, List.of(new long[] {3, Long.parseLong(person[0])},
                    new long[] {341, Long.parseLong(co[0])}), "CRM_UI", at).id();
            int last = target == 6 ? 4 : Math.min(target, 5);
            for (int s = 1; s <= last; s++) {
                at += (1 + r.nextInt(6)) * 86_400_000L;
                hubspot.update("deals", id, Map.of("dealstage", HubSpotStore.DEAL_STAGES.get(s)), "CRM_UI",
                        Math.min(at, now));
            }
            if (target >= 5) {
                at += (1 + r.nextInt(6)) * 86_400_000L;
                hubspot.update("deals", id, Map.of("dealstage", HubSpotStore.DEAL_STAGES.get(target)), "CRM_UI",
                        Math.min(at, now));
            }
        }

        // Salesforce contacts (people of accounts) and leads
        List<String> statuses = new ArrayList<>(salesforce.leadStatuses());
        List<String> leadIds = new ArrayList<>();
        for (int i = 0; i < sizes.leads() && !companies.isEmpty(); i++) {
            String[] co = companies.get(r.nextInt(companies.size()));
            Campaign camp = campaigns.get(r.nextInt(campaigns.size()));
            String first = FIRST[r.nextInt(FIRST.length)];
            String last = LAST[r.nextInt(LAST.length)];
            long at = start + (long) (r.nextDouble() * (now - start));
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("FirstName", first);
            f.put("LastName", last);
            f.put("Email", (first + "." + last + ".l" + i).toLowerCase(Locale.ROOT) + "@" + co[2]);
            f.put("Company", co[3]);
            f.put("Country", co[4]);
            f.put("NumberOfEmployees", Double.valueOf(co[5]));
            f.put("LeadSource", camp.type());
            f.put("Channel__c", camp.channel());
            f.put("Campaign__c", camp.name());
            f.put("Intent_Tier__c", TIERS[r.nextInt(TIERS.length)]);
            f.put("Status", statuses.get(r.nextInt(Math.min(3, statuses.size()))));
            f.put("OwnerId", sdrList.isEmpty() ? queue : sdrList.get(r.nextInt(sdrList.size())).salesforceUserId());
            leadIds.add(salesforce.create("Lead", f, integrationId, at));
        }
        List<String[]> sfContacts = new ArrayList<>();
        for (int i = 0; i < companies.size() * 2 && i < sizes.contacts(); i++) {
            String[] co = companies.get(i % companies.size());
            String first = FIRST[r.nextInt(FIRST.length)];
            String last = LAST[r.nextInt(LAST.length)];
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("FirstName", first);
            f.put("LastName", last);
            f.put("Email", (first + "." + last + ".c" + i).toLowerCase(Locale.ROOT) + "@" + co[2]);
            f.put("AccountId", co[1]);
            f.put("MailingCountry", co[4]);
            f.put("OwnerId", aeList.isEmpty() ? integrationId : aeList.get(i % aeList.size()).salesforceUserId());
            sfContacts.add(new String[] {salesforce.create("Contact", f, integrationId, start + i * 60_000L), co[1]});
        }
        for (int i = 0; i < sizes.opportunities() && !sfContacts.isEmpty(); i++) {
            String[] person = sfContacts.get(r.nextInt(sfContacts.size()));
            int target = r.nextInt(SalesforceStore.STAGES.size());
            long at = start + (long) (r.nextDouble() * (now - start) / 2);
            Campaign camp = campaigns.get(r.nextInt(campaigns.size()));
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("Name", "Opportunity " + (i + 1));
            f.put("AccountId", person[1]);
            f.put("StageName", SalesforceStore.STAGES.get(0));
            f.put("Amount", (double) (5 + r.nextInt(95)) * 1000);
            f.put("CloseDate", java.time.Instant.ofEpochMilli(at + (30L + r.nextInt(60)) * 86_400_000L).toString()
                    .substring(0, 10));
            f.put("CampaignId", camp.salesforceId());
            f.put("OwnerId", aeList.isEmpty() ? integrationId : aeList.get(r.nextInt(aeList.size()))
                    .salesforceUserId());
            String id = salesforce.create("Opportunity", f, integrationId, at);
            int last = target == 9 ? 6 : Math.min(target, 7);
            for (int s = 1; s <= last; s++) {
                at += (1 + r.nextInt(6)) * 86_400_000L;
                salesforce.update("Opportunity", id, Map.of("StageName", SalesforceStore.STAGES.get(s)),
                        integrationId, Math.min(at, now));
            }
            if (target >= 8) {
                at += (1 + r.nextInt(6)) * 86_400_000L;
                salesforce.update("Opportunity", id, Map.of("StageName", SalesforceStore.STAGES.get(target)),
                        integrationId, Math.min(at, now));
            }
        }
        for (int i = 0; i < leadIds.size(); i++) {
            if (r.nextInt(10) < 4) {
                Campaign camp = campaigns.get(r.nextInt(campaigns.size()));
                boolean responded = r.nextBoolean();
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("CampaignId", camp.salesforceId());
                f.put("LeadId", leadIds.get(i));
                f.put("Status", responded ? "Responded" : "Sent");
                f.put("HasResponded", responded);
                salesforce.create("CampaignMember", f, integrationId, start + i * 60_000L);
            }
        }
        return new Org(seed, List.copyOf(people), teams, List.copyOf(campaigns), integrationId, integrationUsername,
                queue);
    }
}
