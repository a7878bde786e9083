package io.mailtrail.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.core.read.ActivityQueries;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** When the endpoints are served, with which access rules, and what is said at start-up. */
@ExtendWith(OutputCaptureExtension.class)
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
    void withoutSpringSecurityAStartUpWarningSaysWhyTheyAreOffOrOpen(CapturedOutput output) {
        WebApplicationContextRunner noSecurity = runner.withClassLoader(
                new FilteredClassLoader("org.springframework.security"));
        noSecurity.run(context -> assertThat(context).hasNotFailed());
        assertThat(output.getAll()).contains("WARN").contains("the activity endpoints under /api/v1/emails are off:"
                + " Spring Security is not on the class path");
        int before = output.getAll().length();
        noSecurity.withPropertyValues("mailtrail.web.enabled=true").run(context -> assertThat(context).hasNotFailed());
        assertThat(output.getAll().substring(before)).contains("mailtrail.web.enabled=true without Spring Security:"
                + " anyone who can reach /api/v1/emails can read the activity log");
    }

    @Test
    void withSpringSecurityOrWhenSwitchedOffNothingIsWarned(CapturedOutput output) {
        runner.run(context -> assertThat(context).hasNotFailed());
        runner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
                .withPropertyValues("mailtrail.web.enabled=false").run(context -> assertThat(context).hasNotFailed());
        assertThat(output.getAll()).doesNotContain("Mailtrail:");
    }

    @Test
    void aUserPolicyWinsAndABadBasePathIsNamed() {
        runner.withBean(EmailAccessPolicy.class, () -> (id, reader) -> false)
                .run(context -> assertThat(context.getBean(EmailAccessPolicy.class).mayRead(1, null)).isFalse());
        runner.withPropertyValues("mailtrail.web.base-path=no slash").run(context -> assertThat(context)
                .hasFailed().getFailure().rootCause().hasMessageContaining("mailtrail.web.base-path"));
    }
}
