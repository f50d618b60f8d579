package com.revops.routing.engine;

import java.util.Locale;
import java.util.Set;

/** Consumer mailbox domains: a lead from one of these never matches an account by domain. */
public final class FreeMailDomains {

    private static final Set<String> DOMAINS = Set.of(
            "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "ymail.com",
            "hotmail.com", "hotmail.co.uk", "hotmail.fr", "hotmail.de", "outlook.com", "live.com", "msn.com",
            "aol.com", "icloud.com", "me.com", "mac.com", "gmx.de", "gmx.net", "gmx.com", "web.de", "t-online.de",
            "orange.fr", "free.fr", "laposte.net", "wanadoo.fr", "libero.it", "mail.ru", "yandex.ru", "yandex.com",
            "qq.com", "163.com", "126.com", "protonmail.com", "proton.me", "zoho.com", "mail.com", "hey.com",
            "fastmail.com", "tutanota.com", "seznam.cz", "wp.pl", "o2.pl", "rediffmail.com", "naver.com");

    private FreeMailDomains() {
    }

    public static boolean isFreeMail(String domain) {
        return domain != null && DOMAINS.contains(domain.toLowerCase(Locale.ROOT));
    }
}
