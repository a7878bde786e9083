package io.mailtrail.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.core.read.ActivityQueries;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** When the endpoints are served, and with which access rules. */
class MailtrailWebAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MailtrailWebAutoConfiguration.class))
            .withBean(DataSource.class, SimpleDriverDataSource::new);

    @Test
    void withSpringSecurityTheEndpointsAreOnAndChecked() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(ActivityController.class).hasSingleBean(ActivityQueries.class);
            assertThat(context.getBean(ReaderAccess.class)).isInstanceOf(SpringSecurityReaderAccess.class);
            assertThat(context.getBean(EmailAccessPolicy.class).mayRead(1, null)).isTrue();
        });
    }

    @Test
    void theyCanBeSwitchedOff() {
        runner.withPropertyValues("mailtrail.web.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(ActivityController.class));
    }

    @Test
    void withoutSpringSecurityTheyAreOffUnlessEnabled() {
        WebApplicationContextRunner noSecurity = runner.withClassLoader(
                new FilteredClassLoader("org.springframework.security"));
        noSecurity.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ActivityController.class));
        noSecurity.withPropertyValues("mailtrail.web.enabled=true").run(context -> {
            assertThat(context).hasSingleBean(ActivityController.class);
            assertThat(context.getBean(ReaderAccess.class)).isNotInstanceOf(SpringSecurityReaderAccess.class);
        });
    }

    @Test
    void aUserPolicyWinsAndABadBasePathIsNamed() {
        runner.withBean(EmailAccessPolicy.class, () -> (id, reader) -> false)
                .run(context -> assertThat(context.getBean(EmailAccessPolicy.class).mayRead(1, null)).isFalse());
        runner.withPropertyValues("mailtrail.web.base-path=no slash").run(context -> assertThat(context)
                .hasFailed().getFailure().rootCause().hasMessageContaining("mailtrail.web.base-path"));
    }
}
