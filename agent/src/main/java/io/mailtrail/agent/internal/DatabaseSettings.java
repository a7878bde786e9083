package io.mailtrail.agent.internal;

import io.mailtrail.core.settings.MailtrailSettings;
import java.util.ArrayList;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * URL, user and password of the log database. Each is taken from, in order of precedence, a
 * system property ({@code mailtrail.jdbc.url}, {@code mailtrail.jdbc.user},
 * {@code mailtrail.jdbc.password}), an environment variable ({@code MAILTRAIL_JDBC_URL},
 * {@code MAILTRAIL_JDBC_USER}, {@code MAILTRAIL_JDBC_PASSWORD}) or the configuration file's
 * {@code database} section. {@link #toString()} never shows the password, not even one written
 * into the URL.
 */
final class DatabaseSettings {

    /** The URL that turns writing off: events are captured and counted, then discarded. */
    static final String NONE = "none";

    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");

    final String url;
    final String user;
    final String password;
    final String urlSource;

    private DatabaseSettings(String url, String user, String password, String urlSource) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.urlSource = urlSource;
    }

    /** The database settings of {@code bound}, with where the URL came from. */
    static DatabaseSettings of(AgentSettingsBinder.Bound bound) {
        MailtrailSettings.Database database = bound.settings().database();
        String source = bound.source("database.url");
        return new DatabaseSettings(database.url(), database.user(), database.password(),
                source.equals("default") ? "configuration file" : source);
    }

    /**
     * Resolves the {@code database} section of the file, the variables and the properties alone
     * (the same binding as every other setting: {@link AgentSettingsBinder}).
     */
    static DatabaseSettings resolve(Map<String, String> file, Map<String, String> env, Properties system) {
        return of(AgentSettingsBinder.bind(Map.of("database", file), env, system, new ArrayList<>()));
    }

    /** The URL with any password in it masked. */
    static String masked(String url) {
        return url == null ? null : URL_PASSWORD.matcher(url).replaceAll("$1***");
    }

    @Override
    public String toString() {
        return "url " + masked(url) + " (from " + urlSource + ")" + (user == null ? "" : ", user " + user)
                + (password == null ? "" : password.isEmpty() ? ", password EMPTY" : ", password set");
    }
}
