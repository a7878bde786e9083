package io.mailtrail.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

/**
 * Every key under {@code mailtrail.} gets the same check, whichever module binds it: the
 * starter's sections, the web module's {@code mailtrail.web.*} (known from its configuration
 * metadata, even in an application where its configuration is off), sections that are off
 * ({@code mailtrail.integrity.*} without a key) and any other {@code @ConfigurationProperties}
 * bean under {@code mailtrail.}.
 */
@ExtendWith(OutputCaptureExtension.class)
class MailtrailUnknownPropertiesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MailtrailAutoConfiguration.class))
            .withUserConfiguration(MailtrailAutoConfigurationTests.DataSourceConfiguration.class);

    @Test
    void typosUnderEverySectionAreNamedWithTheNearestKey(CapturedOutput output) {
        runner.withPropertyValues("mailtrail.web.read-authorty=ROLE_X", "mailtrail.web.base-pathh=/audit",
                "mailtrail.spool.dri=/tmp/x", "mailtrail.integrity.windw=1h", "mailtrail.capture.in-app-package=com.acme")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(MailtrailUnknownProperties.class).reports()).containsExactlyInAnyOrder(
                            "Mailtrail: unknown property 'mailtrail.web.read-authorty' is ignored;"
                                    + " did you mean mailtrail.web.read-authority?",
                            "Mailtrail: unknown property 'mailtrail.web.base-pathh' is ignored;"
                                    + " did you mean mailtrail.web.base-path?",
                            "Mailtrail: unknown property 'mailtrail.spool.dri' is ignored;"
                                    + " did you mean mailtrail.spool.dir?",
                            "Mailtrail: unknown property 'mailtrail.integrity.windw' is ignored;"
                                    + " did you mean mailtrail.integrity.window?",
                            "Mailtrail: unknown property 'mailtrail.capture.in-app-package' is ignored;"
                                    + " did you mean mailtrail.capture.in-app-packages?");
                });
        assertThat(output).contains("unknown property 'mailtrail.web.read-authorty' is ignored;"
                + " did you mean mailtrail.web.read-authority?");
    }

    @Test
    void everyKeyAModuleBindsIsKnownThoughItsConfigurationIsOff() {
        runner.withPropertyValues("mailtrail.web.read-authority=ROLE_AUDIT", "mailtrail.web.base-path=/audit",
                "mailtrail.web.containerErrorsAsJson=true", "mailtrail.integrity.window=1h",
                "mailtrail.partitions.maintenance-enabled=false", "mailtrail.schema.apply-on-startup=false",
                "mailtrail.capture.in-app-packages[0]=com.acme")
                .run(context -> assertThat(context.getBean(MailtrailUnknownProperties.class).unknown()).isEmpty());
    }

    @Test
    void aConfigurationPropertiesBeanUnderMailtrailContributesItsKeys() {
        runner.withUserConfiguration(ExtraConfiguration.class)
                .withPropertyValues("mailtrail.extra.endpoint=x", "mailtrail.extra.endpont=x").run(context ->
                        assertThat(context.getBean(MailtrailUnknownProperties.class).reports()).containsExactly(
                                "Mailtrail: unknown property 'mailtrail.extra.endpont' is ignored;"
                                        + " did you mean mailtrail.extra.endpoint?"));
    }

    @ConfigurationProperties("mailtrail.extra")
    record ExtraProperties(String endpoint) {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ExtraProperties.class)
    static class ExtraConfiguration {
    }
}
