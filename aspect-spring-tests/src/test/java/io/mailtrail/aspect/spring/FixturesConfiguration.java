package io.mailtrail.aspect.spring;

import io.mailtrail.aspect.EmailActivityAspect;
import io.mailtrail.aspect.fixtures.DefaultEmailLinker;
import io.mailtrail.aspect.fixtures.EmailLinker;
import io.mailtrail.aspect.fixtures.MailProcessingService;
import io.mailtrail.core.capture.MailtrailCapture;
import java.util.function.Consumer;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/** The fixture services as beans and the aspect as a bean, the way an application wires them. */
@SpringBootConfiguration
@EnableAutoConfiguration
class FixturesConfiguration {

    @Bean
    EmailActivityAspect emailActivityAspect(MailtrailCapture capture) {
        return new EmailActivityAspect(capture);
    }

    @Bean
    MailProcessingService mailProcessingService() {
        return new MailProcessingService();
    }

    @Bean
    EmailLinker emailLinker() {
        return new DefaultEmailLinker();
    }

    /** Starts a context of {@code sources} with {@code capture} as a bean and the given properties. */
    static ConfigurableApplicationContext start(MailtrailCapture capture, Consumer<SpringApplicationBuilder> customizer,
            Class<?>... sources) {
        SpringApplicationBuilder builder = new SpringApplicationBuilder(sources)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .initializers(context -> context.getBeanFactory().registerSingleton("mailtrailCapture", capture));
        customizer.accept(builder);
        return builder.run();
    }
}
