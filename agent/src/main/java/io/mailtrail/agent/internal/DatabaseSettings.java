package io.mailtrail.agent.internal;

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

    static DatabaseSettings resolve(Map<String, String> file, Map<String, String> env, Properties system) {
        String[] url = pick("url", file, env, system);
        return new DatabaseSettings(url[0], pick("user", file, env, system)[0], pick("password", file, env, system)[0],
                url[1]);
    }

    /** The URL with any password in it masked. */
    static String masked(String url) {
        return url == null ? null : URL_PASSWORD.matcher(url).replaceAll("$1***");
    }

    @Override
    public String toString() {
        return "url " + masked(url) + " (from " + urlSource + ")" + (user == null ? "" : ", user " + user)
                + (password == null ? "" : ", password set");
    }

    /** @return the value and where it came from */
    private static String[] pick(String key, Map<String, String> file, Map<String, String> env, Properties system) {
        String property = "mailtrail.jdbc." + key;
        String variable = "MAILTRAIL_JDBC_" + key.toUpperCase(java.util.Locale.ROOT);
        String value = system.getProperty(property);
        if (value != null && !value.isEmpty()) {
            return new String[] {value, "system property " + property};
        }
        value = env.get(variable);
        if (value != null && !value.isEmpty()) {
            return new String[] {value, "environment variable " + variable};
        }
        value = file.get(key);
        return new String[] {value, "configuration file"};
    }
}
