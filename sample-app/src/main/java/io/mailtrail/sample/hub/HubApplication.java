package io.mailtrail.sample.hub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The sample email hub: fetches mail over IMAP, processes it in annotated steps that Mailtrail
 * logs, and serves the API and the page at {@code http://localhost:8080}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class HubApplication {

    public static void main(String[] args) {
        SpringApplication.run(HubApplication.class, args);
    }
}
