package io.mailtrail.sample.hub.mail;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class MailConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "hub.mail.embedded", havingValue = "true", matchIfMissing = true)
    EmbeddedMailServer embeddedMailServer(MailProperties properties) {
        return new EmbeddedMailServer(properties);
    }
}
