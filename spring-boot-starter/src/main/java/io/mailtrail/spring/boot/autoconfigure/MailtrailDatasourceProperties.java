package io.mailtrail.spring.boot.autoconfigure;

/**
 * {@code mailtrail.datasource.*}: a connection of Mailtrail's own. When url is not set, the writer
 * takes one connection from the application's DataSource and keeps it.
 */
public class MailtrailDatasourceProperties {

    /**
     * JDBC URL (jdbc:postgresql:...) of a connection the writer opens itself, e.g. to
     * write as a dedicated, insert-only database user. Unset: the application's DataSource.
     */
    private String url;

    /** User of the connection opened with url. */
    private String username;

    /** Password of the connection opened with url. */
    private String password;

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        PropertyChecks.check(url == null || url.isBlank() || url.startsWith("jdbc:postgresql:") || url.equals("none"),
                "mailtrail.datasource.url", url, "must be a jdbc:postgresql: URL (or none: count, write nothing)");
        this.url = url == null || url.isBlank() ? null : url;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }
}
