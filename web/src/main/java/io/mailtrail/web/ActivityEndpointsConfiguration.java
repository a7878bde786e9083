package io.mailtrail.web;

import io.mailtrail.core.read.ActivityQueries;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.context.annotation.Configuration;

/**
 * The controller and its error answers, imported by the auto-configuration only once it has
 * decided on a {@link ReaderAccess} (a top-level class: a nested one would always be registered).
 */
@Configuration(proxyBeanMethods = false)
class ActivityEndpointsConfiguration {

    @Bean
    ActivityController mailtrailActivityController(ActivityQueries queries, ReaderAccess access,
            EmailAccessPolicy policy, MailtrailWebProperties properties) {
        return new ActivityController(queries, access, policy, properties);
    }

    @Bean
    FilterRegistrationBean<ErrorDispatchFilter> mailtrailErrorDispatchFilter(MailtrailWebProperties properties) {
        FilterRegistrationBean<ErrorDispatchFilter> registration =
                new FilterRegistrationBean<>(new ErrorDispatchFilter(properties.basePath()));
        registration.setDispatcherTypes(DispatcherType.ERROR);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    ApiErrorResolver mailtrailApiErrorResolver(MailtrailWebProperties properties) {
        return new ApiErrorResolver(properties.basePath());
    }
}
