package io.mailtrail.web;

import io.mailtrail.core.read.ActivityQueries;
import javax.sql.DataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Serves the activity endpoints in a Spring MVC application that has a {@link DataSource}.
 * With Spring Security on the class path they are on (unless {@code mailtrail.web.enabled=false})
 * and read access is checked per request; without it they are off unless
 * {@code mailtrail.web.enabled=true}, which logs a warning, so that the trail never becomes public
 * by accident.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBean(DataSource.class)
@EnableConfigurationProperties(MailtrailWebProperties.class)
public final class MailtrailWebAutoConfiguration {

    private static final Log log = LogFactory.getLog(MailtrailWebAutoConfiguration.class);
    private static final String SECURITY = "org.springframework.security.core.context.SecurityContextHolder";

    @Bean
    @ConditionalOnMissingBean
    ActivityQueries mailtrailActivityQueries(DataSource dataSource) {
        return new ActivityQueries(dataSource);
    }

    @Bean
    @ConditionalOnMissingBean
    EmailAccessPolicy mailtrailEmailAccessPolicy() {
        return EmailAccessPolicy.allowAll();
    }

    /** Tomcat's own error answers as JSON under the base path (see {@link JsonErrorReportValve}). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.apache.catalina.valves.ErrorReportValve",
        "org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory"})
    static class TomcatErrorsConfiguration {

        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> mailtrailJsonErrorReportValve(
                MailtrailWebProperties properties) {
            return factory -> factory.addContextCustomizers(context -> JsonErrorReportValve.install(
                    (org.apache.catalina.Host) context.getParent(), properties.basePath(),
                    properties.containerErrorsAsJson()));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = SECURITY)
    @ConditionalOnProperty(name = "mailtrail.web.enabled", havingValue = "true", matchIfMissing = true)
    @Import(ActivityEndpointsConfiguration.class)
    static class SecuredConfiguration {

        @Bean
        ReaderAccess mailtrailReaderAccess(MailtrailWebProperties properties) {
            return new SpringSecurityReaderAccess(properties.readAuthority(), properties.detailAuthority());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass(SECURITY)
    @ConditionalOnProperty(name = "mailtrail.web.enabled", havingValue = "true")
    @Import(ActivityEndpointsConfiguration.class)
    static class OpenConfiguration {

        @Bean
        ReaderAccess mailtrailReaderAccess(MailtrailWebProperties properties) {
            log.warn("Mailtrail: mailtrail.web.enabled=true without Spring Security: anyone who can reach "
                    + properties.basePath() + " can read the activity log. Add spring-boot-starter-security to"
                    + " require the authority " + properties.readAuthority() + ".");
            return ReaderAccess.open();
        }
    }

    /** Says at start-up why the endpoints are missing, when nobody decided. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass(SECURITY)
    @ConditionalOnExpression("'${mailtrail.web.enabled:}' == ''")
    static class OffWithoutSecurityConfiguration {

        OffWithoutSecurityConfiguration(MailtrailWebProperties properties) {
            log.warn("Mailtrail: the activity endpoints under " + properties.basePath() + " are off: Spring"
                    + " Security is not on the class path. Add it (reading then needs the authority "
                    + properties.readAuthority() + "), or set mailtrail.web.enabled=true to serve the log to anyone.");
        }
    }
}
